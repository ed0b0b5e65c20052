#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/text.hpp"
#include "knowledge/text/chunker.hpp"

namespace salesboost::knowledge {
namespace {

std::string Sentences(const std::string& stem, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += stem + " number " + std::to_string(i) + " is here. ";
  return out;
}

ExtractedDocument Sample() {
  return ExtractedDocument{.id = "doc-1",
                           .version = "v1",
                           .pages = {{.number = 1,
                                      .markdown = "# Platinum card\n\nIntro paragraph about the card.\n\n## Fees\n\n" +
                                                  Sentences("The annual fee rule", 40) +
                                                  "\n\n| fee | amount |\n|---|---|\n| annual | 600 |"},
                                     {.number = 2,
                                      .markdown = "## 权益\n\n" + std::string("机场贵宾厅每年六次。积分永不过期。") +
                                                  "\n\n" + Sentences("Lounge access rule", 30)}}};
}

TEST(Chunker, AParentSpansPagesWhileEachChildStaysOnItsPage) {
  // One section running from page 1 onto page 2: one parent, pages 1-2; its children each on one page.
  const ExtractedDocument doc{.id = "span",
                              .version = "v1",
                              .pages = {{.number = 1, .markdown = "# Warranty\n\n" + Sentences("Page one fact", 12)},
                                        {.number = 2, .markdown = Sentences("Page two fact", 4)}}};
  const auto text = doc.Text();
  const auto chunks = ChunkDocument(doc, {.child_tokens = 40, .parent_tokens = 512, .overlap_tokens = 8});
  ASSERT_EQ(chunks.parents.size(), 1U);
  EXPECT_EQ(chunks.parents[0].page, 1);
  EXPECT_EQ(chunks.parents[0].page_end, 2);
  const auto page2 = text.find("Page two fact");
  bool saw_page2 = false;
  for (const auto& child : chunks.children) {
    EXPECT_EQ(child.page, child.page_end) << child.text;
    EXPECT_EQ(child.page, child.begin >= page2 ? 2 : 1) << child.text;
    EXPECT_EQ(child.text.find("Page one") == std::string::npos, child.page == 2) << child.text;
    saw_page2 = saw_page2 || child.page == 2;
  }
  EXPECT_TRUE(saw_page2);
}

TEST(Chunker, HeadingsStartParentsAndEveryChunkKnowsWhereItIs) {
  const auto doc = Sample();
  const auto text = doc.Text();
  const auto chunks = ChunkDocument(doc, {.child_tokens = 40, .parent_tokens = 160, .overlap_tokens = 8});
  ASSERT_GE(chunks.parents.size(), 4U);
  EXPECT_EQ(chunks.parents[0].heading_path, (std::vector<std::string>{"Platinum card"}));
  EXPECT_EQ(chunks.parents[0].page, 1);
  bool saw_fees = false;
  bool saw_chinese = false;
  for (const auto& parent : chunks.parents) {
    EXPECT_EQ(parent.text, text.substr(parent.begin, parent.end - parent.begin));
    EXPECT_LE(parent.tokens, 160U);
    EXPECT_TRUE(parent.parent_id.empty());
    if (parent.heading_path == std::vector<std::string>{"Platinum card", "Fees"}) saw_fees = true;
    if (parent.heading_path == std::vector<std::string>{"Platinum card", "权益"}) {
      saw_chinese = true;
      EXPECT_EQ(parent.page, 2);
    }
  }
  EXPECT_TRUE(saw_fees);
  EXPECT_TRUE(saw_chinese) << "a level-2 heading replaces the previous level-2 one";
  for (const auto& child : chunks.children) {
    EXPECT_EQ(child.text, text.substr(child.begin, child.end - child.begin));
    EXPECT_LE(child.tokens, 44U) << child.text;
    const auto parent = std::find_if(chunks.parents.begin(), chunks.parents.end(),
                                     [&](const Chunk& p) { return p.id == child.parent_id; });
    ASSERT_NE(parent, chunks.parents.end());
    EXPECT_GE(child.begin, parent->begin);
    EXPECT_LE(child.end, parent->end);
    EXPECT_EQ(child.document_id, "doc-1");
    EXPECT_EQ(child.version, "v1");
  }
}

TEST(Chunker, ChildrenCoverTheTextOverlapAndKeepSmallTablesWhole) {
  const auto doc = Sample();
  const auto text = doc.Text();
  const auto chunks = ChunkDocument(doc, {.child_tokens = 40, .parent_tokens = 160, .overlap_tokens = 16});
  std::vector<bool> covered(text.size(), false);
  for (const auto& child : chunks.children) {
    for (auto i = child.begin; i < child.end; ++i) covered[i] = true;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != ' ') {
      EXPECT_TRUE(covered[i]) << "byte " << i << " of '" << text.substr(i, 20) << "'";
    }
  }
  int overlaps = 0;
  for (std::size_t i = 1; i < chunks.children.size(); ++i) {
    const auto& a = chunks.children[i - 1];
    const auto& b = chunks.children[i];
    if (a.parent_id == b.parent_id && b.begin < a.end) ++overlaps;
    EXPECT_GE(b.begin, a.begin) << "document order";
  }
  EXPECT_GT(overlaps, 3);
  const auto table = std::find_if(chunks.children.begin(), chunks.children.end(),
                                  [](const Chunk& c) { return c.text.find("| annual | 600 |") != std::string::npos; });
  ASSERT_NE(table, chunks.children.end());
  EXPECT_NE(table->text.find("| fee | amount |"), std::string::npos) << "the table's rows stay together";
}

TEST(Chunker, IdsAreStableForTheSameContentAndChangeWithTheVersion) {
  const auto doc = Sample();
  const auto a = ChunkDocument(doc);
  const auto b = ChunkDocument(doc);
  ASSERT_EQ(a.children.size(), b.children.size());
  for (std::size_t i = 0; i < a.children.size(); ++i) EXPECT_EQ(a.children[i].id, b.children[i].id);
  auto changed = doc;
  changed.version = "v2";
  EXPECT_NE(ChunkDocument(changed).children.front().id, a.children.front().id);
  std::set<std::string> ids;
  for (const auto& c : a.children) ids.insert(c.id);
  for (const auto& p : a.parents) ids.insert(p.id);
  EXPECT_EQ(ids.size(), a.children.size() + a.parents.size()) << "unique";
}

TEST(Chunker, ChineseIsCountedByCharacterAndCutAtSentenceEnds) {
  std::string zh;
  for (int i = 0; i < 30; ++i) zh += "年费首年免收，次年消费满六万元免年费。";
  const ExtractedDocument doc{.id = "zh", .version = "1", .pages = {{.number = 1, .markdown = zh}}};
  const auto chunks = ChunkDocument(doc, {.child_tokens = 40, .parent_tokens = 200, .overlap_tokens = 0});
  ASSERT_GT(chunks.children.size(), 10U);
  for (const auto& child : chunks.children) {
    EXPECT_LE(child.tokens, 40U);
    EXPECT_TRUE(child.text.ends_with("。")) << child.text;
  }
}

TEST(Chunker, ASentenceLongerThanAChildIsCutAndEmptyDocumentsHaveNoChunks) {
  std::string words;
  for (int i = 0; i < 500; ++i) words += "word" + std::to_string(i) + " ";
  const ExtractedDocument doc{.id = "long", .version = "1", .pages = {{.number = 1, .markdown = words}}};
  const auto chunks = ChunkDocument(doc, {.child_tokens = 50, .parent_tokens = 200, .overlap_tokens = 0});
  EXPECT_GE(chunks.children.size(), 10U);
  for (const auto& child : chunks.children) EXPECT_LE(child.tokens, 50U) << child.text;
  EXPECT_TRUE(ChunkDocument(ExtractedDocument{.id = "e", .version = "1", .pages = {}}).children.empty());
  EXPECT_TRUE(
      ChunkDocument(ExtractedDocument{.id = "e", .version = "1", .pages = {{.number = 1, .markdown = "\n\n \n"}}})
          .parents.empty());
}

}  // namespace
}  // namespace salesboost::knowledge
