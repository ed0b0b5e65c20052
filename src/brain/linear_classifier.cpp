#include "brain/linear_classifier.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;
constexpr std::string_view kFormat = "salesboost-linear";
// Version 2: first-sentence features, a "temperature" in the header (1 when
// absent). A version-1 model would be read with features it was not trained on.
constexpr int kVersion = 2;
constexpr std::size_t kTagWeight = 3;

std::uint32_t Fnv1a(std::string_view a, std::string_view b = {}) {
  std::uint32_t h = 2166136261u;
  for (const char c : a) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  h = (h ^ 0x1Fu) * 16777619u;  // separator, so ("ab","c") != ("a","bc")
  for (const char c : b) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = core::Utf8SequenceLength(text.substr(i));
    if (n == 0) n = 1;
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsPunctuation(std::string_view c) {
  static constexpr std::string_view kMarks[] = {".", ",",  "?",  "!",  ";",  ":",  "\"", "'",  "(",
                                                ")", "。", "，", "？", "！", "；", "：", "、", "“",
                                                "”", "‘",  "’",  "（", "）", "…",  "~"};
  return std::find(std::begin(kMarks), std::end(kMarks), c) != std::end(kMarks);
}

// Characters people mix up when typing pinyin: each pair both ways.
constexpr std::pair<std::string_view, std::string_view> kHomophones[] = {
    {"的", "得"}, {"在", "再"}, {"吗", "嘛"}, {"那", "哪"}, {"做", "作"}, {"账", "帐"},
    {"已", "以"}, {"候", "后"}, {"么", "吗"}, {"他", "她"}, {"即", "既"}, {"像", "象"}};

// One typo in a Latin word of at least four letters: a letter dropped, doubled or swapped with the next.
bool LatinTypo(std::string& text, std::mt19937_64& rng) {
  std::vector<std::pair<std::size_t, std::size_t>> words;  // start, length
  for (std::size_t i = 0; i < text.size();) {
    if (!IsAsciiLetter(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && IsAsciiLetter(text[j])) ++j;
    if (j - i >= 4) words.emplace_back(i, j - i);
    i = j;
  }
  if (words.empty()) return false;
  const auto [start, length] = words[rng() % words.size()];
  const std::size_t at = start + 1 + rng() % (length - 2);  // never the first letter
  switch (rng() % 3) {
    case 0:
      text.erase(at, 1);
      break;
    case 1:
      text.insert(at, 1, text[at]);
      break;
    default:
      std::swap(text[at], text[at + 1]);
      break;
  }
  return true;
}

bool HanTypo(std::string& text, std::mt19937_64& rng) {
  std::vector<std::pair<std::size_t, std::string_view>> spots;  // where, replacement
  for (const auto& [a, b] : kHomophones) {
    for (auto at = text.find(a); at != std::string::npos; at = text.find(a, at + a.size())) spots.emplace_back(at, b);
    for (auto at = text.find(b); at != std::string::npos; at = text.find(b, at + b.size())) spots.emplace_back(at, a);
  }
  if (spots.empty()) return false;
  std::sort(spots.begin(), spots.end());
  const auto& [at, replacement] = spots[rng() % spots.size()];
  text.replace(at, replacement.size(), replacement);  // the pairs are the same length in UTF-8
  return true;
}

std::string WithoutPunctuation(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const auto& c : CodePoints(text)) {
    if (!IsPunctuation(c)) out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

void Softmax(std::vector<double>& scores) {
  const double top = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (double& s : scores) sum += (s = std::exp(s - top));
  for (double& s : scores) s /= sum;
}

}  // namespace

core::Result<std::vector<LabelledText>> ParseLabelledTexts(std::string_view tsv) {
  std::vector<LabelledText> out;
  std::string group;
  int line_number = 0;
  while (!tsv.empty()) {
    const auto end = std::min(tsv.find('\n'), tsv.size());
    std::string_view line = tsv.substr(0, end);
    tsv.remove_prefix(std::min(end + 1, tsv.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      constexpr std::string_view kGroup = "# group:";
      if (line.substr(0, kGroup.size()) == kGroup) {
        std::string_view name = line.substr(kGroup.size());
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
        group = std::string(name);
        if (group.empty()) {
          return core::Fail(core::ErrorCode::kInvalidArgument,
                            fmt::format("line {}: a group needs a name", line_number));
        }
      }
      continue;
    }
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0 || tab + 1 == line.size()) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("line {}: expected \"label<TAB>text\"", line_number));
    }
    if (!core::IsValidUtf8(line)) {
      return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("line {}: not valid UTF-8", line_number));
    }
    out.push_back(LabelledText{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)),
                               group.empty() ? fmt::format("line-{}", line_number) : group});
  }
  return out;
}

Split SplitHeldOut(const std::vector<LabelledText>& examples, int every) {
  Split split;
  std::map<std::string, int> groups_of_label;
  std::map<std::string, bool> held_out_group;
  for (const auto& example : examples) {
    auto [at, fresh] = held_out_group.try_emplace(example.group, false);
    if (fresh) at->second = groups_of_label[example.label]++ % every == every - 1;
    (at->second ? split.held_out : split.train).push_back(example);
  }
  return split;
}

std::vector<LabelledText> Augment(const std::vector<LabelledText>& examples, int copies, std::uint64_t seed) {
  std::vector<LabelledText> out;
  out.reserve(examples.size() * static_cast<std::size_t>(std::max(copies, 0)));
  std::mt19937_64 rng(seed ^ 0x5A17u);
  for (int copy = 0; copy < copies; ++copy) {
    for (const auto& e : examples) {
      std::string text = e.text;
      // Half the copies lose their punctuation; every copy gets a typo when the text has room for one.
      if (rng() % 2 == 0) text = WithoutPunctuation(text);
      const bool latin_first = rng() % 2 == 0;
      if (latin_first ? !LatinTypo(text, rng) : !HanTypo(text, rng)) {
        if (latin_first) {
          HanTypo(text, rng);
        } else {
          LatinTypo(text, rng);
        }
      }
      if (text.empty() || text == e.text) continue;
      out.push_back(LabelledText{e.label, std::move(text), e.group});
    }
  }
  return out;
}

std::vector<std::pair<std::uint32_t, float>> LinearClassifier::Features(std::string_view text) const {
  const std::string folded = core::FoldText(text);
  const std::uint32_t mask = (1u << buckets_log2_) - 1;
  std::vector<std::uint32_t> ids;
  const auto words = core::SegmentWords(folded);
  for (std::size_t i = 0; i < words.size(); ++i) {
    ids.push_back(Fnv1a("w", words[i]) & mask);
    ids.push_back(Fnv1a(i == 0 ? "^" : words[i - 1], words[i]) & mask);
  }
  if (!words.empty()) ids.push_back(Fnv1a(words.back(), "$") & mask);
  // In a message of several sentences the act is usually in the first one (a
  // question after a greeting, a request before the details): its words count
  // once more, as their own features.
  if (const auto sentences = core::SplitSentences(folded); sentences.size() > 1) {
    for (const auto& word : core::SegmentWords(sentences.front())) ids.push_back(Fnv1a("s", word) & mask);
  }
  // Character n-grams (2 and 3) catch what segmentation splits differently,
  // and end punctuation (a question mark) counts too.
  const auto chars = CodePoints(folded);
  for (std::size_t n = 2; n <= 3; ++n) {
    for (std::size_t i = 0; i + n <= chars.size(); ++i) {
      std::string gram;
      for (std::size_t k = 0; k < n; ++k) gram += chars[i + k];
      ids.push_back(Fnv1a("c", gram) & mask);
    }
  }
  for (const auto& c : chars) {
    if (c == "?" || c == "？" || c == "!" || c == "！") ids.push_back(Fnv1a("p", c) & mask);
  }
  if (tagger_.tags) {
    // A tag weighs as much as several n-grams: it stands for a whole list of cues.
    for (const auto tag : tagger_.tags(text)) ids.insert(ids.end(), kTagWeight, Fnv1a("t", tag) & mask);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::pair<std::uint32_t, float>> features;
  for (const auto id : ids) {
    if (!features.empty() && features.back().first == id) {
      features.back().second += 1;
    } else {
      features.emplace_back(id, 1.0F);
    }
  }
  float norm = 0;
  for (const auto& [id, value] : features) norm += value * value;
  norm = std::sqrt(std::max(norm, 1e-6F));
  for (auto& [id, value] : features) value /= norm;
  return features;
}

LinearClassifier LinearClassifier::Train(const std::vector<LabelledText>& examples, const TrainOptions& options) {
  LinearClassifier model;
  model.buckets_log2_ = options.buckets_log2;
  model.tagger_ = options.tagger;
  for (const auto& e : examples) {
    if (std::find(model.labels_.begin(), model.labels_.end(), e.label) == model.labels_.end()) {
      model.labels_.push_back(e.label);
    }
  }
  std::sort(model.labels_.begin(), model.labels_.end());
  const std::size_t buckets = std::size_t{1} << options.buckets_log2;
  const std::size_t labels = model.labels_.size();
  model.weights_.assign(labels * buckets + labels, 0.0F);
  const std::vector<LabelledText> augmented = Augment(examples, options.augment, options.seed);
  std::vector<std::vector<std::pair<std::uint32_t, float>>> features;
  std::vector<std::size_t> targets;
  features.reserve(examples.size() + augmented.size());
  targets.reserve(examples.size() + augmented.size());
  for (const auto* set : {&examples, &augmented}) {
    for (const auto& e : *set) {
      features.push_back(model.Features(e.text));
      targets.push_back(static_cast<std::size_t>(std::find(model.labels_.begin(), model.labels_.end(), e.label) -
                                                 model.labels_.begin()));
    }
  }
  std::vector<std::size_t> order(features.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::vector<double> scores(labels);
  // Weight decay without touching every weight per example: the feature
  // weights are `scale` times the stored ones, and the scale shrinks instead.
  double scale = 1;
  auto fold_scale = [&] {
    for (std::size_t i = 0; i < labels * buckets; ++i)
      model.weights_[i] = static_cast<float>(model.weights_[i] * scale);
    scale = 1;
  };
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    const double rate = options.learning_rate / (1.0 + 0.1 * epoch);
    for (const auto index : order) {
      const auto& x = features[index];
      for (std::size_t l = 0; l < labels; ++l) {
        double s = 0;
        for (const auto& [id, value] : x) s += model.weights_[l * buckets + id] * value;
        scores[l] = s * scale + model.weights_[labels * buckets + l];
      }
      Softmax(scores);
      if (options.l2 > 0) {
        scale *= 1 - rate * options.l2;
        if (scale < 1e-3) fold_scale();
      }
      for (std::size_t l = 0; l < labels; ++l) {
        const double gradient = scores[l] - (l == targets[index] ? 1.0 : 0.0);
        if (std::abs(gradient) < 1e-6) continue;
        for (const auto& [id, value] : x)
          model.weights_[l * buckets + id] -= static_cast<float>(rate * gradient * value / scale);
        model.weights_[labels * buckets + l] -= static_cast<float>(rate * gradient * 0.1);
      }
    }
  }
  if (scale != 1) fold_scale();
  return model;
}

std::vector<double> LinearClassifier::Probabilities(std::string_view text) const {
  auto scores = Logits(text);
  if (scores.empty()) return scores;
  for (double& s : scores) s /= temperature_;
  Softmax(scores);
  return scores;
}

std::vector<double> LinearClassifier::Logits(std::string_view text) const {
  const std::size_t buckets = std::size_t{1} << buckets_log2_;
  const std::size_t labels = labels_.size();
  std::vector<double> scores(labels);
  if (labels == 0) return scores;
  const auto x = Features(text);
  for (std::size_t l = 0; l < labels; ++l) {
    double s = weights_[labels * buckets + l];
    for (const auto& [id, value] : x) s += weights_[l * buckets + id] * value;
    scores[l] = s;
  }
  return scores;
}

void LinearClassifier::Calibrate(const std::vector<LabelledText>& examples) {
  std::vector<std::pair<std::vector<double>, std::size_t>> logits;  // scores, index of the true label
  logits.reserve(examples.size());
  for (const auto& e : examples) {
    const auto at = std::find(labels_.begin(), labels_.end(), e.label);
    if (at != labels_.end()) logits.emplace_back(Logits(e.text), static_cast<std::size_t>(at - labels_.begin()));
  }
  if (logits.empty()) return;
  auto log_loss = [&](double temperature) {
    double loss = 0;
    std::vector<double> p;
    for (const auto& [scores, truth] : logits) {
      p = scores;
      for (double& s : p) s /= temperature;
      Softmax(p);
      loss -= std::log(std::max(p[truth], 1e-12));
    }
    return loss;
  };
  // The loss is unimodal in log(temperature): golden-section search over [1/20, 20].
  double lo = std::log(0.05);
  double hi = std::log(20.0);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double a = hi - ratio * (hi - lo);
  double b = lo + ratio * (hi - lo);
  double fa = log_loss(std::exp(a));
  double fb = log_loss(std::exp(b));
  for (int i = 0; i < 60; ++i) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = log_loss(std::exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = log_loss(std::exp(b));
    }
  }
  // Rounded, so the header prints the same number on every build.
  temperature_ = std::round(std::exp((lo + hi) / 2) * 1e4) / 1e4;
}

Prediction LinearClassifier::Predict(std::string_view text) const {
  if (labels_.empty()) return {};
  const auto scores = Probabilities(text);
  const auto best = static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
  return Prediction{labels_[best], scores[best]};
}

std::string LinearClassifier::Serialize() const {
  json::array labels(labels_.begin(), labels_.end());
  json::object header{
      {"format", kFormat}, {"version", kVersion}, {"labels", std::move(labels)}, {"buckets_log2", buckets_log2_}};
  if (tagger_.tags) header["tagger"] = tagger_.name;
  if (temperature_ != 1) header["temperature"] = temperature_;
  std::string out = json::serialize(header);
  out.push_back('\n');
  const auto* bytes = reinterpret_cast<const unsigned char*>(weights_.data());
  const std::size_t size = weights_.size() * sizeof(float);
  std::string encoded(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  out += encoded;
  out.push_back('\n');
  return out;
}

core::Result<LinearClassifier> LinearClassifier::Parse(std::string_view model, Tagger tagger) {
  auto bad = [](std::string_view why) {
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("not a classifier model: {}", why));
  };
  const auto newline = model.find('\n');
  if (newline == std::string_view::npos) return bad("no header line");
  boost::system::error_code ec;
  const auto header = json::parse(model.substr(0, newline), ec);
  if (ec || !header.is_object()) return bad("the header is not JSON");
  const auto& h = header.as_object();
  const auto* format = h.if_contains("format");
  const auto* version = h.if_contains("version");
  if (format == nullptr || !format->is_string() || format->get_string() != kFormat) return bad("unknown format");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kVersion) {
    return bad("unsupported version");
  }
  const auto* labels = h.if_contains("labels");
  const auto* buckets = h.if_contains("buckets_log2");
  if (labels == nullptr || !labels->is_array() || labels->as_array().empty() || buckets == nullptr ||
      !buckets->is_int64() || buckets->as_int64() < 4 || buckets->as_int64() > 24) {
    return bad("bad labels or buckets");
  }
  const auto* tagger_name = h.if_contains("tagger");
  if (tagger_name != nullptr &&
      (!tagger_name->is_string() || !tagger.tags || tagger_name->get_string() != tagger.name)) {
    return bad(fmt::format("it needs the tagger {}", json::serialize(*tagger_name)));
  }
  if (tagger_name == nullptr && tagger.tags) return bad("it was trained without a tagger");
  LinearClassifier out;
  out.tagger_ = std::move(tagger);
  for (const auto& label : labels->as_array()) {
    if (!label.is_string()) return bad("a label is not a string");
    out.labels_.emplace_back(label.as_string());
  }
  out.buckets_log2_ = static_cast<int>(buckets->as_int64());
  if (const auto* temperature = h.if_contains("temperature"); temperature != nullptr) {
    if (!temperature->is_number() || temperature->to_number<double>() <= 0) return bad("bad temperature");
    out.temperature_ = temperature->to_number<double>();
  }
  std::string_view body = model.substr(newline + 1);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
  const std::size_t count = out.labels_.size() * ((std::size_t{1} << out.buckets_log2_) + 1);
  out.weights_.assign(count, 0.0F);
  std::size_t decoded = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.weights_.data()), count * sizeof(float), body.data(),
                        body.size(), nullptr, &decoded, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      decoded != count * sizeof(float)) {
    return bad("the weights do not match the header");
  }
  return out;
}

Evaluation Evaluate(const LinearClassifier& model, const std::vector<LabelledText>& examples) {
  return Evaluate([&model](std::string_view text) { return model.Predict(text).label; }, examples);
}

Evaluation Evaluate(const std::function<std::string(std::string_view)>& classify,
                    const std::vector<LabelledText>& examples) {
  Evaluation evaluation;
  struct Counts {
    int right = 0;
    int truth = 0;
    int predicted = 0;
  };
  std::map<std::string, Counts> by_label;
  int right = 0;
  for (const auto& e : examples) {
    const auto got = classify(e.text);
    const bool ok = got == e.label;
    right += ok ? 1 : 0;
    by_label[e.label].right += ok ? 1 : 0;
    ++by_label[e.label].truth;
    ++by_label[got].predicted;
  }
  evaluation.examples = examples.size();
  evaluation.accuracy = examples.empty() ? 0 : static_cast<double>(right) / static_cast<double>(examples.size());
  evaluation.per_label.reserve(by_label.size());
  for (const auto& [label, counts] : by_label) {
    evaluation.per_label.push_back(
        LabelScores{.label = label,
                    .precision = counts.predicted == 0 ? 0 : static_cast<double>(counts.right) / counts.predicted,
                    .recall = counts.truth == 0 ? 0 : static_cast<double>(counts.right) / counts.truth,
                    .support = static_cast<std::size_t>(counts.truth)});
  }
  return evaluation;
}

CalibrationMeasure MeasureCalibration(const LinearClassifier& model, const std::vector<LabelledText>& examples) {
  CalibrationMeasure measure;
  constexpr int kBins = 10;
  std::array<double, kBins> confidence{};
  std::array<double, kBins> right{};
  std::array<int, kBins> count{};
  const auto& labels = model.labels();
  std::size_t n = 0;
  for (const auto& e : examples) {
    const auto p = model.Probabilities(e.text);
    if (p.empty()) continue;
    const auto best = static_cast<std::size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    const bool ok = labels[best] == e.label;
    const int bin = std::min(kBins - 1, static_cast<int>(p[best] * kBins));
    confidence[bin] += p[best];
    right[bin] += ok ? 1 : 0;
    ++count[bin];
    double truth_p = 0;
    for (std::size_t l = 0; l < p.size(); ++l) {
      const double y = labels[l] == e.label ? 1 : 0;
      if (y == 1) truth_p = p[l];
      measure.brier += (p[l] - y) * (p[l] - y);
    }
    measure.log_loss -= std::log(std::max(truth_p, 1e-12));
    measure.mean_confidence += p[best];
    measure.share_confident += p[best] >= 0.5 ? 1 : 0;
    ++n;
  }
  if (n == 0) return measure;
  for (int b = 0; b < kBins; ++b) measure.ece += std::abs(right[b] - confidence[b]);
  const auto total = static_cast<double>(n);
  measure.ece /= total;
  measure.brier /= total;
  measure.log_loss /= total;
  measure.mean_confidence /= total;
  measure.share_confident /= total;
  return measure;
}

}  // namespace salesboost::brain
