// Parent-child chunking of an extracted document (Markdown, page by page).
//
// Parents (about `parent_tokens`) are what agents read; children (about
// `child_tokens`) are what retrieval indexes, each inside one parent. Cuts
// fall at headings (a heading always starts a parent), then paragraph ends,
// then sentence ends (。！？.!?；), and only inside a sentence when one
// sentence alone is too long. Consecutive children of a parent share about
// `overlap_tokens` of text. Token counts are Chinese-aware
// (core::CountTokens: one per Han character, one per word otherwise).
//
// Every chunk keeps the document id and version, the pages it starts and ends
// on (a child stays on one page, so a hit cites the page of its text), the
// heading path above it and its byte offsets in the document text (the pages
// joined by "\n\n"). Ids are stable: a hash of document id, version and
// offsets, so the same content chunks to the same ids. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace salesboost::knowledge {

struct ChunkOptions {
  std::size_t child_tokens = 128;
  std::size_t parent_tokens = 512;
  std::size_t overlap_tokens = 16;
};

struct ExtractedPage {
  int number = 1;        // 1-based
  std::string markdown;  // the page's text as Markdown
};

struct ExtractedDocument {
  std::string id;
  std::string version;  // content hash
  std::vector<ExtractedPage> pages;

  // The pages joined by "\n\n": what chunk offsets refer to.
  std::string Text() const;
};

struct Chunk {
  std::string id;
  std::string document_id;
  std::string version;
  std::string parent_id;  // children: their parent's id; parents: empty
  int page = 1;           // where the chunk starts; a child's whole text is on this page
  int page_end = 1;       // where it ends: a parent may span pages (page_end > page), a child never does
  std::vector<std::string> heading_path;
  std::size_t begin = 0;  // byte offsets in ExtractedDocument::Text()
  std::size_t end = 0;
  std::size_t tokens = 0;
  std::string text;
};

struct Chunks {
  std::vector<Chunk> parents;
  std::vector<Chunk> children;  // in document order
};

Chunks ChunkDocument(const ExtractedDocument& document, const ChunkOptions& options = {});

// 16 hex digits: FNV-1a 64 of the document id, version and offsets.
std::string ChunkId(const std::string& document_id, const std::string& version, std::size_t begin, std::size_t end,
                    bool parent);

}  // namespace salesboost::knowledge
