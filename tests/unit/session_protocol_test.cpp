// The session protocol's wire format as the clients write and read it: the
// messages and request bodies are the JSON the server expects, and server
// events and replies parse into typed values or clear errors.
#include "client/session_protocol.hpp"

#include <gtest/gtest.h>

namespace salesboost::client {
namespace {

TEST(SessionProtocol, ClientMessagesAreTheProtocolsJson) {
  EXPECT_EQ(JoinMessage("s-1"), R"({"type":"session.join","session_id":"s-1"})");
  EXPECT_EQ(JoinMessage("s-1", 7), R"({"type":"session.join","session_id":"s-1","last_seq":7})");
  EXPECT_EQ(TurnMessage("t-1", "Hello \"Mr Li\""), R"({"type":"turn","turn_id":"t-1","text":"Hello \"Mr Li\""})");
  EXPECT_EQ(EndMessage(), R"({"type":"session.end"})");
  EXPECT_EQ(SocketTarget("abc.def"), "/ws?access_token=abc.def");
  EXPECT_EQ(LoginBody("ann", "pw"), R"({"username":"ann","password":"pw"})");
  EXPECT_EQ(
      StartSessionBody(
          {.scenario_id = "first-call-retail", .persona_id = std::nullopt, .language = "en", .seed = std::nullopt}),
      R"({"scenario_id":"first-call-retail","language":"en"})");
  EXPECT_EQ(StartSessionBody({.scenario_id = "x", .persona_id = std::nullopt, .language = "zh", .seed = 42}),
            R"({"scenario_id":"x","language":"zh","seed":42})");
  EXPECT_EQ(StartSessionBody({.scenario_id = "x", .persona_id = "cfo-wang", .language = "en", .seed = std::nullopt}),
            R"({"scenario_id":"x","language":"en","persona_id":"cfo-wang"})");
}

TEST(SessionProtocol, ServerEventsParseIntoTypeSeqAndBody) {
  const auto delta = ParseServerEvent(R"({"type":"npc.delta","seq":12,"text":"Hi"})");
  ASSERT_TRUE(delta) << delta.error().message;
  EXPECT_EQ(delta->type, "npc.delta");
  EXPECT_EQ(delta->seq, 12);
  EXPECT_EQ(delta->String("text"), "Hi");
  EXPECT_EQ(delta->String("missing"), "");
  EXPECT_FALSE(delta->IsError());

  const auto error = ParseServerEvent(R"({"type":"error","code":"not_found","message":"no such session"})");
  ASSERT_TRUE(error);
  EXPECT_TRUE(error->IsError());
  EXPECT_FALSE(error->seq);
  EXPECT_EQ(error->String("code"), "not_found");

  for (const std::string bad : {"", "not json", "[1]", R"({"seq":1})", R"({"type":3})"}) {
    const auto parsed = ParseServerEvent(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(SessionProtocol, RepliesGiveTheirTokenIdOrErrorMessage) {
  EXPECT_EQ(TokenFromLoginReply(R"({"token":"tok","token_type":"Bearer"})").value_or(""), "tok");
  EXPECT_FALSE(TokenFromLoginReply(R"({"token":""})"));
  EXPECT_FALSE(TokenFromLoginReply("<html>"));
  EXPECT_EQ(SessionIdFromReply(R"({"id":"s-9","status":"active"})").value_or(""), "s-9");
  const auto no_id = SessionIdFromReply("{}");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().message, "the new session's reply has no \"id\"");
  EXPECT_EQ(ErrorMessage(R"({"error":{"code":"unauthenticated","message":"invalid credentials","request_id":"r"}})"),
            "invalid credentials");
  EXPECT_EQ(ErrorMessage("Bad Gateway"), "Bad Gateway");
}

}  // namespace
}  // namespace salesboost::client
