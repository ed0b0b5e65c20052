// The event-stream parser against the WHATWG rules, fed in every possible
// split, and the decoding of OpenAI-compatible stream chunks.
#include <gtest/gtest.h>

#include "llm/chat_stream.hpp"
#include "llm/sse_parser.hpp"

namespace salesboost::llm {
namespace {

std::vector<SseEvent> ParseAll(std::string_view stream, std::size_t piece) {
  SseParser parser;
  std::vector<SseEvent> events;
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    EXPECT_TRUE(parser.Feed(stream.substr(at, piece), events));
  }
  return events;
}

TEST(SseParser, FollowsTheStandardWhateverThePiecesAre) {
  const std::string stream =
      "\xEF\xBB\xBF"
      ": keep-alive comment\r\n"
      "data: {\"a\":1}\r\n\r\n"
      "event: update\rdata:first\rdata: second\r\rid: 7\n"
      "data\n\n"  // a field without a colon: empty data
      "data: ignored without a blank line";
  for (std::size_t piece = 1; piece <= stream.size(); ++piece) {
    const auto events = ParseAll(stream, piece);
    ASSERT_EQ(events.size(), 3u) << "piece " << piece;
    EXPECT_EQ(events[0].type, "message");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].type, "update");
    EXPECT_EQ(events[1].data, "first\nsecond") << "multi-line data joined with LF";
    EXPECT_EQ(events[2].data, "");
    EXPECT_EQ(events[2].id, "7");
    EXPECT_EQ(events[2].type, "message") << "the event type resets after a dispatch";
  }
}

TEST(SseParser, ReadsRetryAndRefusesOversizedEvents) {
  SseParser parser(64);
  std::vector<SseEvent> events;
  ASSERT_TRUE(parser.Feed("retry: 1500\nretry: soon\n\n", events));
  EXPECT_EQ(parser.retry_ms(), 1500);
  EXPECT_TRUE(events.empty()) << "no data, no event";
  const auto big = parser.Feed("data: " + std::string(100, 'x'), events);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("larger than 64 bytes"), std::string::npos);
  SseParser lines(64);
  std::string many;
  for (int i = 0; i < 20; ++i) many += "data: xxxx\n";
  EXPECT_FALSE(lines.Feed(many, events)) << "many data lines add up to one event";
}

TEST(ChatStream, DecodesChunksDoneAndErrorsMidStream) {
  auto chunk = DecodeChatChunk(
      R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"你好"},"finish_reason":null}]})");
  ASSERT_TRUE(chunk);
  ASSERT_TRUE(chunk->has_value());
  EXPECT_EQ((*chunk)->content, "你好");
  EXPECT_TRUE((*chunk)->finish_reason.empty());

  auto last = DecodeChatChunk(
      R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}})");
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ((*last)->finish_reason, "stop");
  ASSERT_TRUE((*last)->usage);
  EXPECT_EQ((*last)->usage->prompt_tokens, 12);
  EXPECT_EQ((*last)->usage->completion_tokens, 3);

  auto usage_only = DecodeChatChunk(R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})");
  ASSERT_TRUE(usage_only && usage_only->has_value());
  EXPECT_TRUE((*usage_only)->content.empty());

  auto done = DecodeChatChunk("[DONE]");
  ASSERT_TRUE(done);
  EXPECT_FALSE(done->has_value());

  auto limited = DecodeChatChunk(R"({"error":{"message":"slow down","type":"rate_limit_error","code":"429"}})");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(limited.error().message.find("slow down"), std::string::npos);
  auto failed = DecodeChatChunk(R"({"error":{"message":"model overloaded","type":"server_error"}})");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, core::ErrorCode::kUnavailable);

  for (const std::string_view bad : {"{not json", "[]", R"({"object":"chat.completion.chunk"})", R"({"error":5})"}) {
    auto decoded = DecodeChatChunk(bad);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().code, core::ErrorCode::kUnavailable) << bad;
  }
}

}  // namespace
}  // namespace salesboost::llm
