#include "core/markdown.hpp"

#include <algorithm>
#include <vector>

namespace salesboost::core {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "---", "***", "___" (three or more, spaces allowed), or a table's "|---|:--:|".
bool IsRule(std::string_view line, std::string_view marks) {
  std::size_t count = 0;
  for (const char c : line) {
    if (IsSpace(c)) continue;
    if (marks.find(c) == std::string_view::npos) return false;
    count += c == '-' || c == '*' || c == '_' ? 1 : 0;
  }
  return count >= 3;
}

std::string_view WithoutBlockMarks(std::string_view line) {
  for (bool changed = true; changed;) {
    changed = false;
    line = Trim(line);
    if (line.starts_with('>')) {
      line.remove_prefix(1);
      changed = true;
    } else if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && IsSpace(line[1])) {
      line.remove_prefix(2);
      changed = true;
    } else {
      std::size_t digits = 0;
      while (digits < line.size() && digits < 9 && line[digits] >= '0' && line[digits] <= '9') ++digits;
      if (digits > 0 && digits + 1 < line.size() && (line[digits] == '.' || line[digits] == ')') &&
          IsSpace(line[digits + 1])) {
        line.remove_prefix(digits + 2);
        changed = true;
      }
    }
  }
  return line;
}

// Inline marks of one line: links, images, emphasis, code, HTML tags.
std::string WithoutInlineMarks(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    // [text](target) and ![alt](target): the text.
    if (c == '[' || (c == '!' && i + 1 < line.size() && line[i + 1] == '[')) {
      const std::size_t open = c == '!' ? i + 1 : i;
      const auto close = line.find(']', open);
      if (close != std::string_view::npos && close + 1 < line.size() && line[close + 1] == '(') {
        const auto end = line.find(')', close + 2);
        if (end != std::string_view::npos) {
          out += WithoutInlineMarks(line.substr(open + 1, close - open - 1));
          i = end + 1;
          continue;
        }
      }
    }
    if (c == '*' || c == '`') {
      ++i;
      continue;
    }
    if (c == '~' && i + 1 < line.size() && line[i + 1] == '~') {
      i += 2;
      continue;
    }
    // _emphasis_ and __strong__, but not snake_case.
    if (c == '_') {
      const bool after_word = i > 0 && IsAsciiAlnum(line[i - 1]);
      std::size_t j = i;
      while (j < line.size() && line[j] == '_') ++j;
      const bool before_word = j < line.size() && IsAsciiAlnum(line[j]);
      if (!(after_word && before_word)) {
        i = j;
        continue;
      }
    }
    // <br>, <b>, </td>: a tag is a letter or '/' after '<' and ends at '>'.
    if (c == '<' && i + 1 < line.size() &&
        (line[i + 1] == '/' || ((line[i + 1] | 0x20) >= 'a' && (line[i + 1] | 0x20) <= 'z'))) {
      const auto end = line.find('>', i);
      if (end != std::string_view::npos) {
        if (!out.empty() && out.back() != ' ') out += ' ';
        i = end + 1;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace

std::string StripMarkdown(std::string_view markdown) {
  std::string out;
  out.reserve(markdown.size());
  while (!markdown.empty()) {
    const auto end = std::min(markdown.find('\n'), markdown.size());
    std::string_view line = Trim(markdown.substr(0, end));
    markdown.remove_prefix(std::min(end + 1, markdown.size()));
    if (line.starts_with('#') || IsRule(line, "-*_ ") ||
        (line.find('|') != std::string_view::npos && IsRule(line, "|-: "))) {
      continue;
    }
    std::string text;
    if (line.starts_with('|')) {
      // A table row: its cells, joined.
      line.remove_prefix(1);
      if (line.ends_with('|')) line.remove_suffix(1);
      while (true) {
        const auto bar = line.find('|');
        const auto cell = WithoutInlineMarks(Trim(line.substr(0, bar)));
        if (!Trim(cell).empty()) {
          if (!text.empty()) text += ", ";
          text += Trim(cell);
        }
        if (bar == std::string_view::npos) break;
        line.remove_prefix(bar + 1);
      }
    } else {
      text = WithoutInlineMarks(WithoutBlockMarks(line));
    }
    const auto trimmed = Trim(text);
    if (trimmed.empty()) continue;
    if (!out.empty()) out += '\n';
    out += trimmed;
  }
  return out;
}

}  // namespace salesboost::core
