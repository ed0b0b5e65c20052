// Keyword search for the offline engines over text folded by core::FoldText:
// Latin keywords match as word prefixes ("price" matches "prices" but not
// "caprice"), CJK keywords as substrings; and the cue lists they share.
// Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>

namespace salesboost::brain {

// `folded` must come from core::FoldText.
bool ContainsKeyword(std::string_view folded, std::string_view keyword);
bool ContainsAny(std::string_view folded, const std::vector<std::string_view>& keywords);
bool ContainsAny(std::string_view folded, const std::vector<std::string>& keywords);
// The first keyword of a JSON array of strings that occurs, or empty.
std::string FirstMatch(std::string_view folded, const boost::json::array& keywords);

// Cue phrases the engines share (Chinese and English).
const std::vector<std::string_view>& EmpathyCues();      // acknowledging the customer
const std::vector<std::string_view>& SuperlativeCues();  // claims nobody can check

}  // namespace salesboost::brain
