#include "app/classifier_commands.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "app/commands.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/intent_classifier.hpp"
#include "brain/linear_classifier.hpp"
#include "brain/models.hpp"
#include "core/read_file.hpp"

namespace salesboost::app {
namespace {

namespace json = boost::json;

int Fail(std::string_view message) {
  fmt::print(stderr, "classify: {}\n", message);
  return kExitConfigError;
}

}  // namespace

int RunTrainClassifier(const TrainClassifierFlags& flags) {
  const auto name = brain::ModelName(flags.model);
  if (!name) {
    fmt::print(stderr, "train-classifier: --model must be sales or customer\n");
    return kExitConfigError;
  }
  const std::string data = flags.data.empty() ? fmt::format("data/classifier/{}.tsv", *name) : flags.data;
  const std::string out = flags.out.empty() ? fmt::format("data/models/{}.model", *name) : flags.out;
  const auto text = core::ReadWholeFile(data);
  if (!text) {
    fmt::print(stderr, "train-classifier: cannot read {}\n", data);
    return kExitConfigError;
  }
  auto examples = brain::ParseLabelledTexts(*text);
  if (!examples) {
    fmt::print(stderr, "train-classifier: {}: {}\n", data, examples.error().message);
    return kExitConfigError;
  }
  const auto split = brain::SplitHeldOut(*examples);
  const auto model =
      brain::LinearClassifier::Train(split.train, brain::TrainOptions{.tagger = brain::TaggerFor(flags.model)});
  const auto evaluation = brain::Evaluate(model, split.held_out);

  json::object per_label;
  fmt::print("{:<22} {:>8}\n", "label", "held-out");
  for (const auto& [label, accuracy] : evaluation.per_label) {
    per_label[label] = accuracy;
    fmt::print("{:<22} {:>7.1f}%\n", label, 100 * accuracy);
  }
  fmt::print("{:<22} {:>7.1f}%  ({} trained, {} held out)\n", "overall", 100 * evaluation.accuracy, split.train.size(),
             split.held_out.size());
  json::object eval{{"model", *name},
                    {"data", data},
                    {"trained", split.train.size()},
                    {"held_out", split.held_out.size()},
                    {"accuracy", evaluation.accuracy},
                    {"per_label", std::move(per_label)}};
  // What turns and the API use: the rules and the model together.
  std::function<std::string(std::string_view)> rules;
  std::function<std::string(std::string_view)> combined;
  if (flags.model == "sales") {
    rules = [](std::string_view t) { return brain::KeywordActClassifier().Classify(t, "").label; };
    combined = [hybrid = std::make_shared<brain::HybridActClassifier>(model)](std::string_view t) {
      return hybrid->Classify(t, "").label;
    };
  } else {
    rules = [](std::string_view t) { return brain::IntentRules().Classify(t).label; };
    combined = [hybrid = std::make_shared<brain::IntentClassifier>(model)](std::string_view t) {
      return hybrid->Classify(t).label;
    };
  }
  auto accuracy = [](const std::vector<brain::LabelledText>& set, const auto& classify) {
    int right = 0;
    for (const auto& e : set) right += classify(e.text) == e.label ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(std::max<std::size_t>(set.size(), 1));
  };
  eval["accuracy_rules_alone"] = accuracy(split.held_out, rules);
  eval["accuracy_with_rules"] = accuracy(split.held_out, combined);
  fmt::print("{:<22} {:>7.1f}%\n{:<22} {:>7.1f}%  (training split: {:.1f}%)\n", "rules alone",
             100 * eval["accuracy_rules_alone"].as_double(), "rules + model",
             100 * eval["accuracy_with_rules"].as_double(), 100 * accuracy(split.train, combined));
  if (flags.show_errors) {
    // Only the training split: the held-out split stays unseen, so its accuracy stays honest.
    for (const auto& e : split.train) {
      if (const auto got = combined(e.text); got != e.label) fmt::print("  {} -> {}\t{}\n", e.label, got, e.text);
    }
    if (flags.model == "customer") {
      // Where the cue rules miss an example's own label: what they fired instead.
      for (const auto& e : split.train) {
        const auto hits = brain::IntentRuleHits(e.text);
        if (std::find(hits.begin(), hits.end(), e.label) == hits.end()) {
          fmt::print("  rules miss {} (fired: {})\t{}\n", e.label, fmt::join(hits, ","), e.text);
        }
      }
    }
  }

  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(out).parent_path(), ec);
  std::ofstream(out, std::ios::binary | std::ios::trunc) << model.Serialize();
  const std::string eval_path = std::filesystem::path(out).replace_extension(".eval.json").string();
  std::ofstream(eval_path, std::ios::trunc) << json::serialize(eval) << '\n';
  if (!std::ifstream(out) || !std::ifstream(eval_path)) {
    fmt::print(stderr, "train-classifier: cannot write {} or {}\n", out, eval_path);
    return kExitFailure;
  }
  fmt::print("wrote {} and {}\n", out, eval_path);
  return kExitOk;
}

int RunClassify(const ClassifyFlags& flags) {
  if (flags.model == "sales") {
    auto classifier = brain::MakeSalesActClassifier();
    if (!classifier) return Fail(classifier.error().message);
    const auto act = (*classifier)->Classify(flags.text, "");
    fmt::print("{}\t{:.2f}\n", act.label, act.confidence);
    return kExitOk;
  }
  if (flags.model == "customer") {
    auto classifier = brain::MakeCustomerIntentClassifier();
    if (!classifier) return Fail(classifier.error().message);
    const auto intent = (*classifier)->Classify(flags.text);
    fmt::print("{}\t{:.2f}\n", intent.label, intent.confidence);
    return kExitOk;
  }
  return Fail("the model must be sales or customer");
}

}  // namespace salesboost::app
