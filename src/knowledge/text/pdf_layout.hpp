// PDF text as Markdown: what the physical-layout text of a page and the
// heading lines of larger type become, and a cheap signal read from the raw
// file. Pure functions over text; the PDF itself is read behind PdfDocument.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salesboost::knowledge {

// Image XObjects in the raw file (a cheap signal; no decoding).
int CountPdfImages(std::string_view bytes);

// Prefixes the lines of `markdown` that match a heading (spaces ignored) with its "# " or "## ".
std::string MarkHeadings(std::string_view markdown, const std::vector<std::pair<std::string, std::string>>& headings);

// Turns runs of two or more lines that share their column layout (cells
// separated by 2+ spaces, at least 2 columns) into Markdown tables; other
// lines stay as they are, with leading layout spaces removed.
std::string AlignedTablesToMarkdown(std::string_view text);

// True when the physical-layout text has a run of aligned rows.
bool HasAlignedTable(std::string_view text);

}  // namespace salesboost::knowledge
