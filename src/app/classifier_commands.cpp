#include "app/classifier_commands.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>

#include "app/commands.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/linear_classifier.hpp"
#include "brain/models.hpp"
#include "core/read_file.hpp"

namespace salesboost::app {
namespace {

namespace json = boost::json;

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
  const auto model = brain::LinearClassifier::Train(split.train, brain::TrainOptions{});
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
  if (flags.model == "sales") {
    // What turns use: the rules and the model together.
    auto accuracy = [&](const conversation::SalesActClassifier& classifier) {
      int right = 0;
      for (const auto& e : split.held_out) right += classifier.Classify(e.text, "").label == e.label ? 1 : 0;
      return static_cast<double>(right) / static_cast<double>(split.held_out.size());
    };
    eval["accuracy_rules_alone"] = accuracy(brain::KeywordActClassifier());
    eval["accuracy_with_rules"] = accuracy(brain::HybridActClassifier(model));
    fmt::print("{:<22} {:>7.1f}%\n{:<22} {:>7.1f}%\n", "rules alone", 100 * eval["accuracy_rules_alone"].as_double(),
               "rules + model", 100 * eval["accuracy_with_rules"].as_double());
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
  auto model = brain::LoadBuiltinModel(flags.model);
  if (!model) {
    fmt::print(stderr, "classify: {}\n", model.error().message);
    return kExitConfigError;
  }
  const auto prediction = model->Predict(flags.text);
  fmt::print("{}\t{:.2f}\n", prediction.label, prediction.confidence);
  return kExitOk;
}

}  // namespace salesboost::app
