#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace salesboost::core {
namespace {

TEST(Utf8, AcceptsAsciiChineseAndFourByteSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("hello"));
  EXPECT_TRUE(IsValidUtf8("您好，我想了解价格"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("ok\x80"));  // stray continuation byte
}

TEST(Utf8, JsonStringEscapesControlsAndReplacesInvalidBytes) {
  std::string out;
  AppendJsonString(out, "a\"b\\c\n\x01价\xFF");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001价\xEF\xBF\xBD\"");
  EXPECT_TRUE(IsValidUtf8(out));
}

}  // namespace
}  // namespace salesboost::core
