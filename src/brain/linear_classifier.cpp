#include "brain/linear_classifier.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
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
constexpr int kVersion = 1;
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

void Softmax(std::vector<double>& scores) {
  const double top = *std::max_element(scores.begin(), scores.end());
  double sum = 0;
  for (double& s : scores) sum += (s = std::exp(s - top));
  for (double& s : scores) s /= sum;
}

}  // namespace

core::Result<std::vector<LabelledText>> ParseLabelledTexts(std::string_view tsv) {
  std::vector<LabelledText> out;
  int line_number = 0;
  while (!tsv.empty()) {
    const auto end = std::min(tsv.find('\n'), tsv.size());
    std::string_view line = tsv.substr(0, end);
    tsv.remove_prefix(std::min(end + 1, tsv.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0 || tab + 1 == line.size()) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("line {}: expected \"label<TAB>text\"", line_number));
    }
    if (!core::IsValidUtf8(line)) {
      return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("line {}: not valid UTF-8", line_number));
    }
    out.push_back(LabelledText{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))});
  }
  return out;
}

Split SplitHeldOut(const std::vector<LabelledText>& examples, int every) {
  Split split;
  std::map<std::string, int> seen;
  for (const auto& example : examples) {
    const int n = seen[example.label]++;
    (n % every == every - 1 ? split.held_out : split.train).push_back(example);
  }
  return split;
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
  std::vector<std::vector<std::pair<std::uint32_t, float>>> features;
  std::vector<std::size_t> targets;
  features.reserve(examples.size());
  for (const auto& e : examples) {
    features.push_back(model.Features(e.text));
    targets.push_back(static_cast<std::size_t>(std::find(model.labels_.begin(), model.labels_.end(), e.label) -
                                               model.labels_.begin()));
  }
  std::vector<std::size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed);
  std::vector<double> scores(labels);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    const double rate = options.learning_rate / (1.0 + 0.1 * epoch);
    for (const auto index : order) {
      const auto& x = features[index];
      for (std::size_t l = 0; l < labels; ++l) {
        double s = model.weights_[labels * buckets + l];
        for (const auto& [id, value] : x) s += model.weights_[l * buckets + id] * value;
        scores[l] = s;
      }
      Softmax(scores);
      for (std::size_t l = 0; l < labels; ++l) {
        const double gradient = scores[l] - (l == targets[index] ? 1.0 : 0.0);
        if (std::abs(gradient) < 1e-6) continue;
        for (const auto& [id, value] : x)
          model.weights_[l * buckets + id] -= static_cast<float>(rate * gradient * value);
        model.weights_[labels * buckets + l] -= static_cast<float>(rate * gradient * 0.1);
      }
    }
  }
  return model;
}

std::vector<double> LinearClassifier::Probabilities(std::string_view text) const {
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
  Softmax(scores);
  return scores;
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
  Evaluation evaluation;
  std::map<std::string, std::pair<int, int>> by_label;  // right, total
  int right = 0;
  for (const auto& e : examples) {
    const bool ok = model.Predict(e.text).label == e.label;
    right += ok ? 1 : 0;
    auto& [label_right, total] = by_label[e.label];
    label_right += ok ? 1 : 0;
    ++total;
  }
  evaluation.examples = examples.size();
  evaluation.accuracy = examples.empty() ? 0 : static_cast<double>(right) / static_cast<double>(examples.size());
  for (const auto& [label, counts] : by_label) {
    evaluation.per_label.emplace_back(label, static_cast<double>(counts.first) / counts.second);
  }
  return evaluation;
}

}  // namespace salesboost::brain
