#include "brain/models.hpp"

#include <fmt/format.h>

#include "brain/builtin_models.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/intent_classifier.hpp"

namespace salesboost::brain {

std::optional<std::string> ModelName(std::string_view model) {
  if (model == "sales") return "sales_acts";
  if (model == "customer") return "customer_intents";
  return std::nullopt;
}

Tagger TaggerFor(std::string_view model) { return model == "customer" ? IntentCueTagger() : Tagger{}; }

core::Result<LinearClassifier> LoadBuiltinModel(std::string_view model) {
  const auto name = ModelName(model);
  if (!name) return core::Fail(core::ErrorCode::kInvalidArgument, "the model must be sales or customer");
  const auto content = core::FindEmbeddedFile(BuiltinModelFiles(), *name + ".model");
  if (!content) return core::Fail(core::ErrorCode::kNotFound, fmt::format("no built-in model {}", *name));
  return LinearClassifier::Parse(*content, TaggerFor(model));
}

TrainOptions TrainOptionsFor(std::string_view model) {
  // Chosen on the held-out template groups: 2^14 buckets (fewer hash
  // collisions between the many paraphrases) helped; more epochs than 30, a
  // lower learning rate, weight decay and more augmented copies did not
  // (within a point), so training stays quick.
  return TrainOptions{.buckets_log2 = 14, .epochs = 30, .tagger = TaggerFor(model)};
}

BuiltinTraining TrainBuiltinModel(std::string_view model, const std::vector<LabelledText>& examples) {
  auto split = SplitHeldOut(examples);
  auto evaluated = LinearClassifier::Train(split.train, TrainOptionsFor(model));
  evaluated.Calibrate(split.held_out);
  auto shipped = LinearClassifier::Train(examples, TrainOptionsFor(model));
  shipped.set_temperature(evaluated.temperature());
  return BuiltinTraining{.split = std::move(split), .evaluated = std::move(evaluated), .shipped = std::move(shipped)};
}

core::Result<std::unique_ptr<conversation::SalesActClassifier>> MakeSalesActClassifier() {
  auto model = LoadBuiltinModel("sales");
  if (!model) return core::Fail(model.error());
  return std::unique_ptr<conversation::SalesActClassifier>(std::make_unique<HybridActClassifier>(std::move(*model)));
}

core::Result<std::unique_ptr<conversation::CustomerIntentClassifier>> MakeCustomerIntentClassifier() {
  auto model = LoadBuiltinModel("customer");
  if (!model) return core::Fail(model.error());
  return std::unique_ptr<conversation::CustomerIntentClassifier>(std::make_unique<IntentClassifier>(std::move(*model)));
}

}  // namespace salesboost::brain
