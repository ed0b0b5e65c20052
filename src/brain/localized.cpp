#include "brain/localized.hpp"

namespace salesboost::brain {

std::string Localized(const boost::json::value* texts, std::string_view language) {
  if (texts == nullptr) return {};
  if (texts->is_string()) return std::string(texts->get_string());
  if (!texts->is_object()) return {};
  const auto& by_language = texts->get_object();
  if (const auto* text = by_language.if_contains(language); text != nullptr && text->is_string()) {
    return std::string(text->get_string());
  }
  for (const auto& [key, value] : by_language) {
    if (value.is_string()) return std::string(value.get_string());
  }
  return {};
}

}  // namespace salesboost::brain
