#include "api/client_message.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace salesboost::api {
namespace {

TEST(ClientMessage, DecodesEveryType) {
  auto ping = ParseClientMessage(R"({"type":"ping","id":[1,"a"]})");
  ASSERT_TRUE(ping);
  ASSERT_TRUE(std::get<PingMessage>(*ping).id);
  EXPECT_EQ(boost::json::serialize(*std::get<PingMessage>(*ping).id), R"([1,"a"])");

  auto join = ParseClientMessage(R"({"type":"session.join","session_id":"s1","last_seq":4})");
  ASSERT_TRUE(join);
  EXPECT_EQ(std::get<JoinMessage>(*join).session_id, "s1");
  EXPECT_EQ(std::get<JoinMessage>(*join).last_seq, 4);

  auto turn = ParseClientMessage(R"({"type":"turn","turn_id":"t1","text":"你好"})");
  ASSERT_TRUE(turn);
  EXPECT_EQ(std::get<TurnMessage>(*turn).turn_id, "t1");
  EXPECT_EQ(std::get<TurnMessage>(*turn).text, "你好");

  auto end = ParseClientMessage(R"({"type":"session.end"})");
  ASSERT_TRUE(end);
  EXPECT_TRUE(std::holds_alternative<EndMessage>(*end));
}

TEST(ClientMessage, TextThatIsNotJsonClosesTheSocket) {
  const auto message = ParseClientMessage(R"({"type":"ping")");
  ASSERT_FALSE(message);
  EXPECT_TRUE(message.error().close);
}

TEST(ClientMessage, OtherProblemsAreAnsweredWithACode) {
  for (const std::string_view text :
       {R"([])", R"({"type":7})", R"({"type":"session.join"})",
        R"({"type":"session.join","session_id":"s","last_seq":-1})",
        R"({"type":"session.join","session_id":"s","last_seq":1.5})", R"({"type":"turn","turn_id":"t"})"}) {
    const auto message = ParseClientMessage(text);
    ASSERT_FALSE(message) << text;
    EXPECT_FALSE(message.error().close) << text;
    EXPECT_EQ(message.error().code, "invalid_message") << text;
  }
  const auto long_id = ParseClientMessage(R"({"type":"session.join","session_id":")" + std::string(65, 's') + "\"}");
  ASSERT_FALSE(long_id);
  const auto turn = ParseClientMessage(R"({"type":"turn","turn_id":"t9","text":null})");
  ASSERT_FALSE(turn);
  EXPECT_EQ(turn.error().turn_id, "t9");
  const auto unknown = ParseClientMessage(R"({"type":"dance"})");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "unknown_type");
}

}  // namespace
}  // namespace salesboost::api
