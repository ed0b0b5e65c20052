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

core::Result<std::unique_ptr<conversation::SalesActClassifier>> MakeSalesActClassifier();
core::Result<std::unique_ptr<conversation::CustomerIntentClassifier>> MakeCustomerIntentClassifier();

}  // namespace salesboost::brain
