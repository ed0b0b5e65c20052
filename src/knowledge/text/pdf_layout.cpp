#include "knowledge/text/pdf_layout.hpp"

#include <algorithm>

namespace salesboost::knowledge {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    lines.push_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

// Cells of a layout line: separated by two or more spaces.
std::vector<std::string_view> Cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t i = line.find_first_not_of(' ');
  while (i != std::string_view::npos && i < line.size()) {
    auto gap = line.find("  ", i);
    if (gap == std::string_view::npos) gap = line.size();
    cells.push_back(line.substr(i, gap - i));
    i = line.find_first_not_of(' ', gap);
  }
  return cells;
}

}  // namespace

int CountPdfImages(std::string_view bytes) {
  int count = 0;
  for (const std::string_view needle : {std::string_view("/Subtype/Image"), std::string_view("/Subtype /Image")}) {
    for (auto at = bytes.find(needle); at != std::string_view::npos; at = bytes.find(needle, at + needle.size())) {
      ++count;
    }
  }
  return count;
}

std::string MarkHeadings(std::string_view markdown, const std::vector<std::pair<std::string, std::string>>& headings) {
  auto squeeze = [](std::string_view s) {
    std::string out;
    for (const char c : s) {
      if (c != ' ') out += c;
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> wanted;  // (squeezed text, prefix)
  wanted.reserve(headings.size());
  for (const auto& [prefix, text] : headings) wanted.emplace_back(squeeze(text), prefix);
  std::string out;
  for (const auto line : Lines(markdown)) {
    const auto key = squeeze(line);
    const auto found = std::find_if(wanted.begin(), wanted.end(), [&](const auto& w) { return w.first == key; });
    if (!key.empty() && found != wanted.end() && !line.starts_with('|') && !line.starts_with('#')) {
      out += found->second;
      wanted.erase(found);  // each heading once
    }
    out += line;
    out += '\n';
  }
  return out;
}

std::string AlignedTablesToMarkdown(std::string_view text) {
  const auto lines = Lines(text);
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    const auto cells = Cells(lines[i]);
    std::size_t j = i + 1;
    if (cells.size() >= 2) {
      while (j < lines.size() && Cells(lines[j]).size() == cells.size()) ++j;
    }
    if (cells.size() >= 2 && j - i >= 2) {
      for (std::size_t r = i; r < j; ++r) {
        out += '|';
        for (const auto cell : Cells(lines[r])) {
          out += ' ';
          out += cell;
          out += " |";
        }
        out += '\n';
        if (r == i) {
          out += '|';
          for (std::size_t c = 0; c < cells.size(); ++c) out += " --- |";
          out += '\n';
        }
      }
      out += '\n';
      i = j;
      continue;
    }
    const auto first = lines[i].find_first_not_of(' ');
    if (first != std::string_view::npos) {
      // Layout spaces between words collapse to one.
      std::string line;
      for (const auto cell : Cells(lines[i])) {
        if (!line.empty()) line += ' ';
        line += cell;
      }
      out += line;
    }
    out += '\n';
    ++i;
  }
  return out;
}

bool HasAlignedTable(std::string_view text) {
  const auto lines = Lines(text);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const auto n = Cells(lines[i]).size();
    if (n >= 2 && Cells(lines[i + 1]).size() == n) return true;
  }
  return false;
}

}  // namespace salesboost::knowledge
