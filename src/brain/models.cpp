#include "brain/models.hpp"

#include <fmt/format.h>

#include "brain/builtin_models.hpp"

namespace salesboost::brain {

std::optional<std::string> ModelName(std::string_view model) {
  if (model == "sales") return "sales_acts";
  if (model == "customer") return "customer_intents";
  return std::nullopt;
}

core::Result<LinearClassifier> LoadBuiltinModel(std::string_view model) {
  const auto name = ModelName(model);
  if (!name) return core::Fail(core::ErrorCode::kInvalidArgument, "the model must be sales or customer");
  for (const auto& file : BuiltinModelFiles()) {
    if (file.name == *name + ".model") return LinearClassifier::Parse(file.content);
  }
  return core::Fail(core::ErrorCode::kNotFound, fmt::format("no built-in model {}", *name));
}

}  // namespace salesboost::brain
