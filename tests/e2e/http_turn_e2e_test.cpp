// Turns over plain HTTP against the real binary: POST /api/v1/sessions/{id}/turns
// and its alias POST /api/v1/chat, streamed as Server-Sent Events or answered
// as one JSON document; the same seqs as the stored log, idempotency by
// turn_id, Last-Event-ID resume after a dropped connection, the rate limit.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <regex>

#include "support/server_process.hpp"
#include "support/session_client.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using testing::CreateSession;
using testing::Deltas;
using testing::Find;
using testing::Type;
using testing::Types;
namespace json = boost::json;

// One Server-Sent Event as the client reads it.
struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
};

// The events of a text/event-stream body (comments skipped). Each frame is
// "id: …\nevent: …\ndata: …\n\n"; an error frame has no id.
std::vector<SseEvent> ParseSse(const std::string& text) {
  static const std::regex kFrame("(?:id: ([0-9]+)\n)?event: ([a-z._]+)\ndata: ([^\n]*)\n\n");
  std::vector<SseEvent> events;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kFrame); it != std::sregex_iterator(); ++it) {
    events.push_back(SseEvent{.id = (*it)[1].str(), .event = (*it)[2].str(), .data = (*it)[3].str()});
  }
  return events;
}

std::vector<json::object> Objects(const std::vector<SseEvent>& events) {
  std::vector<json::object> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(json::parse(e.data).as_object());
  return out;
}

std::string TurnBody(const std::string& turn_id, const std::string& text) {
  return json::serialize(json::object{{"turn_id", turn_id}, {"text", text}});
}

// Sends a streaming turn request on a raw socket, reads until `frames`
// events with an id have arrived, then drops the connection: a client whose
// network failed in the middle of a reply. Returns what it read.
std::string ReadPartOfStream(std::uint16_t port, const std::string& token, const std::string& session_id,
                             const std::string& body, std::size_t frames) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string request = "POST /api/v1/sessions/" + session_id +
                              "/turns HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                              "Authorization: Bearer " +
                              token +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n\r\n" + body;
  EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string received;
  char buffer[4096];
  while (ParseSse(received).size() < frames) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return received;
}

class HttpTurnE2e : public testing::SharedServerTest<HttpTurnE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "limits.turn_burst=100000",
            "--set", "limits.turn_per_minute=100000",
            "--set", "conversation.npc_delta_interval_ms=25"};
  }

 protected:
  void SetUp() override {
    SharedServerTest::SetUp();
    token_ = server().DemoTraineeToken();
    session_id_ = CreateSession(server().endpoint(), token_, "en", 7);
    ASSERT_FALSE(session_id_.empty());
  }

  client::HttpReply Post(const std::string& target, const std::string& body, client::Headers headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + token_);
    headers.emplace_back("Content-Type", "application/json");
    auto reply = client::Fetch(server().endpoint(), "POST", target, body, headers, milliseconds(30000));
    EXPECT_TRUE(reply) << target << ": " << (reply ? "" : reply.error().message);
    return reply ? *reply : client::HttpReply{};
  }

  client::HttpReply Stream(const std::string& turn_id, const std::string& text, client::Headers headers = {}) {
    headers.emplace_back("Accept", "text/event-stream");
    return Post("/api/v1/sessions/" + session_id_ + "/turns", TurnBody(turn_id, text), std::move(headers));
  }

  // The session's stored events as the REST API lists them.
  std::vector<json::object> StoredEvents() {
    auto reply = client::Fetch(server().endpoint(), "GET", "/api/v1/sessions/" + session_id_ + "/events", "",
                               {{"Authorization", "Bearer " + token_}});
    EXPECT_TRUE(reply && reply->status == 200);
    std::vector<json::object> events;
    if (!reply) return events;
    const auto listed = json::parse(reply->body);
    for (const auto& e : listed.at("events").as_array()) events.push_back(e.as_object());
    return events;
  }

  std::string token_;
  std::string session_id_;
};

TEST_F(HttpTurnE2e, StreamsTheTurnsEventsAsTheyAreStored) {
  const auto reply = Stream("h1", testing::kRetailScript[0]);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("content-type").value_or(""), "text/event-stream; charset=utf-8");
  EXPECT_EQ(reply.Header("cache-control").value_or(""), "no-store");
  const auto frames = ParseSse(reply.body);
  ASSERT_GE(frames.size(), 4U) << reply.body;
  const auto events = Objects(frames);
  EXPECT_EQ(Type(events.front()), "turn.started");
  EXPECT_EQ(Type(events.back()), "turn.done");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].event, Type(events[i]));
    EXPECT_EQ(frames[i].id, std::to_string(events[i].at("seq").as_int64()));
    EXPECT_EQ(events[i].at("turn_id").as_string(), "h1");
    if (i > 0) {
      EXPECT_EQ(events[i].at("seq").as_int64(), events[i - 1].at("seq").as_int64() + 1);
    }
  }
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(Deltas(events), done->at("text").as_string());

  // Exactly what the session's log stored for the turn, seqs and members alike.
  std::vector<json::object> stored;
  for (auto& e : StoredEvents()) {
    if (e.contains("turn_id") && e.at("turn_id") == "h1") {
      e.erase("created_at");
      stored.push_back(std::move(e));
    }
  }
  ASSERT_EQ(stored.size(), events.size());
  for (std::size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(stored[i], events[i]) << i;
}

TEST_F(HttpTurnE2e, AnswersWithOneJsonDocumentWithoutEventStream) {
  const auto reply = Post(
      "/api/v1/chat", json::serialize(json::object{{"session_id", session_id_}, {"turn_id", "j1"}, {"text", "Hello"}}));
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto answer = json::parse(reply.body).as_object();
  EXPECT_EQ(answer.at("session_id").as_string(), session_id_);
  EXPECT_EQ(answer.at("turn_id").as_string(), "j1");
  std::vector<json::object> events;
  for (const auto& e : answer.at("events").as_array()) events.push_back(e.as_object());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(Type(events.front()), "turn.started");
  EXPECT_EQ(Type(events.back()), "turn.done");

  // The same turn_id and text again: the stored events, unchanged; a different text: 409.
  const auto again = Post(
      "/api/v1/chat", json::serialize(json::object{{"session_id", session_id_}, {"turn_id", "j1"}, {"text", "Hello"}}));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body).at("events"), answer.at("events"));
  const auto reused = Post(
      "/api/v1/chat", json::serialize(json::object{{"session_id", session_id_}, {"turn_id", "j1"}, {"text", "Other"}}));
  EXPECT_EQ(reused.status, 409) << reused.body;
  EXPECT_NE(reused.body.find("failed_precondition"), std::string::npos) << reused.body;
}

TEST_F(HttpTurnE2e, LastEventIdResumesAfterADroppedConnectionWithoutARepeatedWord) {
  const std::string& text = testing::kRetailScript[1];
  const auto first = ParseSse(ReadPartOfStream(server().port(), token_, session_id_, TurnBody("r1", text), 4));
  ASSERT_GE(first.size(), 4U);
  const std::string last_id = first.back().id;

  const auto rest = ParseSse(Stream("r1", text, {{"Last-Event-ID", last_id}}).body);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().id, std::to_string(std::stoll(last_id) + 1)) << "the stream goes on after Last-Event-ID";
  auto events = Objects(first);
  for (const auto& e : Objects(rest)) events.push_back(e);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("seq").as_int64(), events[i - 1].at("seq").as_int64() + 1) << "no seq twice or missed";
  }
  EXPECT_EQ(Type(events.back()), "turn.done");
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(Deltas(events), done->at("text").as_string()) << "the reply is whole, no word twice";
}

TEST_F(HttpTurnE2e, AConversationPlayedOverHttpEndsWithTheReport) {
  std::vector<json::object> last;
  for (std::size_t i = 0; i < testing::kRetailScript.size(); ++i) {
    const auto reply = Stream("c" + std::to_string(i), testing::kRetailScript[i]);
    ASSERT_EQ(reply.status, 200) << reply.body;
    last = Objects(ParseSse(reply.body));
    ASSERT_FALSE(last.empty());
    if (Find(last, "session.ended") != nullptr) break;
  }
  const auto types = Types(last);
  ASSERT_GE(types.size(), 3U);
  EXPECT_EQ(types[types.size() - 3], "turn.done");
  EXPECT_EQ(types[types.size() - 2], "session.ended");
  EXPECT_EQ(types.back(), "report.ready");
  EXPECT_TRUE(last.back().at("report").as_object().contains("overall"));

  // The live checklist of the last turn is the report's scorecard, criterion by criterion.
  const auto* scored = Find(last, "turn.scored");
  ASSERT_NE(scored, nullptr);
  const auto& live = scored->at("criteria").as_array();
  const auto& judged = last.back().at("report").at("scorecard").at("criteria").as_array();
  ASSERT_EQ(live.size(), judged.size());
  ASSERT_FALSE(live.empty());
  for (std::size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(live[i].at("id"), judged[i].at("id"));
    EXPECT_EQ(live[i].at("result"), judged[i].at("result")) << live[i].at("id");
  }

  const auto after = Stream("after-end", "Are you still there?");
  EXPECT_EQ(after.status, 409) << after.body;
}

TEST_F(HttpTurnE2e, RefusesBadRequestsWithTheErrorEnvelope) {
  const std::string target = "/api/v1/sessions/" + session_id_ + "/turns";
  EXPECT_EQ(Post(target, "{\"turn_id\":\"x\"}").status, 400);
  EXPECT_EQ(Post(target, "{\"text\":\"hi\"}").status, 400);
  EXPECT_EQ(Post(target, "not json").status, 400);
  EXPECT_EQ(Post(target, TurnBody(std::string(65, 'a'), "hi")).status, 400);
  EXPECT_EQ(Post(target, TurnBody("blank", "  \u3000 ")).status, 400);
  EXPECT_EQ(Post(target, TurnBody("x2", "hi"), {{"Last-Event-ID", "abc"}}).status, 400);
  EXPECT_EQ(Post("/api/v1/chat", TurnBody("x3", "hi")).status, 400) << "chat needs a session_id";
  EXPECT_EQ(Post("/api/v1/sessions/no-such-session/turns", TurnBody("x4", "hi")).status, 404);
  auto anonymous =
      client::Fetch(server().endpoint(), "POST", target, TurnBody("x5", "hi"), {{"Content-Type", "application/json"}});
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

class HttpTurnLimitE2e : public testing::SharedServerTest<HttpTurnLimitE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "limits.turn_burst=1", "--set", "limits.turn_per_minute=1"};
  }
};

TEST_F(HttpTurnLimitE2e, TheRateLimitIsTheWebSocketsWithRetryAfter) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = CreateSession(server().endpoint(), token, "zh", 3);
  const client::Headers headers{{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  const std::string target = "/api/v1/sessions/" + session_id + "/turns";
  auto first = client::Fetch(server().endpoint(), "POST", target, TurnBody("a", "您好"), headers, milliseconds(30000));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  auto second = client::Fetch(server().endpoint(), "POST", target, TurnBody("b", "您好"), headers);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 429) << second->body;
  EXPECT_NE(second->body.find("rate_limited"), std::string::npos);
  const int retry_after = std::stoi(second->Header("retry-after").value_or("0"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
}

}  // namespace
}  // namespace salesboost
