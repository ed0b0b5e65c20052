// The classifier models built into the binary (trained by
// `salesboost train-classifier`, kept under data/models/), and the
// classifiers turns and the API use: each model with its rules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "brain/linear_classifier.hpp"
#include "conversation/agents.hpp"
#include "core/result.hpp"

namespace salesboost::brain {

// "sales" -> "sales_acts", "customer" -> "customer_intents"; nullopt otherwise.
std::optional<std::string> ModelName(std::string_view model);
// The extra features `model` is trained and loaded with (the customer model: its cue rules).
Tagger TaggerFor(std::string_view model);
core::Result<LinearClassifier> LoadBuiltinModel(std::string_view model);

// How a built-in model is made from its data (data/classifier/<name>.tsv).
// A model trained with TrainOptionsFor(model) on the training groups of
// SplitHeldOut, its temperature fitted on the held-out groups, is what the
// evaluation measures: how the recipe does on ideas it never saw. The model
// that ships is the same recipe on every example, with that temperature.
// `salesboost train-classifier` and the test that checks the shipped models
// both call it.
struct BuiltinTraining {
  Split split;
  LinearClassifier evaluated;  // trained on split.train, calibrated on split.held_out
  LinearClassifier shipped;    // trained on all examples, evaluated's temperature
};
TrainOptions TrainOptionsFor(std::string_view model);
BuiltinTraining TrainBuiltinModel(std::string_view model, const std::vector<LabelledText>& examples);

core::Result<std::unique_ptr<conversation::SalesActClassifier>> MakeSalesActClassifier();
core::Result<std::unique_ptr<conversation::CustomerIntentClassifier>> MakeCustomerIntentClassifier();

}  // namespace salesboost::brain
