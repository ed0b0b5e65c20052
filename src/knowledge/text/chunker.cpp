#include "knowledge/text/chunker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "core/text.hpp"

namespace salesboost::knowledge {
namespace {

// A piece chunks are made of: a heading line, a paragraph, a table, or a
// sentence (or part of one) of a block too long for one child.
struct Unit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t tokens = 0;
  bool heading = false;  // starts a parent
  std::vector<std::string> path;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int HeadingLevel(std::string_view line) {
  std::size_t level = 0;
  while (level < line.size() && line[level] == '#') ++level;
  return level >= 1 && level <= 6 && level < line.size() && line[level] == ' ' ? static_cast<int>(level) : 0;
}

std::size_t CodePointLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Cuts [begin, end) of `text` into pieces of at most `limit` tokens between
// words or Han characters (a sentence too long for one child).
void CutLong(const std::string& text, std::size_t begin, std::size_t end, std::size_t limit, const Unit& model,
             std::vector<Unit>& out) {
  std::size_t start = begin;
  std::size_t tokens = 0;
  std::size_t i = begin;
  auto emit = [&](std::size_t until) {
    Unit u = model;
    u.begin = start;
    u.end = until;
    u.tokens = tokens;
    out.push_back(std::move(u));
    start = until;
    tokens = 0;
  };
  while (i < end) {
    // The next atom: one Han character, or a run of other non-space characters with the spaces after it.
    std::size_t j = i;
    const auto first = std::min(CodePointLength(static_cast<unsigned char>(text[j])), end - j);
    if (first >= 3 && core::ContainsHan(std::string_view(text).substr(j, first))) {
      j += first;
    } else {
      while (j < end && text[j] != ' ' && text[j] != '\n') {
        const auto len = std::min(CodePointLength(static_cast<unsigned char>(text[j])), end - j);
        if (len >= 3 && core::ContainsHan(std::string_view(text).substr(j, len))) break;
        j += len;
      }
      if (j == i) j += first;  // a lone space
    }
    while (j < end && (text[j] == ' ' || text[j] == '\n')) ++j;
    const std::size_t atom = core::CountTokens(std::string_view(text).substr(i, j - i));
    if (tokens > 0 && tokens + atom > limit) emit(i);
    tokens += atom;
    i = j;
  }
  if (start < end) emit(end);
}

// A block (paragraph or table) as units: whole when it fits a child, else by
// sentences (table rows), and sentences too long by CutLong.
void AddBlock(const std::string& text, std::size_t begin, std::size_t end, bool table,
              const std::vector<std::string>& path, const ChunkOptions& options, std::vector<Unit>& out) {
  const std::string_view block(text.data() + begin, end - begin);
  Unit model{.begin = begin, .end = end, .tokens = core::CountTokens(block), .heading = false, .path = path};
  if (model.tokens <= options.child_tokens) {
    out.push_back(std::move(model));
    return;
  }
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  if (table) {
    std::size_t at = begin;
    while (at < end) {
      const auto nl = std::min(text.find('\n', at), end);
      pieces.emplace_back(at, nl);
      at = nl + 1;
    }
  } else {
    std::size_t cursor = 0;
    for (const auto& sentence : core::SplitSentences(block)) {
      const auto found = block.find(sentence, cursor);
      if (found == std::string_view::npos) continue;
      pieces.emplace_back(begin + found, begin + found + sentence.size());
      cursor = found + sentence.size();
    }
    if (pieces.empty()) pieces.emplace_back(begin, end);
  }
  for (const auto& [b, e] : pieces) {
    const std::size_t tokens = core::CountTokens(std::string_view(text).substr(b, e - b));
    if (tokens == 0) continue;
    if (tokens > options.child_tokens) {
      CutLong(text, b, e, options.child_tokens, model, out);
    } else {
      Unit u = model;
      u.begin = b;
      u.end = e;
      u.tokens = tokens;
      out.push_back(std::move(u));
    }
  }
}

std::vector<Unit> Units(const std::string& text, const ChunkOptions& options) {
  std::vector<Unit> units;
  std::vector<std::string> path;
  std::size_t block_begin = std::string::npos;
  std::size_t block_end = 0;
  bool block_table = false;
  auto flush = [&] {
    if (block_begin != std::string::npos) AddBlock(text, block_begin, block_end, block_table, path, options, units);
    block_begin = std::string::npos;
  };
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = std::min(text.find('\n', at), text.size());
    const std::string_view raw(text.data() + at, nl - at);
    const auto line = Trim(raw);
    const auto line_begin = at + static_cast<std::size_t>(line.data() - raw.data());
    const auto line_end = line_begin + line.size();
    at = nl + 1;
    if (line.empty()) {
      flush();
      continue;
    }
    if (const int level = HeadingLevel(line); level > 0) {
      flush();
      path.resize(std::min(path.size(), static_cast<std::size_t>(level - 1)));
      path.emplace_back(Trim(line.substr(static_cast<std::size_t>(level) + 1)));
      units.push_back(
          Unit{.begin = line_begin, .end = line_end, .tokens = core::CountTokens(line), .heading = true, .path = path});
      continue;
    }
    const bool table = line.front() == '|';
    if (block_begin != std::string::npos && table != block_table) flush();
    if (block_begin == std::string::npos) {
      block_begin = line_begin;
      block_table = table;
    }
    block_end = line_end;
  }
  flush();
  return units;
}

std::uint64_t Fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string ExtractedDocument::Text() const {
  std::string out;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (i > 0) out += "\n\n";
    out += pages[i].markdown;
  }
  return out;
}

std::string ChunkId(const std::string& document_id, const std::string& version, std::size_t begin, std::size_t end,
                    bool parent) {
  const auto h = Fnv1a(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", document_id, version, begin, end, parent ? "p" : "c"));
  return fmt::format("{:016x}", h);
}

Chunks ChunkDocument(const ExtractedDocument& document, const ChunkOptions& options) {
  const std::string text = document.Text();
  std::vector<std::pair<std::size_t, int>> page_starts;
  std::size_t offset = 0;
  for (const auto& page : document.pages) {
    page_starts.emplace_back(offset, page.number);
    offset += page.markdown.size() + 2;
  }
  auto page_at = [&page_starts](std::size_t at) {
    auto it =
        std::upper_bound(page_starts.begin(), page_starts.end(), std::make_pair(at, std::numeric_limits<int>::max()));
    return it == page_starts.begin() ? 1 : std::prev(it)->second;
  };
  auto make = [&](const std::vector<Unit>& units, std::size_t first, std::size_t last, const std::string& parent_id) {
    Chunk c;
    c.document_id = document.id;
    c.version = document.version;
    c.parent_id = parent_id;
    c.begin = units[first].begin;
    c.end = units[last].end;
    c.id = ChunkId(document.id, document.version, c.begin, c.end, parent_id.empty());
    c.page = page_at(c.begin);
    c.page_end = page_at(c.end == c.begin ? c.begin : c.end - 1);
    c.heading_path = units[first].path;
    c.text = text.substr(c.begin, c.end - c.begin);
    for (std::size_t i = first; i <= last; ++i) c.tokens += units[i].tokens;  // units are counted once
    return c;
  };

  const auto units = Units(text, options);
  Chunks out;
  std::size_t first = 0;
  while (first < units.size()) {
    // A parent: from a heading or where the last one ended, up to parent_tokens.
    std::size_t last = first;
    std::size_t tokens = units[first].tokens;
    while (last + 1 < units.size() && !units[last + 1].heading &&
           tokens + units[last + 1].tokens <= options.parent_tokens) {
      tokens += units[++last].tokens;
    }
    Chunk parent = make(units, first, last, {});
    // Its children: up to child_tokens each, the next starting with about overlap_tokens of the previous.
    // A child stays on one page (units never cross pages), so its page is where its text is; the
    // first child of a page takes no overlap from the page before.
    std::size_t c_first = first;
    while (c_first <= last) {
      const int page = page_at(units[c_first].begin);
      std::size_t c_last = c_first;
      std::size_t c_tokens = units[c_first].tokens;
      while (c_last + 1 <= last && c_tokens + units[c_last + 1].tokens <= options.child_tokens &&
             page_at(units[c_last + 1].begin) == page) {
        c_tokens += units[++c_last].tokens;
      }
      out.children.push_back(make(units, c_first, c_last, parent.id));
      if (c_last == last) break;
      std::size_t next = c_last + 1;
      if (page_at(units[next].begin) == page) {
        std::size_t overlap = 0;
        while (next - 1 > c_first && overlap + units[next - 1].tokens <= options.overlap_tokens) {
          overlap += units[--next].tokens;
        }
      }
      c_first = next;
    }
    out.parents.push_back(std::move(parent));
    first = last + 1;
  }
  return out;
}

}  // namespace salesboost::knowledge
