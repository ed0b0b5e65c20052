#include "knowledge/text/front_matter.hpp"

#include <algorithm>
#include <string_view>

namespace salesboost::knowledge {
namespace {

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \n\t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \n\t\r");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

FrontMatter TakeFrontMatter(std::string& markdown) {
  std::string_view rest = markdown;
  if (!rest.starts_with("---\n")) return {};
  const auto end = rest.find("\n---\n", 3);
  if (end == std::string_view::npos) return {};
  FrontMatter out;
  std::string_view block = rest.substr(4, end - 3);
  while (!block.empty()) {
    const auto eol = std::min(block.find('\n'), block.size());
    const std::string_view line = block.substr(0, eol);
    block.remove_prefix(std::min(eol + 1, block.size()));
    if (line.starts_with("type:")) out.type = Trim(line.substr(5));
    if (line.starts_with("collection:")) out.collection = Trim(line.substr(11));
  }
  markdown.erase(0, end + 5);
  return out;
}

std::string TakeFrontMatterType(std::string& markdown) { return TakeFrontMatter(markdown).type; }

}  // namespace salesboost::knowledge
