#include "knowledge/ingest/markup.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "core/utf8.hpp"

namespace salesboost::knowledge {
namespace {

using Row = std::vector<std::string>;

std::string_view Name(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

// Collapses runs of whitespace to one space.
void AppendInline(std::string& out, std::string_view text) {
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \n\t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \n\t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::string Cell(std::string_view text) {
  std::string out;
  for (const char c : Trim(text)) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out.push_back(' ');
    else
      out.push_back(c);
  }
  return out;
}

// A Markdown table; rows are padded to the widest.
void AppendTable(std::string& out, const std::vector<Row>& rows) {
  if (rows.empty()) return;
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.size());
  if (width == 0) return;
  auto line = [&](const Row& row) {
    out += '|';
    for (std::size_t i = 0; i < width; ++i) {
      out += ' ';
      out += i < row.size() ? Cell(row[i]) : std::string();
      out += " |";
    }
    out += '\n';
  };
  line(rows.front());
  out += '|';
  for (std::size_t i = 0; i < width; ++i) out += " --- |";
  out += '\n';
  for (std::size_t i = 1; i < rows.size(); ++i) line(rows[i]);
  out += '\n';
}

void EndBlock(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) return;
  if (out.back() != '\n') out += '\n';
  if (out.size() < 2 || out[out.size() - 2] != '\n') out += '\n';
}

// ---- HTML ----

void HtmlText(const xmlNode* node, std::string& out) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      AppendInline(out, reinterpret_cast<const char*>(child->content));
    } else if (child->type == XML_ELEMENT_NODE) {
      const auto name = Name(child);
      if (name == "script" || name == "style") continue;
      if (name == "br") out += ' ';
      HtmlText(child->children, out);
    }
  }
}

void HtmlTableRows(const xmlNode* node, std::vector<Row>& rows) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    const auto name = Name(child);
    if (name == "tr") {
      Row row;
      for (const xmlNode* cell = child->children; cell != nullptr; cell = cell->next) {
        if (cell->type != XML_ELEMENT_NODE || (Name(cell) != "td" && Name(cell) != "th")) continue;
        std::string text;
        HtmlText(cell->children, text);
        row.push_back(std::move(text));
      }
      if (!row.empty()) rows.push_back(std::move(row));
    } else if (name != "table") {  // thead, tbody, tfoot; nested tables stay out
      HtmlTableRows(child->children, rows);
    }
  }
}

void HtmlBlocks(const xmlNode* node, std::string& out) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      AppendInline(out, reinterpret_cast<const char*>(child->content));
      continue;
    }
    if (child->type != XML_ELEMENT_NODE) continue;
    const auto name = Name(child);
    if (name == "script" || name == "style" || name == "noscript" || name == "template" || name == "head" ||
        name == "form" || name == "button" || name == "select" || name == "svg") {
      continue;
    }
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      std::string text;
      HtmlText(child->children, text);
      text = Trim(text);
      if (text.empty()) continue;
      EndBlock(out);
      out += std::string(static_cast<std::size_t>(name[1] - '0'), '#') + " " + text + "\n\n";
    } else if (name == "table") {
      std::vector<Row> rows;
      HtmlTableRows(child->children, rows);
      EndBlock(out);
      AppendTable(out, rows);
    } else if (name == "pre") {
      std::string text;
      for (const xmlNode* t = child->children; t != nullptr; t = t->next) {
        if (t->content != nullptr) text += reinterpret_cast<const char*>(t->content);
      }
      EndBlock(out);
      out += Trim(text) + "\n\n";
    } else if (name == "li") {
      EndBlock(out);
      if (!out.empty()) out.pop_back();  // items of a list follow each other without a blank line
      out += "- ";
      HtmlBlocks(child->children, out);
      if (!out.empty() && out.back() != '\n') out += '\n';
    } else if (name == "br") {
      out += '\n';
    } else if (name == "p" || name == "div" || name == "section" || name == "article" || name == "ul" || name == "ol" ||
               name == "blockquote" || name == "header" || name == "footer" || name == "main" || name == "dl" ||
               name == "dd" || name == "dt" || name == "body" || name == "html") {
      EndBlock(out);
      HtmlBlocks(child->children, out);
      EndBlock(out);
    } else {
      HtmlBlocks(child->children, out);
    }
  }
}

// ---- CSV ----

char DetectDelimiter(std::string_view csv) {
  const auto line = csv.substr(0, csv.find('\n'));
  const std::pair<char, std::ptrdiff_t> counts[] = {{',', std::count(line.begin(), line.end(), ',')},
                                                    {';', std::count(line.begin(), line.end(), ';')},
                                                    {'\t', std::count(line.begin(), line.end(), '\t')}};
  return std::max_element(std::begin(counts), std::end(counts),
                          [](const auto& a, const auto& b) { return a.second < b.second; })
      ->first;
}

core::Result<std::vector<Row>> ParseCsv(std::string_view csv) {
  const char delimiter = DetectDelimiter(csv);
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  bool any = false;
  std::size_t line = 1;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == delimiter) {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
      ++line;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "CSV: a quoted field opened before line " + std::to_string(line) + " is never closed");
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---- DOCX ----

// libarchive's message for the last failure; it has none for some damaged archives.
std::string ArchiveError(archive* reader) {
  const char* message = archive_error_string(reader);
  return message != nullptr ? message : "unreadable data";
}

core::Result<std::string> ReadZipEntry(std::string_view zip, std::string_view wanted, const DocxLimits& limits) {
  std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), &archive_read_free);
  archive_read_support_format_zip(reader.get());
  if (archive_read_open_memory(reader.get(), zip.data(), zip.size()) != ARCHIVE_OK) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      std::string("DOCX: not a zip archive: ") + ArchiveError(reader.get()));
  }
  archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        std::string("DOCX: damaged zip archive: ") + ArchiveError(reader.get()));
    }
    if (archive_entry_pathname(entry) == nullptr || wanted != archive_entry_pathname(entry)) continue;
    std::string out;
    char buffer[64 * 1024];
    while (true) {
      const auto n = archive_read_data(reader.get(), buffer, sizeof buffer);
      if (n < 0) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          std::string("DOCX: damaged entry: ") + ArchiveError(reader.get()));
      }
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      const bool too_big = out.size() > limits.max_xml_bytes;
      const bool bomb = out.size() > (1u << 20) && out.size() / std::max<std::size_t>(zip.size(), 1) > limits.max_ratio;
      if (too_big || bomb) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          "DOCX: " + std::string(wanted) + " expands past " +
                              (too_big ? std::to_string(limits.max_xml_bytes >> 20) + " MiB"
                                       : std::to_string(limits.max_ratio) + "x its archive") +
                              " (zip bomb?)");
      }
    }
    return out;
  }
  return core::Fail(core::ErrorCode::kInvalidArgument, "DOCX: no " + std::string(wanted) + " in the archive");
}

// SAX: the document declares a DTD. Stops the parser before the internal subset is read.
void StopAtDoctype(void* context, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                   const xmlChar* /*system_id*/) {
  auto* parser = static_cast<xmlParserCtxtPtr>(context);
  *static_cast<bool*>(parser->_private) = true;
  xmlStopParser(parser);
}

const xmlNode* Child(const xmlNode* node, std::string_view name) {
  for (const xmlNode* c = node == nullptr ? nullptr : node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && Name(c) == name) return c;
  }
  return nullptr;
}

void DocxText(const xmlNode* node, std::string& out) {
  for (const xmlNode* c = node; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const auto name = Name(c);
    if (name == "t") {
      // Text and CDATA only: an entity reference node's content is its declaration's text.
      for (const xmlNode* t = c->children; t != nullptr; t = t->next) {
        const bool text = t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE;
        if (text && t->content != nullptr) out += reinterpret_cast<const char*>(t->content);
      }
    } else if (name == "tab") {
      out += ' ';
    } else if (name == "br") {
      out += '\n';
    } else if (name != "tbl") {
      DocxText(c->children, out);
    }
  }
}

int HeadingLevel(const xmlNode* paragraph) {
  const xmlNode* style = Child(Child(paragraph, "pPr"), "pStyle");
  if (style == nullptr) return 0;
  xmlChar* value = xmlGetProp(style, reinterpret_cast<const xmlChar*>("val"));
  if (value == nullptr) return 0;
  const std::string id = reinterpret_cast<const char*>(value);
  xmlFree(value);
  if (id == "Title") return 1;
  if (id.starts_with("Heading") && id.size() == 8 && id[7] >= '1' && id[7] <= '6') return id[7] - '0';
  return 0;
}

void DocxBlocks(const xmlNode* node, std::string& out) {
  for (const xmlNode* c = node; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const auto name = Name(c);
    if (name == "p") {
      std::string text;
      DocxText(c->children, text);
      text = Trim(text);
      if (text.empty()) continue;
      const int level = HeadingLevel(c);
      if (level > 0) out += std::string(static_cast<std::size_t>(level), '#') + " ";
      out += text + "\n\n";
    } else if (name == "tbl") {
      std::vector<Row> rows;
      for (const xmlNode* tr = c->children; tr != nullptr; tr = tr->next) {
        if (tr->type != XML_ELEMENT_NODE || Name(tr) != "tr") continue;
        Row row;
        for (const xmlNode* tc = tr->children; tc != nullptr; tc = tc->next) {
          if (tc->type != XML_ELEMENT_NODE || Name(tc) != "tc") continue;
          std::string text;
          DocxText(tc->children, text);
          row.push_back(std::move(text));
        }
        if (!row.empty()) rows.push_back(std::move(row));
      }
      AppendTable(out, rows);
    } else {
      DocxBlocks(c->children, out);
    }
  }
}

}  // namespace

core::Result<std::string> HtmlToMarkdown(std::string_view html) {
  constexpr int kOptions = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                           HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, nullptr, kOptions), &xmlFreeDoc);
  if (!doc) return core::Fail(core::ErrorCode::kInvalidArgument, "HTML: not parseable");
  std::string out;
  HtmlBlocks(xmlDocGetRootElement(doc.get()), out);
  if (!core::IsValidUtf8(out)) return core::Fail(core::ErrorCode::kInvalidArgument, "HTML: undecodable text");
  return Trim(out) + "\n";
}

core::Result<std::string> CsvToMarkdown(std::string_view csv, std::size_t rows_per_table) {
  auto rows = ParseCsv(csv);
  if (!rows) return core::Fail(rows.error());
  if (rows->empty()) return core::Fail(core::ErrorCode::kInvalidArgument, "CSV: no rows");
  std::string out;
  const Row& header = rows->front();
  const std::size_t per = std::max<std::size_t>(rows_per_table, 1);
  for (std::size_t i = 1; i < rows->size() || i == 1; i += per) {
    std::vector<Row> block{header};
    for (std::size_t j = i; j < std::min(rows->size(), i + per); ++j) block.push_back((*rows)[j]);
    AppendTable(out, block);
    if (i >= rows->size()) break;
  }
  return out;
}

core::Result<std::string> DocxToMarkdown(std::string_view docx, const DocxLimits& limits) {
  auto xml = ReadZipEntry(docx, "word/document.xml", limits);
  if (!xml) return core::Fail(xml.error());
  // Word never writes a DTD into document.xml; one there only serves entity bombs (a few KiB of
  // declarations that expand to gigabytes) or external entities (XXE). The parser stops at the
  // <!DOCTYPE name, before any declaration is read, and the file is refused. No entity
  // substitution, no DTD loading and no network either way.
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> parser(
      xmlCreateMemoryParserCtxt(xml->data(), static_cast<int>(xml->size())), &xmlFreeParserCtxt);
  if (!parser) return core::Fail(core::ErrorCode::kInternal, "DOCX: no XML parser");
  xmlCtxtUseOptions(parser.get(), XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
  bool doctype = false;
  parser->_private = &doctype;
  parser->sax->internalSubset = &StopAtDoctype;
  xmlParseDocument(parser.get());
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(std::exchange(parser->myDoc, nullptr), &xmlFreeDoc);
  if (doctype || (doc && doc->intSubset != nullptr)) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "DOCX: word/document.xml declares a DTD (<!DOCTYPE>), which Word never writes; refused");
  }
  if (!doc || parser->wellFormed == 0) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "DOCX: word/document.xml is not well-formed XML");
  }
  std::string out;
  DocxBlocks(xmlDocGetRootElement(doc.get()), out);
  return out;
}

}  // namespace salesboost::knowledge
