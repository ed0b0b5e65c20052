#include "app/classifier_commands.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>

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

namespace {

json::object ScoresJson(const brain::Evaluation& evaluation) {
  json::object per_label;
  for (const auto& s : evaluation.per_label) {
    per_label[s.label] = json::object{{"precision", s.precision}, {"recall", s.recall}, {"support", s.support}};
  }
  return per_label;
}

json::object CalibrationJson(const brain::CalibrationMeasure& m) {
  return json::object{{"ece", m.ece},
                      {"brier", m.brier},
                      {"log_loss", m.log_loss},
                      {"mean_confidence", m.mean_confidence},
                      {"share_confident", m.share_confident}};
}

void PrintScores(std::string_view title, const brain::Evaluation& evaluation) {
  fmt::print("{}\n{:<22} {:>9} {:>7} {:>8}\n", title, "label", "precision", "recall", "examples");
  for (const auto& s : evaluation.per_label) {
    fmt::print("{:<22} {:>8.1f}% {:>6.1f}% {:>8}\n", s.label, 100 * s.precision, 100 * s.recall, s.support);
  }
}

void PrintCalibration(std::string_view what, const brain::CalibrationMeasure& before,
                      const brain::CalibrationMeasure& after) {
  fmt::print(
      "{:<34} ECE {:.3f} -> {:.3f}, Brier {:.3f} -> {:.3f}, mean confidence {:.2f} -> {:.2f}, at least 0.5: {:.0f}% -> "
      "{:.0f}%\n",
      what, before.ece, after.ece, before.brier, after.brier, before.mean_confidence, after.mean_confidence,
      100 * before.share_confident, 100 * after.share_confident);
}

// The calibration measured honestly on the held-out groups: the temperature
// fitted on one half of them (alternate groups), measured on the other half,
// and the other way round; the two measures weighted by their sizes.
brain::CalibrationMeasure CrossFittedCalibration(const brain::LinearClassifier& model,
                                                 const std::vector<brain::LabelledText>& held_out) {
  std::array<std::vector<brain::LabelledText>, 2> halves;
  std::map<std::string, std::size_t> half_of_group;
  for (const auto& e : held_out) {
    const auto [at, fresh] = half_of_group.try_emplace(e.group, half_of_group.size() % 2);
    halves[at->second].push_back(e);
  }
  brain::CalibrationMeasure total;
  for (std::size_t h = 0; h < 2; ++h) {
    auto fitted = model;
    fitted.Calibrate(halves[h]);
    const auto m = brain::MeasureCalibration(fitted, halves[1 - h]);
    const double weight = static_cast<double>(halves[1 - h].size()) / static_cast<double>(held_out.size());
    total.ece += weight * m.ece;
    total.brier += weight * m.brier;
    total.log_loss += weight * m.log_loss;
    total.mean_confidence += weight * m.mean_confidence;
    total.share_confident += weight * m.share_confident;
  }
  return total;
}

std::size_t CountGroups(const std::vector<brain::LabelledText>& examples) {
  std::set<std::string_view> groups;
  for (const auto& e : examples) groups.insert(e.group);
  return groups.size();
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
  const std::string independent_path =
      flags.independent.empty() ? fmt::format("data/classifier/{}.independent.tsv", *name) : flags.independent;
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
  std::vector<brain::LabelledText> independent;
  if (const auto independent_text = core::ReadWholeFile(independent_path)) {
    auto parsed = brain::ParseLabelledTexts(*independent_text);
    if (!parsed) {
      fmt::print(stderr, "train-classifier: {}: {}\n", independent_path, parsed.error().message);
      return kExitConfigError;
    }
    independent = std::move(*parsed);
  } else if (!flags.independent.empty()) {
    fmt::print(stderr, "train-classifier: cannot read {}\n", independent_path);
    return kExitConfigError;
  }
  const auto training = brain::TrainBuiltinModel(flags.model, *examples);
  const auto& split = training.split;
  const auto& model = training.evaluated;
  auto uncalibrated = model;
  uncalibrated.set_temperature(1);

  // What turns and the API use: the rules and the model together.
  auto make_combined = [&flags](const brain::LinearClassifier& m) -> std::function<std::string(std::string_view)> {
    if (flags.model == "sales") {
      return [hybrid = std::make_shared<brain::HybridActClassifier>(m)](std::string_view t) {
        return hybrid->Classify(t, "").label;
      };
    }
    return [intents = std::make_shared<brain::IntentClassifier>(m)](std::string_view t) {
      return intents->Classify(t).label;
    };
  };
  std::function<std::string(std::string_view)> rules;
  if (flags.model == "sales") {
    rules = [](std::string_view t) { return brain::KeywordActClassifier().Classify(t, "").label; };
  } else {
    rules = [](std::string_view t) { return brain::IntentRules().Classify(t).label; };
  }
  const auto combined = make_combined(model);
  const auto model_alone = brain::Evaluate(model, split.held_out);
  const auto with_rules = brain::Evaluate(combined, split.held_out);
  const auto rules_alone = brain::Evaluate(rules, split.held_out);
  PrintScores("held-out template groups (what turns use):", with_rules);
  fmt::print("{:<22} {:>7.1f}%  ({} trained in {} groups, {} held out in {} groups)\n", "model alone",
             100 * model_alone.accuracy, split.train.size(), CountGroups(split.train), split.held_out.size(),
             CountGroups(split.held_out));
  fmt::print("{:<22} {:>7.1f}%\n{:<22} {:>7.1f}%  (training split: {:.1f}%)\n", "rules alone",
             100 * rules_alone.accuracy, "rules + model", 100 * with_rules.accuracy,
             100 * brain::Evaluate(combined, split.train).accuracy);

  const auto held_out_before = brain::MeasureCalibration(uncalibrated, split.held_out);
  const auto held_out_after = CrossFittedCalibration(uncalibrated, split.held_out);
  fmt::print("temperature {:.4f}\n", model.temperature());
  PrintCalibration("held out (after: cross-fitted)", held_out_before, held_out_after);
  json::object calibration{{"held_out", json::object{{"before", CalibrationJson(held_out_before)},
                                                     {"after_cross_fitted", CalibrationJson(held_out_after)}}}};
  json::object eval{
      {"model", *name},
      {"data", data},
      {"split", "every fifth template group of each label held out whole; the shipped model then trains on all"},
      {"examples", examples->size()},
      {"trained", split.train.size()},
      {"trained_groups", CountGroups(split.train)},
      {"held_out", split.held_out.size()},
      {"held_out_groups", CountGroups(split.held_out)},
      {"accuracy", model_alone.accuracy},
      {"accuracy_rules_alone", rules_alone.accuracy},
      {"accuracy_with_rules", with_rules.accuracy},
      {"per_label", ScoresJson(with_rules)},
      {"temperature", model.temperature()}};
  if (!independent.empty()) {
    // The model that ships: trained on every group.
    const auto independent_alone = brain::Evaluate(training.shipped, independent);
    const auto independent_combined = brain::Evaluate(make_combined(training.shipped), independent);
    PrintScores(fmt::format("independent set {} (never trained on):", independent_path), independent_combined);
    fmt::print("{:<22} {:>7.1f}%\n{:<22} {:>7.1f}%  ({} examples)\n", "model alone", 100 * independent_alone.accuracy,
               "rules + model", 100 * independent_combined.accuracy, independent.size());
    auto shipped_uncalibrated = training.shipped;
    shipped_uncalibrated.set_temperature(1);
    const auto before = brain::MeasureCalibration(shipped_uncalibrated, independent);
    const auto after = brain::MeasureCalibration(training.shipped, independent);
    PrintCalibration("independent set", before, after);
    calibration["independent"] = json::object{{"before", CalibrationJson(before)}, {"after", CalibrationJson(after)}};
    eval["independent"] = json::object{{"data", independent_path},
                                       {"examples", independent.size()},
                                       {"accuracy", independent_alone.accuracy},
                                       {"accuracy_with_rules", independent_combined.accuracy},
                                       {"per_label", ScoresJson(independent_combined)}};
  }
  eval["calibration"] = std::move(calibration);
  if (flags.show_errors) {
    // Only the training split: the held-out groups stay unseen, so their accuracy stays honest.
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
  std::ofstream(out, std::ios::binary | std::ios::trunc) << training.shipped.Serialize();
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
