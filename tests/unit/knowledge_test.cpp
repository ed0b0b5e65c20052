// The knowledge base's pure parts: decoding, Markdown conversion, routing,
// PDF text, the sparse and dense indexes and hybrid fusion.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <random>
#include <set>

#include "core/manual_clock.hpp"
#include "core/read_file.hpp"
#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "infra/ocr/leptonica_image_decoder.hpp"
#include "infra/ocr/tesseract_ocr.hpp"
#include "infra/pdf/pdf_file.hpp"
#include "infra/pdf/poppler_pdf_reader.hpp"
#include "infra/vector/hnsw_vector_index.hpp"
#include "knowledge/document_identity.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/index/search_lexicon.hpp"
#include "knowledge/index/sparse_index.hpp"
#include "knowledge/ingest/markup.hpp"
#include "knowledge/ingest/pdf_image_scan.hpp"
#include "knowledge/ingest/router.hpp"
#include "knowledge/ingest_pipeline.hpp"
#include "knowledge/text/pdf_layout.hpp"
#include "knowledge/text/text_decode.hpp"
#include "knowledge/text/text_layer.hpp"
#include "support/server_process.hpp"

namespace salesboost::knowledge {
namespace {

std::string Fixture(const std::string& name) {
  auto bytes = core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) + "/tests/fixtures/knowledge/" + name);
  EXPECT_TRUE(bytes) << name;
  return bytes ? *bytes : std::string();
}

// tests/fixtures/hostile/: files an attacker uploads (make_hostile_fixtures.py writes them).
std::string Hostile(const std::string& name) {
  auto bytes = core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) + "/tests/fixtures/hostile/" + name);
  EXPECT_TRUE(bytes) << name;
  return bytes ? *bytes : std::string();
}

bool Has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

using infra::Dot;
using infra::HnswOptions;
using infra::HnswVectorIndex;
using infra::JoinHanSpaces;
using infra::Normalize;
using infra::PdfFile;

// The router's readers: Poppler and Leptonica.
core::Result<Route> Assess(const SourceFile& file, const ExtractLimits& limits) {
  static const infra::PopplerPdfReader pdf;
  static const infra::LeptonicaImageDecoder images;
  return knowledge::Assess(file, limits, {.pdf = pdf, .images = images});
}

TEST(TextDecode, DetectsUtf8Gb18030AndUtf16) {
  const std::string expected = "退款政策：三十天内无理由退款。\nRefunds within 30 days.\n";
  auto gbk = DecodeText(Fixture("refund.gbk.txt"));
  ASSERT_TRUE(gbk);
  EXPECT_EQ(gbk->encoding, "gb18030");
  EXPECT_EQ(gbk->text, expected);
  auto utf16 = DecodeText(Fixture("refund.utf16.txt"));
  ASSERT_TRUE(utf16);
  EXPECT_EQ(utf16->encoding, "utf-16le");
  EXPECT_EQ(utf16->text, expected);
  auto bom = DecodeText("\xEF\xBB\xBFhello");
  ASSERT_TRUE(bom);
  EXPECT_EQ(bom->text, "hello");
  auto twice = DecodeText("\xEF\xBB\xBF\xEF\xBB\xBFhello");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->text, "hello");
  auto utf16_twice = DecodeText(std::string("\xFE\xFF\xFE\xFF\0h\0i", 8));
  ASSERT_TRUE(utf16_twice);
  EXPECT_EQ(utf16_twice->text, "hi");
  EXPECT_FALSE(DecodeText(std::string("ab\0cd", 5)));
  EXPECT_FALSE(DecodeText("\xFF\xFF\xFF\x80"));
}

TEST(Markup, HtmlKeepsHeadingsListsAndTablesAndDropsScripts) {
  auto md = HtmlToMarkdown(Fixture("sample.html"));
  ASSERT_TRUE(md);
  EXPECT_TRUE(Has(*md, "# Frequently asked questions\n")) << *md;
  EXPECT_TRUE(Has(*md, "## 价格\n")) << *md;
  EXPECT_TRUE(Has(*md, "costs 99 yuan per seat")) << *md;
  EXPECT_TRUE(Has(*md, "- Monthly billing\n")) << *md;
  EXPECT_TRUE(Has(*md, "| Plan | Seats |\n| --- | --- |\n| Starter | 5 |\n| Business \\| Pro | 50 |")) << *md;
  EXPECT_FALSE(Has(*md, "no</h1>")) << *md;
  EXPECT_FALSE(Has(*md, "color:red")) << *md;
}

// libxml2's HTML parser reads no entity declarations: a bomb in a DOCTYPE stays text or nothing.
TEST(Markup, HtmlEntityDeclarationsAreNotExpanded) {
  std::string declarations = "<!ENTITY l0 \"laugh \">";
  for (int i = 1; i <= 10; ++i) {
    std::string refs;
    for (int j = 0; j < 10; ++j) refs += "&l" + std::to_string(i - 1) + ";";
    declarations += "<!ENTITY l" + std::to_string(i) + " \"" + refs + "\">";
  }
  auto md = HtmlToMarkdown("<!DOCTYPE html [" + declarations + "]><html><body><p>Refunds &l10; end</p></body></html>");
  ASSERT_TRUE(md);
  EXPECT_LT(md->size(), 4096u) << md->substr(0, 200);
  EXPECT_FALSE(Has(*md, "laugh laugh")) << *md;
}

TEST(Markup, HtmlMayStartWithAListItem) {
  auto md = HtmlToMarkdown("<li>one</li><li>two</li>");
  ASSERT_TRUE(md);
  EXPECT_TRUE(Has(*md, "- one\n- two")) << *md;
}

TEST(Markup, CsvBecomesTablesThatRepeatTheirHeader) {
  auto md = CsvToMarkdown(Fixture("sample.csv"));
  ASSERT_TRUE(md);
  EXPECT_TRUE(Has(*md, "| plan | price | notes, quoted |")) << *md;
  EXPECT_TRUE(Has(*md, "| Business | 199 | Phone \"and\" email |")) << *md;
  EXPECT_TRUE(Has(*md, "| Enterprise | 399 | Dedicated manager |")) << *md;
  auto split = CsvToMarkdown("a;b\n1;2\n3;4\n5;6\n", 2);
  ASSERT_TRUE(split);
  EXPECT_EQ(*split, "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |\n\n| a | b |\n| --- | --- |\n| 5 | 6 |\n\n");
  auto open = CsvToMarkdown("a,b\n\"never closed,1\n");
  ASSERT_FALSE(open);
  EXPECT_TRUE(Has(open.error().message, "never closed"));
  EXPECT_FALSE(CsvToMarkdown(""));
}

TEST(Markup, DocxKeepsHeadingsAndTablesAndRefusesZipBombs) {
  auto md = DocxToMarkdown(Fixture("sample.docx"));
  ASSERT_TRUE(md);
  EXPECT_TRUE(Has(*md, "# Card Benefits\n")) << *md;
  EXPECT_TRUE(Has(*md, "## 积分规则\n")) << *md;
  EXPECT_TRUE(Has(*md, "| Platinum | 800 |")) << *md;
  auto bomb = DocxToMarkdown(Fixture("bomb.docx"));
  ASSERT_FALSE(bomb);
  EXPECT_TRUE(Has(bomb.error().message, "zip bomb")) << bomb.error().message;
  EXPECT_FALSE(DocxToMarkdown("PK\x03\x04 not really a zip"));
  // A damaged entry for which libarchive has no message (found by fuzz/docx_fuzz).
  auto damaged = core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) +
                                     "/fuzz/corpus/docx/crash-damaged-header-without-message.docx");
  ASSERT_TRUE(damaged);
  auto refused = DocxToMarkdown(*damaged);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(Has(refused.error().message, "DOCX: damaged")) << refused.error().message;
}

TEST(IngestRouter, DetectsFormatsFromShortFilesToo) {
  EXPECT_EQ(DetectFormat({"photo.webp", std::string("RIFF\0\0\0\0WEBPVP8 ", 16)}), "image");
  // Shorter than a WebP header (found by fuzz/pdf_fuzz): no exception, just not an image.
  EXPECT_EQ(DetectFormat({"upload", "RIFF-"}), "text");
  EXPECT_EQ(DetectFormat({"upload.pdf", "RIFF"}), "");
  EXPECT_EQ(DetectFormat({"upload", "%PDF-"}), "pdf");
}

// A DTD in word/document.xml is refused before its declarations are read: a quadratic entity
// (64 KiB referenced 4,000 times), "billion laughs" and an external entity naming /etc/passwd
// all fail alike, and none of their text comes out.
TEST(Markup, DocxWithADoctypeIsRefusedBeforeAnyEntityExpands) {
  for (const auto* name : {"entity_quadratic.docx", "entity_nested.docx", "entity_external.docx"}) {
    SCOPED_TRACE(name);
    const std::string bytes = Hostile(name);
    ASSERT_LT(bytes.size(), 4096u);
    const auto started = std::chrono::steady_clock::now();
    auto md = DocxToMarkdown(bytes);
    ASSERT_FALSE(md) << md->size() << " bytes of Markdown";
    EXPECT_EQ(md.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_TRUE(Has(md.error().message, "declares a DTD")) << md.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));  // a safety net, not a target
  }
}

TEST(DocumentIdentity, FileNamesWithControlCharactersOrInvalidUtf8AreRefused) {
  EXPECT_EQ(FileNameProblem("报价单 v2.pdf"), "");
  EXPECT_EQ(FileNameProblem("Q&A (final).docx"), "");
  EXPECT_EQ(FileNameProblem(std::string("a\0.pdf", 6)), "the file name contains a control character (U+0000)");
  EXPECT_EQ(FileNameProblem("a\nb.txt"), "the file name contains a control character (U+000A)");
  EXPECT_EQ(FileNameProblem("a\x1b[31m.txt"), "the file name contains a control character (U+001B)");
  EXPECT_EQ(FileNameProblem("a\x7f.txt"), "the file name contains a control character (U+007F)");
  EXPECT_EQ(FileNameProblem("a\xc2\x85.txt"), "the file name contains a control character (U+0085)");
  EXPECT_EQ(FileNameProblem("a\xe2\x80\xaetxt.exe"), "the file name contains a control character (U+202E)");
  EXPECT_EQ(FileNameProblem("a\xff.txt"), "the file name is not valid UTF-8");
  EXPECT_EQ(FileNameProblem("a\xc0\xae.txt"), "the file name is not valid UTF-8");  // overlong '.'
  EXPECT_EQ(FileNameProblem(""), "a file name of 1 to 255 bytes is required");
  EXPECT_EQ(FileNameProblem(std::string(256, 'a')), "a file name of 1 to 255 bytes is required");
}

TEST(IngestRouter, RatesEachFileAndSaysWhy) {
  const ExtractLimits limits;
  auto digital = Assess({"sheet.pdf", Fixture("digital.pdf")}, limits);
  ASSERT_TRUE(digital) << digital.error().message;
  EXPECT_EQ(digital->extractor, "pdf-text");
  EXPECT_EQ(digital->complexity, Complexity::kMedium);  // it has a table
  EXPECT_TRUE(Has(digital->reasons.back(), "tables") || Has(digital->reasons[3], "tables"));
  auto scanned = Assess({"scan.pdf", Fixture("scanned.pdf")}, limits);
  ASSERT_TRUE(scanned);
  EXPECT_EQ(scanned->complexity, Complexity::kHigh);
  EXPECT_EQ(scanned->extractor, "ocr");
  auto image = Assess({"scan.png", Fixture("scan.png")}, limits);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->complexity, Complexity::kHigh);
  auto dark = Assess({"dark.png", Fixture("dark.png")}, limits);
  ASSERT_TRUE(dark);
  EXPECT_EQ(dark->complexity, Complexity::kExtreme);
  auto md = Assess({"notes.md", "# Notes\nhello"}, limits);
  ASSERT_TRUE(md);
  EXPECT_EQ(md->complexity, Complexity::kLow);
  EXPECT_EQ(md->extractor, "markdown");

  // Bad input: a clear error each.
  const std::pair<SourceFile, std::string> bad[] = {
      {{"empty.txt", ""}, "empty file"},
      {{"x.exe", "MZ\x90"}, "unsupported file type .exe"},
      {{"locked.pdf", Fixture("encrypted.pdf")}, "encrypted"},
      {{"cut.pdf", Fixture("truncated.pdf")}, "PDF"},
      {{"fake.pdf", "%PDF-1.4\n%%EOF\n"}, "PDF"},
      {{"fake.png", "\x89PNG\r\n\x1a\n garbage"}, "image"},
  };
  for (const auto& [file, message] : bad) {
    auto route = Assess(file, limits);
    ASSERT_FALSE(route) << file.name;
    EXPECT_TRUE(Has(route.error().message, message)) << file.name << ": " << route.error().message;
  }
  ExtractLimits tiny;
  tiny.max_bytes = 10;
  EXPECT_FALSE(Assess({"a.txt", "more than ten bytes"}, tiny));
  tiny.max_pixels = 1000;
  tiny.max_bytes = 1 << 20;
  auto huge = Assess({"scan.png", Fixture("scan.png")}, tiny);
  ASSERT_FALSE(huge);
  EXPECT_TRUE(Has(huge.error().message, "megapixels")) << huge.error().message;
}

// A PDF whose every page carries the same broken text layer; the router reads nothing else.
class GarbledPdf final : public PdfDocument {
 public:
  int Pages() const override { return 3; }
  std::string PageText(int) const override {
    return "ǡ\uE000Relatedstudiesonperceivedusefulnessǡ\n\uFFFDshowthattraineesadoptnewtoolsfasterǡǡ\n";
  }
  std::vector<std::pair<std::string, std::string>> Headings(int) const override { return {}; }
  core::Result<GrayImage> Render(int, int, std::int64_t) const override {
    return core::Fail(core::ErrorCode::kInternal, "not rendered here");
  }
};

class GarbledPdfReader final : public PdfReader {
 public:
  core::Result<std::unique_ptr<PdfDocument>> Open(std::string_view) const override {
    return std::unique_ptr<PdfDocument>(std::make_unique<GarbledPdf>());
  }
};

TEST(IngestRouter, AGarbledTextLayerRoutesThePdfToOcr) {
  // Garbled on every page probed: OCR every page.
  const GarbledPdfReader garbled_reader;
  const infra::LeptonicaImageDecoder images;
  auto all = knowledge::Assess({"bad.pdf", "%PDF-1.4"}, {}, {.pdf = garbled_reader, .images = images});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->complexity, Complexity::kHigh);
  EXPECT_EQ(all->extractor, "ocr");
  EXPECT_TRUE(Has(all->reasons.back(), "garbled on every page probed")) << all->reasons.back();
  const auto& why = all->reasons[all->reasons.size() - 2];
  EXPECT_TRUE(Has(why, "page 1: garbled text layer: ")) << why;
  // One page of two (the real fixture): the text layer is used, that page is OCRed.
  auto mixed = Assess({"garbled.pdf", Fixture("garbled.pdf")}, {});
  ASSERT_TRUE(mixed) << mixed.error().message;
  EXPECT_EQ(mixed->complexity, Complexity::kMedium);
  EXPECT_EQ(mixed->extractor, "pdf-text");
  EXPECT_TRUE(Has(mixed->reasons.back(), "garbled text layer on 1 of 2 pages probed")) << mixed->reasons.back();
  // The other PDF fixtures are not garbled.
  for (const auto* name : {"digital.pdf", "two_column.pdf", "key_table.pdf", "spanning.pdf", "japanese.pdf"}) {
    auto route = Assess({name, Fixture(name)}, {});
    ASSERT_TRUE(route) << name;
    for (const auto& reason : route->reasons) EXPECT_FALSE(Has(reason, "garbled")) << name << ": " << reason;
  }
}

TEST(Pdf, TextPerPageWithTablesAsMarkdown) {
  auto pdf = PdfFile::Open(Fixture("digital.pdf"));
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->Pages(), 2);
  const auto first = AlignedTablesToMarkdown(pdf->PageText(0));
  EXPECT_TRUE(Has(first, "产品亮点：客户跟进提醒，自动生成销售报表。")) << first;
  EXPECT_TRUE(Has(first, "Lumen CRM keeps every customer conversation in one place.")) << first;
  EXPECT_TRUE(Has(first, "| Plan | Price per seat | Support |\n| --- | --- | --- |\n| Starter | 99 yuan | Email |"))
      << first;
  EXPECT_TRUE(Has(pdf->PageText(1), "实施周期为两周"));
  // Headings come from type larger than the body text's.
  const auto headings = pdf->Headings(0);
  ASSERT_EQ(headings.size(), 1u);
  EXPECT_EQ(headings[0].first, "# ");
  EXPECT_EQ(headings[0].second, "Lumen CRM Product Sheet");
  const auto marked = MarkHeadings(first, headings);
  EXPECT_TRUE(marked.starts_with("# Lumen CRM Product Sheet\n")) << marked;
  const auto second = MarkHeadings(AlignedTablesToMarkdown(pdf->PageText(1)), pdf->Headings(1));
  EXPECT_TRUE(Has(second, "# Implementation 实施\n")) << second;
  auto image = pdf->Render(0, 100, 60'000'000);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->dpi, 100);
  EXPECT_GT(image->width, 500);
  auto capped = pdf->Render(0, 300, 100'000);
  ASSERT_TRUE(capped);
  EXPECT_LE(static_cast<std::int64_t>(capped->width) * capped->height, 110'000);
  EXPECT_EQ(CountPdfImages(Fixture("scanned.pdf")), 1);
}

TEST(Pdf, TwoColumnPagesReadColumnByColumnWithTheirHeadings) {
  auto pdf = PdfFile::Open(Fixture("two_column.pdf"));
  ASSERT_TRUE(pdf);
  const auto markdown = MarkHeadings(AlignedTablesToMarkdown(pdf->PageText(0)), pdf->Headings(0));
  // The title over both columns, then the left column top to bottom, then the right one.
  std::size_t at = 0;
  for (const auto* part : {"# Lumen Field Guide for Sales Teams\n",
                           "## Pricing\n\nLumen costs 99 yuan per seat each month on\nthe Starter plan.",
                           "update released during the contract.", "## Onboarding\n\nEvery new customer gets a named",
                           "## Support\n\nSupport answers within one business day by\nemail.",
                           "## Security\n\nCustomer data stays in data centres on the"}) {
    const auto found = markdown.find(part, at);
    ASSERT_NE(found, std::string::npos) << part << "\n---\n" << markdown;
    at = found;
  }
  EXPECT_FALSE(Has(markdown, "|")) << "columns of prose are no table: " << markdown;
  // A one-column page with a table keeps its physical layout (the table stays a table), also when the
  // table is two columns of which one holds long text.
  auto digital = PdfFile::Open(Fixture("digital.pdf"));
  ASSERT_TRUE(digital);
  EXPECT_TRUE(HasAlignedTable(digital->PageText(0)));
  auto table = PdfFile::Open(Fixture("key_table.pdf"));
  ASSERT_TRUE(table);
  const auto rows = AlignedTablesToMarkdown(table->PageText(0));
  EXPECT_TRUE(Has(rows,
                  "| Starter | Email support within one business day for every seat |\n| --- | --- |\n"
                  "| Business | Phone support from nine to six and a quarterly review |"))
      << rows;
}

TEST(TextLayer, AGarbledLayerIsToldFromRealTextByItsCharacters) {
  auto garbled = PdfFile::Open(Fixture("garbled.pdf"));
  ASSERT_TRUE(garbled);
  const auto reason = GarbledTextReason(garbled->PageText(0));
  EXPECT_TRUE(Has(reason, "garbled text layer: ") && Has(reason, "unusual characters (ǡ")) << reason;
  EXPECT_EQ(GarbledTextReason(garbled->PageText(1)), "") << "the clean second page";
  // Words run together, or no common word at all, without one odd character.
  EXPECT_TRUE(Has(GarbledTextReason("Relatedstudiesonperceivedusefulnessshowthattraineesadoptnewtools "
                                    "whenthebenefitisclearandmeasuredbymanagersmonthly"),
                  "words run together"));
  EXPECT_TRUE(Has(GarbledTextReason("Êý¾Ý±£´æÔÚ¹úÄÚ»ú·¿£¬Ö§³ÖË½ÓÐ»¯²¿Êð¡£Ô±¹¤ÅàÑµÖ»ÐèÒª°ëÌìÊ±¼ä¡£"), "Latin-1"))
      << "GBK read as Latin-1";
  std::string french;
  for (int i = 0; i < 3; ++i) {
    french += "Le crédit est accordé après vérification ; la carte évite les frais à l'étranger et à la caisse. ";
    french += "Ça coûte zéro pendant l'année, même à Genève où l'accès aux salons est gratuit. ";
  }
  EXPECT_EQ(GarbledTextReason(french), "") << "French keeps its accents";
  std::string shifted;  // a broken encoding: every letter moved by three
  for (int i = 0; i < 12; ++i) shifted += "Wkh fduw zdlyhv wkh dqqxdo ihh lq wkh iluvw bhdu. ";
  EXPECT_TRUE(Has(GarbledTextReason(shifted), "common word")) << GarbledTextReason(shifted);
  // No false alarms: every page of the other PDF fixtures, the demo documents, Vietnamese, and short text.
  for (const auto* name : {"digital.pdf", "two_column.pdf", "key_table.pdf", "spanning.pdf", "japanese.pdf"}) {
    auto pdf = PdfFile::Open(Fixture(name));
    ASSERT_TRUE(pdf) << name;
    for (int i = 0; i < pdf->Pages(); ++i) EXPECT_EQ(GarbledTextReason(pdf->PageText(i)), "") << name << " " << i;
  }
  int demo = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SALESBOOST_SOURCE_DIR) + "/data/demo/knowledge")) {
    auto text = core::ReadWholeFile(entry.path().string());
    ASSERT_TRUE(text);
    EXPECT_EQ(GarbledTextReason(*text), "") << entry.path();
    ++demo;
  }
  EXPECT_GE(demo, 10);
  EXPECT_EQ(
      GarbledTextReason("Thẻ tín dụng này được miễn phí thường niên trong năm đầu tiên, ưu đãi cho khách hàng mới."),
      "");
  EXPECT_EQ(
      GarbledTextReason("Nǐ hǎo, wǒ shì Lǚ jīnglǐ. Qǐng wèn nín xiǎng liǎojiě nǎ zhǒng kǎ? Lǜsè de kǎ miǎn nián fèi."),
      "")
      << "pinyin with its tone marks";
  EXPECT_EQ(GarbledTextReason("ǡǡ"), "") << "too little text to judge";
}

// Real readers that count how often a file is opened or decoded.
class CountingPdfReader final : public PdfReader {
 public:
  core::Result<std::unique_ptr<PdfDocument>> Open(std::string_view bytes) const override {
    ++opened;
    return real_.Open(bytes);
  }
  mutable std::atomic<int> opened{0};

 private:
  infra::PopplerPdfReader real_;
};

class CountingImageDecoder final : public ImageDecoder {
 public:
  core::Result<GrayImage> Decode(std::string_view bytes, std::int64_t max_pixels) const override {
    ++decoded;
    return real_.Decode(bytes, max_pixels);
  }
  mutable std::atomic<int> decoded{0};

 private:
  infra::LeptonicaImageDecoder real_;
};

class FixedOcr final : public Ocr {
 public:
  boost::asio::awaitable<core::Result<OcrText>> Recognize(const GrayImage&) override {
    co_return OcrText{.text = "Refunds are available within 30 days of purchase.", .confidence = 90, .engine = "fixed"};
  }
};

TEST(IngestPipeline, ParsesEachPdfAndImageOnceFromRoutingToChunks) {
  core::BlockingPool workers(2);
  FixedOcr ocr;
  CountingPdfReader pdf;
  CountingImageDecoder images;
  core::SystemClock clock;
  IngestPipeline pipeline({}, {.workers = workers, .ocr = ocr, .pdf = pdf, .images = images, .clock = clock});
  for (const auto* name : {"digital.pdf", "scanned.pdf", "scan.png"}) {
    pdf.opened = 0;
    images.decoded = 0;
    auto prepared = core::RunSync(pipeline.Prepare("doc", "v1", {name, Fixture(name)}, {}));
    ASSERT_FALSE(prepared.error) << name << ": " << prepared.error->message;
    EXPECT_FALSE(prepared.document.chunks.children.empty()) << name;
    const bool is_pdf = std::string_view(name).ends_with(".pdf");
    EXPECT_EQ(pdf.opened, is_pdf ? 1 : 0) << name;
    EXPECT_EQ(images.decoded, is_pdf ? 0 : 1) << name;
  }
}

// A one-page PDF around `image` (the body of object 4, a stream) and any `extra` objects from 6 on.
std::string PdfWithImage(const std::string& image, const std::string& extra = {}, const std::string& data = "xx") {
  return "%PDF-1.5\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
         "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> "
         "/Contents 5 0 R >> endobj\n"
         "4 0 obj\n" +
         image + "\nstream\n" + data +
         "\nendstream\nendobj\n"
         "5 0 obj << /Length 30 >> stream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream endobj\n" +
         extra + "trailer << /Root 1 0 R >>\n%%EOF\n";
}

TEST(PdfImageScan, AnImageDeclaredOverTheBudgetIsRefusedBeforeAnyEngineReadsIt) {
  const PdfImageBudget budget;  // 60 megapixels, 256 MiB decoded
  for (const auto* name : {"image_bomb_jbig2.pdf", "image_bomb_flate.pdf"}) {
    auto checked = CheckPdfImages(Hostile(name), budget);
    ASSERT_FALSE(checked) << name;
    EXPECT_EQ(checked.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(checked.error().message,
              "PDF: the image in object 4 declares 100000x100000 pixels (10000 million), over "
              "knowledge.max_megapixels (60)");
  }
  // Decoded size: 20000 x 20000 RGB at 8 bits is 1144 MiB, however many pixels are allowed.
  const PdfImageBudget bytes_only{.max_pixels = 1'000'000'000, .max_decoded_bytes = 256 << 20};
  auto rgb =
      CheckPdfImages(PdfWithImage("<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceRGB "
                                  "/BitsPerComponent 8 /Length 2 >>"),
                     bytes_only);
  ASSERT_FALSE(rgb);
  EXPECT_TRUE(Has(rgb.error().message, "decode to 1144 MiB, over knowledge.max_decoded_bytes (256 MiB)"))
      << rgb.error().message;
  // A 1-bit mask of the same size is 48 MiB: within.
  EXPECT_TRUE(CheckPdfImages(PdfWithImage("<< /Subtype /Image /Width 20000 /Height 20000 /ImageMask true "
                                          "/Length 2 >>"),
                             bytes_only));
  // What the engine would read, the check reads: a reference, an escaped name, a comment.
  auto referenced =
      CheckPdfImages(PdfWithImage("<< /Subtype /Image /Width 6 0 R /Height 100000 /BitsPerComponent 1 /Length 2 >>",
                                  "6 0 obj\n100000\nendobj\n"),
                     budget);
  ASSERT_FALSE(referenced);
  EXPECT_TRUE(Has(referenced.error().message, "100000x100000")) << referenced.error().message;
  EXPECT_FALSE(CheckPdfImages(PdfWithImage("<< /Subtype /Im#61ge %comment\n /Width 100000 /Height 100000 /Length 2 >>"),
                              budget));
  // A size that cannot be followed (a missing object, or one in a compressed object stream) is refused.
  auto unknown = CheckPdfImages(PdfWithImage("<< /Subtype /Image /Width 9 0 R /Height 10 /Length 2 >>"), budget);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(Has(unknown.error().message, "cannot be checked")) << unknown.error().message;
  // Ordinary images and every knowledge fixture pass.
  EXPECT_TRUE(CheckPdfImages(PdfWithImage("<< /Subtype /Image /Width 2480 /Height 3508 /ColorSpace [/ICCBased 7 0 R] "
                                          "/BitsPerComponent 8 /Filter /DCTDecode /Length 2 >>"),
                             budget));
  for (const auto* name : {"digital.pdf", "scanned.pdf", "garbled.pdf", "japanese.pdf", "two_column.pdf",
                           "key_table.pdf", "spanning.pdf", "encrypted.pdf", "truncated.pdf"}) {
    EXPECT_TRUE(CheckPdfImages(Fixture(name), budget)) << name;
  }
}

// Page contents are decoded to find what they draw: inline images, and the stream's own size.
TEST(PdfImageScan, ContentStreamsAreCheckedForInlineImagesAndTheirDecodedSize) {
  const PdfImageBudget budget;
  auto inline_bomb = CheckPdfImages(Hostile("image_bomb_inline.pdf"), budget);
  ASSERT_FALSE(inline_bomb);
  EXPECT_EQ(inline_bomb.error().message,
            "PDF: an inline image in object 5 declares 100000x100000 pixels (10000 million), over "
            "knowledge.max_megapixels (60)");
  const std::string image = "<< /Subtype /Image /Width 1 /Height 1 /Length 2 >>";
  auto with_contents = [&](const std::string& dict, const std::string& data) {
    return PdfWithImage(image, "6 0 obj\n" + dict + "\nstream\n" + data + "\nendstream\nendobj\n");
  };
  auto hex =
      CheckPdfImages(with_contents("<< /Filter /AHx /Length 60 >>",
                                   "4249202f57203530303030202f48203530303030202f4250432031202f494d2074727565204944>"),
                     budget);  // "BI /W 50000 /H 50000 /BPC 1 /IM true ID" in hex
  ASSERT_FALSE(hex);
  EXPECT_TRUE(Has(hex.error().message, "an inline image in object 6 declares 50000x50000")) << hex.error().message;
  EXPECT_TRUE(CheckPdfImages(with_contents("<< /Length 40 >>", "BI /W 100 /H 100 /BPC 8 /CS /RGB ID xyz EI"), budget));
  // A content stream that inflates past the budget.
  const std::string zeros(3u << 20, '0');
  std::string deflated(compressBound(zeros.size()), '\0');
  uLongf size = deflated.size();
  ASSERT_EQ(compress2(reinterpret_cast<Bytef*>(deflated.data()), &size, reinterpret_cast<const Bytef*>(zeros.data()),
                      zeros.size(), 9),
            Z_OK);
  deflated.resize(size);
  const std::string flate_bomb = with_contents("<< /Filter /FlateDecode >>", deflated);
  auto inflated = CheckPdfImages(flate_bomb, {.max_pixels = 60'000'000, .max_decoded_bytes = 1 << 20});
  ASSERT_FALSE(inflated);
  EXPECT_EQ(inflated.error().message, "PDF: the stream in object 6 decodes past knowledge.max_decoded_bytes (1 MiB)");
  EXPECT_TRUE(CheckPdfImages(flate_bomb, budget));
  // A filter the check cannot read on a stream the engine may draw.
  auto lzw = CheckPdfImages(with_contents("<< /Filter [/ASCII85Decode /LZWDecode] >>", "!!!!!~>"), budget);
  ASSERT_FALSE(lzw);
  EXPECT_TRUE(Has(lzw.error().message, "uses the LZWDecode filter")) << lzw.error().message;
}

// The decoders allocate what the codec's own header says, whatever the dictionary declares.
TEST(PdfImageScan, AnImageCodecHeaderLargerThanItsDictionaryIsRefused) {
  const PdfImageBudget budget;
  auto be32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  // JBIG2: page information 100000 x 100000 under /Width 10 /Height 10.
  const std::string page_info = be32(100000) + be32(100000) + be32(0) + be32(0) + std::string(3, '\0');
  const std::string jbig2 = be32(0) + std::string{'\x30', '\0', '\x01'} + be32(19) + page_info;
  auto big_page = CheckPdfImages(
      PdfWithImage("<< /Subtype /Image /Width 10 /Height 10 /BitsPerComponent 1 /Filter /JBIG2Decode /Length 30 >>", {},
                   jbig2),
      budget);
  ASSERT_FALSE(big_page);
  EXPECT_TRUE(Has(big_page.error().message, "the JBIG2Decode data in object 4 declares 100000x100000 pixels"))
      << big_page.error().message;
  // JPEG: a progressive frame of 60000 x 60000 under /Width 10 /Height 10; a 640 x 480 frame passes.
  auto jpeg = [](std::uint16_t side) {
    return std::string("\xFF\xD8\xFF\xE0\x00\x04xx\xFF\xC2\x00\x11\x08", 13) +
           std::string{static_cast<char>(side >> 8), static_cast<char>(side & 0xFF), static_cast<char>(side >> 8),
                       static_cast<char>(side & 0xFF), '\x03'} +
           std::string(9, '\x01') + "\xFF\xDA";
  };
  const std::string dct =
      "<< /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
      "/Filter /DCTDecode /Length 30 >>";
  auto big_jpeg = CheckPdfImages(PdfWithImage(dct, {}, jpeg(60000)), budget);
  ASSERT_FALSE(big_jpeg);
  EXPECT_TRUE(Has(big_jpeg.error().message, "the DCTDecode data in object 4 declares 60000x60000 pixels"))
      << big_jpeg.error().message;
  EXPECT_TRUE(CheckPdfImages(PdfWithImage(dct, {}, jpeg(640)), budget));
}

TEST(PdfImageScan, FilesBuiltToMakeTheCheckSlowAreRefusedQuickly) {
  // Deep nesting.
  auto deep = CheckPdfImages("%PDF-1.5\n1 0 obj " + std::string(100000, '[') + " endobj\n", {});
  ASSERT_FALSE(deep);
  EXPECT_TRUE(Has(deep.error().message, "nested more than")) << deep.error().message;
  // Object headers planted so that each parse reads to the end of the file.
  std::string planted = "%PDF-1.5\n";
  for (int i = 0; i < 200000; ++i) planted += "1 0 obj (";
  const auto started = std::chrono::steady_clock::now();
  auto slow = CheckPdfImages(planted, {});
  ASSERT_FALSE(slow);
  EXPECT_TRUE(Has(slow.error().message, "too many overlapping objects")) << slow.error().message;
  // Streams without an end, so that each one's data runs to the end of the file.
  std::string endless = "%PDF-1.5\n";
  for (int i = 0; i < 50000; ++i) endless += std::to_string(i) + " 0 obj <<>> stream\n";
  auto unended = CheckPdfImages(endless, {});
  ASSERT_FALSE(unended);
  EXPECT_TRUE(Has(unended.error().message, "too many overlapping objects")) << unended.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));  // a safety net, not a target
}

TEST(IngestRouter, APdfWithAnImageBombIsRefusedWithoutBeingOpened) {
  CountingPdfReader pdf;
  const infra::LeptonicaImageDecoder images;
  for (const auto* name : {"image_bomb_jbig2.pdf", "image_bomb_flate.pdf", "image_bomb_inline.pdf"}) {
    auto routed = RouteFile({name, Hostile(name)}, {}, {.pdf = pdf, .images = images});
    ASSERT_FALSE(routed) << name;
    EXPECT_TRUE(Has(routed.error().message, "100000x100000")) << routed.error().message;
  }
  EXPECT_EQ(pdf.opened, 0);
}

// An OCR engine that takes `per_page` of a manual clock's time for each page it reads.
class SlowOcr final : public Ocr {
 public:
  SlowOcr(core::ManualClock& clock, std::chrono::seconds per_page) : clock_(clock), per_page_(per_page) {}
  boost::asio::awaitable<core::Result<OcrText>> Recognize(const GrayImage&) override {
    clock_.Advance(per_page_);
    ++pages;
    co_return OcrText{.text = "Refunds are available within 30 days of purchase.", .confidence = 90, .engine = "slow"};
  }
  std::atomic<int> pages{0};

 private:
  core::ManualClock& clock_;
  std::chrono::seconds per_page_;
};

TEST(IngestPipeline, AFileOverABudgetFailsWithTheLimitNamed) {
  core::BlockingPool workers(2);
  core::ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)));
  SlowOcr ocr(clock, std::chrono::seconds(200));
  CountingPdfReader pdf;
  CountingImageDecoder images;
  const IngestPipeline::Deps deps{.workers = workers, .ocr = ocr, .pdf = pdf, .images = images, .clock = clock};
  auto prepare = [](IngestPipeline& pipeline, SourceFile file) {
    return core::RunSync(pipeline.Prepare("doc", "v1", std::move(file), {}));
  };
  std::string long_text = "# Refunds\n\n";
  for (int i = 0; i < 300; ++i) long_text += "Paragraph " + std::to_string(i) + ": refunds within thirty days.\n\n";

  // Characters: a text file, and a PDF stopped at the page that crosses the limit.
  IngestOptions chars;
  chars.limits.max_chars = 1000;
  IngestPipeline few_chars(chars, deps);
  auto text = prepare(few_chars, {"long.md", long_text});
  ASSERT_TRUE(text.error);
  EXPECT_EQ(text.error->code, core::ErrorCode::kResourceExhausted);
  EXPECT_TRUE(Has(text.error->message, "exceeds knowledge.max_file_chars (1000)")) << text.error->message;
  EXPECT_TRUE(text.document.chunks.children.empty());
  chars.limits.max_chars = 200;
  IngestPipeline fewer_chars(chars, deps);
  auto pdf_text = prepare(fewer_chars, {"digital.pdf", Fixture("digital.pdf")});
  ASSERT_TRUE(pdf_text.error);
  EXPECT_TRUE(Has(pdf_text.error->message, "exceeds knowledge.max_file_chars (200)")) << pdf_text.error->message;
  EXPECT_TRUE(Has(pdf_text.error->message, "by page 1 of 2")) << pdf_text.error->message;

  // Chunks.
  IngestOptions chunks;
  chunks.limits.max_chunks = 3;
  chunks.chunking.child_tokens = 32;
  IngestPipeline few_chunks(chunks, deps);
  auto chunked = prepare(few_chunks, {"long.md", long_text});
  ASSERT_TRUE(chunked.error);
  EXPECT_TRUE(Has(chunked.error->message, "exceeds knowledge.max_file_chunks (3)")) << chunked.error->message;
  EXPECT_TRUE(chunked.document.chunks.children.empty());

  // Time: the scan's one page takes 200 s of a 120 s budget.
  IngestPipeline pipeline({}, deps);
  auto scanned = prepare(pipeline, {"scanned.pdf", Fixture("scanned.pdf")});
  ASSERT_TRUE(scanned.error);
  EXPECT_EQ(scanned.error->code, core::ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(scanned.error->message, "exceeds knowledge.file_deadline_ms (120000): stopped after extraction");
  EXPECT_EQ(ocr.pages, 1);
  // Within every budget, the same files pass.
  EXPECT_FALSE(prepare(pipeline, {"long.md", long_text}).error);
  EXPECT_FALSE(prepare(pipeline, {"digital.pdf", Fixture("digital.pdf")}).error);
}

TEST(Ocr, JoinsSpacesBetweenHanCharactersOnly) {
  EXPECT_EQ(JoinHanSpaces("员 工 培训 only takes half a day"), "员工培训 only takes half a day");
  EXPECT_EQ(JoinHanSpaces("Lumen CRM 支持 手机"), "Lumen CRM 支持手机");
}

TEST(SparseIndex, RanksByBm25AndForgetsRemovedEntries) {
  SparseIndex index;
  index.Add(1, 1, CountTerms("The price is 99 yuan per seat per month."));
  index.Add(2, 2, CountTerms("Onboarding takes two weeks."));
  index.Add(3, 3, CountTerms("员工培训只需要半天时间。"));
  index.Add(4, 4, CountTerms("Price, price, price: discounts for annual billing."));
  auto hits = index.Search("price", 10, nullptr);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].key, 4u);  // more occurrences in a short entry
  EXPECT_EQ(hits[1].key, 1u);
  auto zh = index.Search("培训要多久", 10, nullptr);
  ASSERT_FALSE(zh.empty());
  EXPECT_EQ(zh[0].key, 3u);
  const std::vector<char> not_four{1, 1, 1, 1, 0};  // by group
  EXPECT_TRUE(index.Search("price", 10, &not_four).size() == 1);
  index.Remove(4);
  hits = index.Search("price", 10, nullptr);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].key, 1u);
  EXPECT_EQ(index.Size(), 3u);
  EXPECT_EQ(DecodeTerms(EncodeTerms(CountTerms("a b a 中文"))), CountTerms("a b a 中文"));
}

std::vector<float> RandomVector(std::mt19937& random, std::size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  for (auto& x : v) x = normal(random);
  Normalize(v);
  return v;
}

TEST(SparseIndex, StopWordsAndQuestionParticlesDoNotDecideTheRanking) {
  SparseIndex index;
  index.Add(1, 0, CountTerms("能先试用吗？可以。一家店可以免费试用两周。"));
  index.Add(2, 0, CountTerms("可以随时停用吗？可以。按月付费，没有最短期限。"));
  index.Add(3, 0, CountTerms("年费：白金卡年费 1200 元，消费满六万元可减免下一年年费。"));
  index.Add(4, 0, CountTerms("How long does setup take? One store can start the same day."));
  index.Add(5, 0, CountTerms("Price: 300 yuan per store per month, billed monthly."));
  index.Add(6, 0, CountTerms("Instalments cost 0.6% per month as a fee."));
  auto hits = index.Search("年费可以减免吗", 5, nullptr);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].key, 3u);
  const auto without = index.Search("年费减免", 5, nullptr);
  ASSERT_EQ(hits.size(), without.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].key, without[i].key);
    EXPECT_DOUBLE_EQ(hits[i].score, without[i].score) << "可以 and 吗 add nothing when the question has other words";
  }
  hits = index.Search("how much does it cost per store", 5, nullptr);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].key, 5u) << "cost meets Price through its synonyms; how, does, per are stop words";
  // A question of nothing but stop words is still searched with them.
  hits = index.Search("可以吗", 5, nullptr);
  ASSERT_GE(hits.size(), 2u);
  EXPECT_TRUE(hits[0].key == 1 || hits[0].key == 2) << hits[0].key;
  EXPECT_FALSE(index.Search("how does it", 5, nullptr).empty());
  EXPECT_TRUE(index.Search("xylophone 吗", 5, nullptr).empty()) << "an unknown word is not replaced by stop words";
}

TEST(SearchLexicon, StemsEnglishAndExpandsSynonymGroupsOneWayWhenAsked) {
  EXPECT_EQ(SearchLexicon::Stem("prices"), "pric");
  EXPECT_EQ(SearchLexicon::Stem("pricing"), "pric");
  EXPECT_EQ(SearchLexicon::Stem("priced"), "pric");
  EXPECT_EQ(SearchLexicon::Stem("companies"), "company");
  EXPECT_EQ(SearchLexicon::Stem("class"), "class");
  EXPECT_EQ(SearchLexicon::Stem("need"), "need");
  EXPECT_EQ(SearchLexicon::Stem("年费"), "年费");
  const SearchLexicon lexicon("吗 the\n# comment\nhow", "price, cost # a group\n能干啥 => 功能\n");
  EXPECT_TRUE(lexicon.IsStopWord("吗"));
  EXPECT_TRUE(lexicon.IsStopWord("how"));
  EXPECT_FALSE(lexicon.IsStopWord("comment"));
  const auto costs = lexicon.Expansions("what does it cost", {"cost"});
  ASSERT_EQ(costs.size(), 1u);
  EXPECT_EQ(costs[0], (std::vector<std::string>{"pric", "cost"}));
  EXPECT_EQ(lexicon.Expansions("这个能干啥", {"能干啥"}).size(), 1u);
  EXPECT_TRUE(lexicon.Expansions("有哪些功能", {"功能"}).empty()) << "one way only";
  // The built-in data parses.
  EXPECT_TRUE(BuiltinLexicon().IsStopWord("可以"));
  EXPECT_FALSE(BuiltinLexicon().Expansions("多少钱", {}).empty());
}

TEST(DenseIndex, FindsWhatExactSearchFindsAndSurvivesSaveAndLoad) {
  constexpr std::size_t kDims = 48;
  constexpr std::size_t kCount = 3000;
  std::mt19937 random(7);
  HnswVectorIndex index({.dimensions = kDims, .m = 16, .ef_construction = 200, .ef_search = 128});
  std::vector<std::vector<float>> vectors;
  for (std::size_t i = 0; i < kCount; ++i) {
    vectors.push_back(RandomVector(random, kDims));
    ASSERT_TRUE(index.Add(i + 1, vectors.back()));
  }
  EXPECT_EQ(index.Size(), kCount);
  EXPECT_FALSE(index.Add(99999, std::vector<float>(3, 1.0F)));  // wrong size
  // recall@10 against exact search
  std::size_t found = 0;
  constexpr int kQueries = 100;
  for (int q = 0; q < kQueries; ++q) {
    const auto query = RandomVector(random, kDims);
    std::vector<std::pair<float, std::uint64_t>> exact;
    for (std::size_t i = 0; i < kCount; ++i) exact.emplace_back(-Dot(query.data(), vectors[i].data(), kDims), i + 1);
    std::partial_sort(exact.begin(), exact.begin() + 10, exact.end());
    std::set<std::uint64_t> truth;
    for (int i = 0; i < 10; ++i) truth.insert(exact[static_cast<std::size_t>(i)].second);
    for (const auto& hit : index.Search(query, 10, {})) found += truth.count(hit.key);
  }
  EXPECT_GE(static_cast<double>(found) / (kQueries * 10), 0.95);
  // The nearest neighbour of a stored vector is itself; removed entries are never returned.
  EXPECT_EQ(index.Search(vectors[41], 1, {}).at(0).key, 42u);
  index.Remove(42);
  EXPECT_NE(index.Search(vectors[41], 1, {}).at(0).key, 42u);
  EXPECT_EQ(index.Search(vectors[41], 5, [](std::uint64_t key) { return key % 2 == 1; }).size(), 5u);
  for (const auto& hit : index.Search(vectors[41], 5, [](std::uint64_t key) { return key % 2 == 1; })) {
    EXPECT_EQ(hit.key % 2, 1u);
  }
  salesboost::testing::TempDir dir;
  ASSERT_TRUE(index.Save(dir.path() / "dense.hnsw"));
  auto loaded = HnswVectorIndex::Load(dir.path() / "dense.hnsw", {.dimensions = kDims});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ((*loaded)->Size(), kCount - 1);
  EXPECT_FALSE((*loaded)->Contains(42));
  EXPECT_EQ((*loaded)->Search(vectors[9], 1, {}).at(0).key, 10u);
  EXPECT_FALSE(HnswVectorIndex::Load(dir.path() / "missing.hnsw", {.dimensions = kDims}));
}

IndexedChunk Child(const std::string& id, const std::string& parent, const std::string& text) {
  return {.id = id, .parent_id = parent, .page = 2, .heading_path = {}, .text = text, .terms = CountTerms(text)};
}
IndexedChunk Parent(const std::string& id, const std::string& text) {
  return {.id = id, .parent_id = {}, .page = 2, .heading_path = {"Pricing"}, .text = text, .terms = {}};
}

TEST(KnowledgeIndex, FusesByReciprocalRankExpandsToParentsAndFilters) {
  KnowledgeIndex index;
  index.Put({.id = "d1",
             .tenant_id = "t",
             .collection = "sales",
             .name = "a.md",
             .type = "faq",
             .language = "en",
             .version = "v"},
            {Parent("00000000000000a1", "parent one"), Parent("00000000000000a2", "parent two")},
            {Child("00000000000000c1", "00000000000000a1", "price of the starter plan"),
             Child("00000000000000c2", "00000000000000a1", "price discounts"),
             Child("00000000000000c3", "00000000000000a2", "onboarding two weeks")});
  index.Put({.id = "d2",
             .tenant_id = "other",
             .collection = "sales",
             .name = "b.md",
             .type = "faq",
             .language = "en",
             .version = "v"},
            {Parent("00000000000000b1", "secret")}, {Child("00000000000000d1", "00000000000000b1", "price secret")});
  SearchQuery query;
  query.text = "price";
  query.tenant_id = "t";
  auto hits = index.Search(query);
  ASSERT_EQ(hits.size(), 1u);  // two children, one parent; the other tenant's never
  EXPECT_EQ(hits[0].text, "parent one");
  EXPECT_EQ(hits[0].heading, "Pricing");
  EXPECT_EQ(hits[0].page, 2);
  EXPECT_EQ(hits[0].source, "a.md");
  EXPECT_EQ(hits[0].sparse_rank, 1);
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0 / 61);
  EXPECT_EQ(hits[0].collection, "sales");
  query.collections = {"other"};
  EXPECT_TRUE(index.Search(query).empty());
  query.collections = {"other", "sales"};
  EXPECT_EQ(index.Search(query).size(), 1u) << "any of the collections named";
  query.collections = {"sales"};
  query.type = "playbook";
  EXPECT_TRUE(index.Search(query).empty());
  query.type.clear();
  query.language = "zh";
  EXPECT_TRUE(index.Search(query).empty());

  // Dense and sparse together: a child first in both lists scores 2/(k+1).
  auto dense = std::make_unique<HnswVectorIndex>(HnswOptions{.dimensions = 2});
  ASSERT_TRUE(dense->Add(ChunkKey("00000000000000c3"), {1, 0}));
  ASSERT_TRUE(dense->Add(ChunkKey("00000000000000c1"), {0, 1}));
  index.SetDense(std::move(dense));
  SearchQuery both;
  both.text = "onboarding";
  both.vector = std::vector<float>{1, 0.1F};
  both.tenant_id = "t";
  hits = index.Search(both);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].text, "parent two");
  EXPECT_DOUBLE_EQ(hits[0].score, 2.0 / 61);
  EXPECT_EQ(hits[1].text, "parent one");  // found by the dense list alone
  EXPECT_EQ(hits[1].sparse_rank, 0);
  EXPECT_EQ(hits[1].sparse_score, 0);
  EXPECT_EQ(hits[1].dense_rank, 2);
  // Beside the fused score, each list's own: BM25, and the cosine of the query and the child.
  EXPECT_GT(hits[0].sparse_score, 0);
  EXPECT_NEAR(hits[0].dense_score, 1 / std::sqrt(1.01), 1e-4);
  EXPECT_NEAR(hits[1].dense_score, 0.1 / std::sqrt(1.01), 1e-4);
  EXPECT_EQ(index.MissingVectors().size(), 2u);  // c2 and d1

  index.Remove("d1");
  EXPECT_TRUE(index.Search(both).empty());
  EXPECT_EQ(index.Stats().children, 1u);
  EXPECT_EQ(index.Stats().vectors, 0u);
}

TEST(KnowledgeIndex, DetectsTheLanguageOfAText) {
  EXPECT_EQ(DetectLanguage("员工培训只需要半天时间。"), "zh");
  EXPECT_EQ(DetectLanguage("Refunds are available within 30 days."), "en");
  EXPECT_EQ(DetectLanguage("Lumen CRM 支持手机和电脑同时使用。"), "zh");
  EXPECT_EQ(DetectLanguage("12345"), "");
  // Kana tell Japanese from Chinese; a katakana name in a Chinese text does not.
  EXPECT_EQ(DetectLanguage("ルーメンＣＲＭは、すべての顧客との会話を一か所にまとめます。"), "ja");
  EXPECT_EQ(DetectLanguage("料金は一席あたり月額九十九元からです。"), "ja");
  EXPECT_EQ(DetectLanguage("ﾙｰﾒﾝの料金は安いです"), "ja");
  EXPECT_EQ(DetectLanguage("我们的客户「ソニー」在北京和上海都有分公司，员工培训只需要半天时间，数据保存在国内机房。"),
            "zh");
  EXPECT_EQ(DetectLanguage("王・李两位经理负责实施。"), "zh");
}

}  // namespace
}  // namespace salesboost::knowledge
