// The session protocol over WebSocket against the real binary: authentication
// and Origin checks before the upgrade, join with replay, live events, end,
// cross-user denial and take-over.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::WsClient;
using client::WsEvent;
using std::chrono::milliseconds;
namespace json = boost::json;

class WsSessionE2e : public testing::SharedServerTest<WsSessionE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "websocket.allowed_origins=https://console.example.com, http://127.0.0.1:5173"};
  }

 protected:
  static std::unique_ptr<WsClient> Open(const std::string& token, client::Headers headers = {}) {
    auto ws =
        WsClient::Connect(server().endpoint(), "/ws?access_token=" + token,
                          client::WsClientOptions{
                              .headers = std::move(headers), .timeout = milliseconds(5000), .receive_buffer_bytes = 0});
    EXPECT_TRUE(ws) << ws.error().message;
    return ws ? std::move(*ws) : nullptr;
  }

  static std::string StartSession(const std::string& token) {
    auto created =
        client::Fetch(server().endpoint(), "POST", "/api/v1/sessions",
                      R"({"scenario_id":"first-call-retail","language":"en"})", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(created && created->status == 201);
    return created ? std::string(json::parse(created->body).at("id").as_string()) : std::string();
  }

  static json::object Next(WsClient& ws) {
    auto event = ws.Read(milliseconds(5000));
    EXPECT_TRUE(event) << event.error().message;
    if (!event || event->kind != WsEvent::Kind::kText) {
      ADD_FAILURE() << "expected a message, got close " << (event ? event->close_code : 0);
      return {};
    }
    return json::parse(event->data).as_object();
  }

  static void Send(WsClient& ws, const json::object& message) { ASSERT_TRUE(ws.SendText(json::serialize(message))); }
};

TEST_F(WsSessionE2e, UpgradeWithoutAValidTokenIsRefusedBefore101) {
  const std::vector<std::string> targets = {"/ws", "/ws?access_token=", "/ws?access_token=abc.def.ghi"};
  for (const auto& target : targets) {
    auto ws = WsClient::Connect(server().endpoint(), target);
    ASSERT_FALSE(ws) << target;
    EXPECT_NE(ws.error().message.find("status 401"), std::string::npos) << ws.error().message;
  }
}

TEST_F(WsSessionE2e, TokenMayTravelAsASubprotocol) {
  auto ws = WsClient::Connect(
      server().endpoint(), "/ws",
      client::WsClientOptions{
          .headers = {{"Sec-WebSocket-Protocol", "salesboost.v1, bearer." + server().DemoTraineeToken()}},
          .timeout = milliseconds(5000),
          .receive_buffer_bytes = 0});
  ASSERT_TRUE(ws) << ws.error().message;
  ASSERT_TRUE((*ws)->SendText(R"({"type":"ping"})"));
  EXPECT_EQ(Next(**ws).at("type").as_string(), "pong");
}

TEST_F(WsSessionE2e, OriginsOutsideTheAllowListAreRefused) {
  const auto token = server().DemoTraineeToken();
  auto bad = WsClient::Connect(server().endpoint(), "/ws?access_token=" + token,
                               client::WsClientOptions{.headers = {{"Origin", "https://evil.example.com"}},
                                                       .timeout = milliseconds(5000),
                                                       .receive_buffer_bytes = 0});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("status 403"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(Open(token, {{"Origin", "http://127.0.0.1:5173"}}));
}

TEST_F(WsSessionE2e, JoinReplaysMissedEventsThenDeliversLiveOnes) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token);
  auto ws = Open(token);
  ASSERT_TRUE(ws);
  Send(*ws, {{"type", "session.join"}, {"session_id", session_id}});
  const auto ready = Next(*ws);
  EXPECT_EQ(ready.at("type").as_string(), "session.ready");
  EXPECT_EQ(ready.at("seq").as_int64(), 1);
  EXPECT_EQ(ready.at("persona").at("name").as_string(), "Li Wei");

  // Ended over REST: the joined socket sees the events live.
  auto ended = client::Fetch(server().endpoint(), "POST", "/api/v1/sessions/" + session_id + "/end", "",
                             {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(ended && ended->status == 200);
  const auto first = Next(*ws);
  const auto second = Next(*ws);
  EXPECT_EQ(first.at("type").as_string(), "session.ended");
  EXPECT_EQ(first.at("seq").as_int64(), 2);
  EXPECT_EQ(second.at("type").as_string(), "report.ready");
  EXPECT_EQ(second.at("seq").as_int64(), 3);

  // A new socket that saw up to seq 1 gets exactly 2 and 3.
  auto again = Open(token);
  ASSERT_TRUE(again);
  Send(*again, {{"type", "session.join"}, {"session_id", session_id}, {"last_seq", 1}});
  EXPECT_EQ(Next(*again).at("seq").as_int64(), 2);
  EXPECT_EQ(Next(*again).at("seq").as_int64(), 3);
  auto quiet = again->Read(milliseconds(300));
  EXPECT_FALSE(quiet) << "no event after the last one";
}

TEST_F(WsSessionE2e, EndOverTheSocket) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token);
  auto ws = Open(token);
  ASSERT_TRUE(ws);
  Send(*ws, {{"type", "session.end"}});
  EXPECT_EQ(Next(*ws).at("code").as_string(), "failed_precondition") << "join first";
  Send(*ws, {{"type", "session.join"}, {"session_id", session_id}, {"last_seq", 1}});
  Send(*ws, {{"type", "session.end"}});
  EXPECT_EQ(Next(*ws).at("type").as_string(), "session.ended");
  EXPECT_EQ(Next(*ws).at("type").as_string(), "report.ready");
  Send(*ws, {{"type", "session.end"}});
  EXPECT_EQ(Next(*ws).at("code").as_string(), "failed_precondition") << "already ended";
}

TEST_F(WsSessionE2e, AnotherUsersSessionDoesNotExist) {
  const auto session_id = StartSession(server().DemoTraineeToken());
  const auto created =
      testing::RunCommand({"user", "add", "carol", "--set", "data.dir=" + server().data_dir().string(), "--set",
                           "auth.password_hash_memory_kib=64", "--set", "auth.password_hash_iterations=1"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto carol = server().Login("carol", created.out.substr(created.out.find("password: ") + 10, 20));
  auto ws = Open(carol);
  ASSERT_TRUE(ws);
  Send(*ws, {{"type", "session.join"}, {"session_id", session_id}});
  EXPECT_EQ(Next(*ws).at("code").as_string(), "not_found");
  Send(*ws, {{"type", "ping"}});
  EXPECT_EQ(Next(*ws).at("type").as_string(), "pong") << "the connection stays";
}

TEST_F(WsSessionE2e, ASecondJoinTakesTheSessionOver) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token);
  auto first = Open(token);
  auto second = Open(token);
  ASSERT_TRUE(first && second);
  Send(*first, {{"type", "session.join"}, {"session_id", session_id}});
  EXPECT_EQ(Next(*first).at("type").as_string(), "session.ready");
  Send(*second, {{"type", "session.join"}, {"session_id", session_id}});
  EXPECT_EQ(Next(*second).at("type").as_string(), "session.ready");
  EXPECT_EQ(Next(*first).at("code").as_string(), "replaced");
  auto closed = first->Read(milliseconds(5000));
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->kind, WsEvent::Kind::kClosed);
  EXPECT_EQ(closed->close_code, 4002);
}

TEST_F(WsSessionE2e, MalformedJoinIsAnError) {
  auto ws = Open(server().DemoTraineeToken());
  ASSERT_TRUE(ws);
  const std::vector<json::object> bad = {{{"type", "session.join"}},
                                         {{"type", "session.join"}, {"session_id", 5}},
                                         {{"type", "session.join"}, {"session_id", "x"}, {"last_seq", -1}}};
  for (const auto& message : bad) {
    Send(*ws, message);
    EXPECT_EQ(Next(*ws).at("code").as_string(), "invalid_message") << json::serialize(message);
  }
}

}  // namespace
}  // namespace salesboost
