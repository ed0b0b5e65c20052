// Small text helpers for the offline engines: case folding (NFKC, so
// full-width Latin matches too) and keyword
// search that treats Latin keywords as word prefixes ("price" matches
// "prices" but not "caprice") and CJK keywords as substrings. Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>

namespace salesboost::brain {

std::string FoldCase(std::string_view text);
// `folded` must come from FoldCase.
bool ContainsKeyword(std::string_view folded, std::string_view keyword);
bool ContainsAny(std::string_view folded, const std::vector<std::string_view>& keywords);
// The first keyword of a JSON array of strings that occurs, or empty.
std::string FirstMatch(std::string_view folded, const boost::json::array& keywords);

// Cue phrases the engines share (Chinese and English).
const std::vector<std::string_view>& EmpathyCues();      // acknowledging the customer
const std::vector<std::string_view>& PressureCues();     // pushing for a decision
const std::vector<std::string_view>& GuaranteeCues();    // promising returns or no risk
const std::vector<std::string_view>& SuperlativeCues();  // claims nobody can check

}  // namespace salesboost::brain
