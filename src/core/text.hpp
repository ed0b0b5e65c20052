// Text basics for Chinese and English, on ICU: normalisation, word
// segmentation (ICU's dictionary-based BreakIterator for CJK), sentence
// splitting on Chinese and English sentence ends, and a Chinese-aware token
// count. Invalid UTF-8 is read as U+FFFD. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace salesboost::core {

// NFKC: full-width Latin and digits become ASCII, compatibility forms unify.
std::string NormalizeText(std::string_view text);
// NFKC with case folding: the form to compare or search text in.
std::string FoldText(std::string_view text);

// Whether `folded` (FoldText's output) holds `phrase` (authored in lower
// case): Latin phrases at a word start, so "approv" finds "approval" but not
// "disapproval"; CJK phrases anywhere.
bool ContainsPhrase(std::string_view folded, std::string_view phrase);

// Whether the text holds nothing but white space (any Unicode white space,
// the full-width space and zero-width characters included).
bool IsBlank(std::string_view text);

// Words in reading order, without spaces and punctuation: "我们正在讨论" ->
// {"我们", "正在", "讨论"}; "Hello, world" -> {"Hello", "world"}.
std::vector<std::string> SegmentWords(std::string_view text);

// Sentences, each with its end mark (。！？!?；; and '.' not inside a number)
// and any closing quote or bracket after it; surrounding whitespace trimmed.
std::vector<std::string> SplitSentences(std::string_view text);

// Roughly what an LLM tokenizer counts: one per CJK character, one per four
// bytes of other words (at least one), one per punctuation mark.
std::size_t CountTokens(std::string_view text);

// Whether any character is a Han ideograph: how the engines tell Chinese text from English.
bool ContainsHan(std::string_view text);

// "a, b,,c " -> {"a", "b", "c"}: comma-separated items, trimmed, empty ones dropped.
std::vector<std::string> SplitCommaList(std::string_view text);

}  // namespace salesboost::core
