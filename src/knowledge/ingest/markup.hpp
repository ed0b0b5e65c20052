// Structured formats to Markdown, keeping headings and tables:
//   HTML  (libxml2's HTML parser: headings, paragraphs, lists, tables, <pre>;
//          scripts, styles and forms dropped)
//   CSV   (RFC 4180 quoting; comma, semicolon or tab detected from the first
//          line; Markdown tables of `rows_per_table` rows, each repeating the
//          header so every chunk of a long table can still be read)
//   DOCX  (libarchive reads word/document.xml with a size cap against zip
//          bombs; a document.xml with a <!DOCTYPE> is refused before its
//          declarations are read, so no entity is ever expanded or fetched;
//          headings from Heading/Title styles, tables kept)
// Each returns an invalid-argument error with a reason for malformed input.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::knowledge {

core::Result<std::string> HtmlToMarkdown(std::string_view html);

core::Result<std::string> CsvToMarkdown(std::string_view csv, std::size_t rows_per_table = 20);

struct DocxLimits {
  std::size_t max_xml_bytes = 64u << 20;  // uncompressed word/document.xml
  std::size_t max_ratio = 200;            // uncompressed / compressed, above 1 MiB
};

core::Result<std::string> DocxToMarkdown(std::string_view docx, const DocxLimits& limits = {});

}  // namespace salesboost::knowledge
