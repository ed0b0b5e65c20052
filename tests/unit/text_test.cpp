#include "core/text.hpp"

#include <gtest/gtest.h>

namespace salesboost::core {
namespace {

using Words = std::vector<std::string>;

TEST(Text, NormalisesFullWidthAndFoldsCase) {
  EXPECT_EQ(NormalizeText("ＰＲＩＣＥ　１２３"), "PRICE 123");
  EXPECT_EQ(FoldText("ＰＲＩＣＥ Straße"), "price strasse");
  EXPECT_EQ(FoldText("价格"), "价格");
  EXPECT_EQ(NormalizeText(std::string("a\xff"
                                      "b")),
            "a\xEF\xBF\xBD"
            "b")
      << "invalid UTF-8 reads as U+FFFD";
}

TEST(Text, BlankIsOnlyWhiteSpaceOfAnyKind) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_TRUE(IsBlank("\u3000\u00a0\u200b\ufeff"));  // full-width, no-break, zero-width
  EXPECT_FALSE(IsBlank("  a  "));
  EXPECT_FALSE(IsBlank("\u3000好"));
  EXPECT_FALSE(IsBlank("。"));
}

TEST(Text, SegmentsChineseWithTheDictionaryAndEnglishOnSpaces) {
  EXPECT_EQ(SegmentWords("我们正在讨论价格"), (Words{"我们", "正在", "讨论", "价格"}));
  EXPECT_EQ(SegmentWords("Hello, world! It's 3.5 yuan."), (Words{"Hello", "world", "It's", "3.5", "yuan"}));
  EXPECT_EQ(SegmentWords("用 CRM 管理客户"), (Words{"用", "CRM", "管理", "客户"}));
  EXPECT_TRUE(SegmentWords("  ，。!! ").empty());
}

TEST(Text, SplitsSentencesInBothLanguages) {
  EXPECT_EQ(SplitSentences("你好。价格是多少？我们再谈吧！"), (Words{"你好。", "价格是多少？", "我们再谈吧！"}));
  EXPECT_EQ(SplitSentences("It costs 3.5 yuan. Is that fine?? Yes"),
            (Words{"It costs 3.5 yuan.", "Is that fine??", "Yes"}));
  EXPECT_EQ(SplitSentences("他说：“好的。”然后走了；第二天回来"),
            (Words{"他说：“好的。”", "然后走了；", "第二天回来"}));
  EXPECT_EQ(SplitSentences("line one\nline two"), (Words{"line one", "line two"}));
  EXPECT_TRUE(SplitSentences(" \n ").empty());
}

TEST(Text, CountsTokensChineseAware) {
  EXPECT_EQ(CountTokens("价格"), 2u);
  EXPECT_EQ(CountTokens("price"), 2u);  // five bytes: two tokens
  EXPECT_EQ(CountTokens("a b"), 2u);
  EXPECT_EQ(CountTokens("你好，world!"), 2u + 1u + 2u + 1u);
  EXPECT_EQ(CountTokens(""), 0u);
}

}  // namespace
}  // namespace salesboost::core
