// Parent-child chunking (knowledge::ChunkDocument) of an extracted document,
// checked against the contract in chunker.hpp. The input's first three bytes
// choose the options (child, parent and overlap tokens, small so the cuts are
// many); the rest is the Markdown, pages split at form feeds.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/check.hpp"
#include "knowledge/text/chunker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  salesboost::knowledge::ChunkOptions options;
  options.child_tokens = 1 + data[0] % 48;
  options.parent_tokens = options.child_tokens + data[1] % 128;
  options.overlap_tokens = data[2] % options.child_tokens;
  const std::string_view markdown(reinterpret_cast<const char*>(data) + 3, size - 3);

  salesboost::knowledge::ExtractedDocument document{.id = "doc", .version = "v1", .pages = {}};
  std::size_t at = 0;
  do {
    const auto cut = std::min(markdown.find('\f', at), markdown.size());
    document.pages.push_back({static_cast<int>(document.pages.size()) + 1, std::string(markdown.substr(at, cut - at))});
    at = cut + 1;
  } while (at <= markdown.size());
  const std::string text = document.Text();

  const auto chunks = salesboost::knowledge::ChunkDocument(document, options);
  std::map<std::string, const salesboost::knowledge::Chunk*> parents;
  for (const auto& parent : chunks.parents) {
    SB_CHECK(parent.parent_id.empty());
    SB_CHECK(parent.begin <= parent.end && parent.end <= text.size());
    SB_CHECK(parent.text == text.substr(parent.begin, parent.end - parent.begin));
    SB_CHECK(parent.page >= 1 && parent.page <= parent.page_end &&
             parent.page_end <= static_cast<int>(document.pages.size()));
    parents[parent.id] = &parent;
  }
  std::size_t previous_begin = 0;
  for (const auto& child : chunks.children) {
    SB_CHECK(child.begin <= child.end && child.end <= text.size());
    SB_CHECK(child.text == text.substr(child.begin, child.end - child.begin));
    SB_CHECK(child.page == child.page_end);   // a child stays on one page
    SB_CHECK(child.begin >= previous_begin);  // in document order
    previous_begin = child.begin;
    const auto parent = parents.find(child.parent_id);
    SB_CHECK(parent != parents.end());
    SB_CHECK(parent->second->begin <= child.begin && child.end <= parent->second->end);
  }
  return 0;
}
