// LinearClassifier: a small supervised text classifier: hashed word
// unigrams and bigrams (ICU segmentation over folded text) and character
// n-grams, into 2^k buckets, scored by one linear layer and a softmax.
// Trained by SGD with a fixed seed (same data, same model). The model file
// is one JSON header line (format, version, labels, buckets) and one line of
// base64 float32 weights. Thread-safe after construction.
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
};

// Reads "label<TAB>text" lines; blank lines and lines starting with '#' are skipped.
core::Result<std::vector<LabelledText>> ParseLabelledTexts(std::string_view tsv);

// Every `every`-th example of each label goes to the held-out set.
struct Split {
  std::vector<LabelledText> train;
  std::vector<LabelledText> held_out;
};
Split SplitHeldOut(const std::vector<LabelledText>& examples, int every = 5);

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
  // The softmax probability of each label, in the order of labels().
  std::vector<double> Probabilities(std::string_view text) const;
  const std::vector<std::string>& labels() const { return labels_; }

 private:
  std::vector<std::pair<std::uint32_t, float>> Features(std::string_view text) const;

  std::vector<std::string> labels_;
  Tagger tagger_;
  int buckets_log2_ = 14;
  std::vector<float> weights_;  // labels x buckets, then one bias per label
};

struct Evaluation {
  double accuracy = 0;
  std::vector<std::pair<std::string, double>> per_label;  // label -> accuracy
  std::size_t examples = 0;
};
Evaluation Evaluate(const LinearClassifier& model, const std::vector<LabelledText>& examples);

}  // namespace salesboost::brain
