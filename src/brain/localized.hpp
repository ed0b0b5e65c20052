// Reading the catalogue's localised texts ({"en": ..., "zh": ...}) in the
// session's language, falling back to the other one. Pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace salesboost::brain {

std::string Localized(const boost::json::value* texts, std::string_view language);
// Picks `en` or `zh` by language.
inline std::string_view Pick(std::string_view language, std::string_view en, std::string_view zh) {
  return language == "zh" ? zh : en;
}

}  // namespace salesboost::brain
