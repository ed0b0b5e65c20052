// StripMarkdown: the plain text of a Markdown passage, for text that is said
// or shown as a sentence (a fact quoted in a suggested reply). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace salesboost::core {

// Line by line: headings, horizontal rules and table separator rows are
// dropped (a heading names a passage, it states nothing); blockquote marks
// and list markers ("- ", "* ", "+ ", "1. ", "1) ") go; a table row becomes
// its cells joined by ", "; links and images keep their text ("[our
// prices](https://…)" -> "our prices"); emphasis, strike-through and code
// marks (*, **, _, __, ~~, `) and HTML tags go. Line breaks are kept;
// empty lines are dropped.
std::string StripMarkdown(std::string_view markdown);

}  // namespace salesboost::core
