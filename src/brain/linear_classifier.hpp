// LinearClassifier: a small supervised text classifier: hashed word
// unigrams and bigrams (ICU segmentation over folded text), the words of the
// first sentence once more, and character n-grams, into 2^k buckets, scored
// by one linear layer and a softmax.
// Trained by SGD with a fixed seed (same data, same model) on the examples
// plus augmented copies (Augment), then calibrated: a softmax temperature
// fitted on held-out examples makes a confidence of 0.7 right about 70 % of
// the time. The model file is one JSON header line (format, version, labels,
// buckets, temperature) and one line of base64 float32 weights. Thread-safe
// after construction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace salesboost::brain {

struct LabelledText {
  std::string label;
  std::string text;
  std::string group;  // the template group: paraphrases of one idea share it
};

// Reads "label<TAB>text" lines; blank lines and other lines starting with '#'
// are skipped. A line "# group: <name>" starts a template group: the examples
// after it, up to the next such line, belong to it. An example before any
// group line is a group of its own ("line-<n>").
core::Result<std::vector<LabelledText>> ParseLabelledTexts(std::string_view tsv);

// Every `every`-th template group of each label (in order of first
// appearance) goes to the held-out set whole, so no paraphrase of a held-out
// idea is trained on.
struct Split {
  std::vector<LabelledText> train;
  std::vector<LabelledText> held_out;
};
Split SplitHeldOut(const std::vector<LabelledText>& examples, int every = 5);

// `copies` variants of each example, as people really type: punctuation
// dropped, a Latin letter dropped, doubled or swapped, a Chinese character
// replaced by a common homophone. Same seed, same variants. Full-width forms
// and letter case need no variants: the features fold them (core::FoldText).
std::vector<LabelledText> Augment(const std::vector<LabelledText>& examples, int copies, std::uint64_t seed);

// Extra features a caller knows how to compute, such as which cue rules fire
// on a text: each tag becomes one strong feature. The model records the
// tagger's name and refuses to load without the same tagger.
struct Tagger {
  std::string name;
  std::function<std::vector<std::string_view>(std::string_view text)> tags;
};

struct TrainOptions {
  int buckets_log2 = 12;
  int epochs = 40;
  double learning_rate = 0.5;
  double l2 = 0;    // weight decay per example seen, scaled by the learning rate
  int augment = 1;  // augmented copies of each example (Augment)
  std::uint64_t seed = 7;
  Tagger tagger;  // optional
};

struct Prediction {
  std::string label;
  double confidence = 0;  // softmax probability of `label`
};

class LinearClassifier {
 public:
  static LinearClassifier Train(const std::vector<LabelledText>& examples, const TrainOptions& options);
  // `tagger` must be the one the model was trained with, if any.
  static core::Result<LinearClassifier> Parse(std::string_view model, Tagger tagger = {});
  std::string Serialize() const;

  Prediction Predict(std::string_view text) const;
  // The softmax probability of each label, in the order of labels(), at the model's temperature.
  std::vector<double> Probabilities(std::string_view text) const;
  // The raw scores (before temperature and softmax), in the order of labels().
  std::vector<double> Logits(std::string_view text) const;
  const std::vector<std::string>& labels() const { return labels_; }

  // Fits the temperature that minimises the log loss on `examples` (held-out
  // ones: the training examples would make the model look surer than it is).
  void Calibrate(const std::vector<LabelledText>& examples);
  double temperature() const { return temperature_; }
  void set_temperature(double temperature) { temperature_ = temperature; }

 private:
  std::vector<std::pair<std::uint32_t, float>> Features(std::string_view text) const;

  std::vector<std::string> labels_;
  Tagger tagger_;
  int buckets_log2_ = 14;
  double temperature_ = 1;      // the logits are divided by it before the softmax
  std::vector<float> weights_;  // labels x buckets, then one bias per label
};

// How far confidences are from being right as often as they claim.
struct CalibrationMeasure {
  double ece = 0;    // expected calibration error: |accuracy - confidence| over 10 bins, weighted by size
  double brier = 0;  // mean squared error of the probability vector against the one-hot truth
  double log_loss = 0;
  double mean_confidence = 0;  // of the top label
  double share_confident = 0;  // of the examples, the share whose top label has at least 0.5 (conversation::kSureOfAct)
};
CalibrationMeasure MeasureCalibration(const LinearClassifier& model, const std::vector<LabelledText>& examples);

struct LabelScores {
  std::string label;
  double precision = 0;  // of the examples predicted `label`, the share that are; 0 when none is
  double recall = 0;     // of the examples labelled `label`, the share predicted so
  std::size_t support = 0;
};
struct Evaluation {
  double accuracy = 0;
  std::vector<LabelScores> per_label;  // every label seen as truth or prediction, sorted
  std::size_t examples = 0;
};
// `classify` gives the label of a text; the model alone when none is given.
Evaluation Evaluate(const LinearClassifier& model, const std::vector<LabelledText>& examples);
Evaluation Evaluate(const std::function<std::string(std::string_view)>& classify,
                    const std::vector<LabelledText>& examples);

}  // namespace salesboost::brain
