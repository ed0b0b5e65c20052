// A WebSocket client of the session protocol for end-to-end tests: join,
// send turns, read events checking that seqs are consecutive; and helpers
// over lists of events.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/blocking_client.hpp"

namespace salesboost::testing {

using client::WsClient;
using client::WsEvent;
using std::chrono::milliseconds;
namespace json = boost::json;

inline std::string Type(const json::object& event) { return std::string(event.at("type").as_string()); }

class Client {
 public:
  Client(const client::Endpoint& endpoint, const std::string& token) {
    auto ws = WsClient::Connect(endpoint, "/ws?access_token=" + token);
    EXPECT_TRUE(ws) << ws.error().message;
    if (ws) ws_ = std::move(*ws);
  }
  explicit operator bool() const { return ws_ != nullptr; }

  void Send(const json::object& message) { ASSERT_TRUE(ws_->SendText(json::serialize(message))); }
  void Join(const std::string& session_id, std::optional<std::int64_t> last_seq = std::nullopt) {
    json::object join{{"type", "session.join"}, {"session_id", session_id}};
    if (last_seq) join["last_seq"] = *last_seq;
    Send(join);
  }
  void Turn(const std::string& turn_id, const std::string& text) {
    Send({{"type", "turn"}, {"turn_id", turn_id}, {"text", text}});
  }

  // The next message; an empty object on timeout or close.
  json::object Next(milliseconds timeout = milliseconds(5000)) {
    auto event = ws_->Read(timeout);
    if (!event || event->kind != WsEvent::Kind::kText) return {};
    auto message = json::parse(event->data).as_object();
    if (message.contains("seq")) {
      const auto seq = message.at("seq").as_int64();
      if (last_seq_ != 0) {
        EXPECT_EQ(seq, last_seq_ + 1) << "seqs must be consecutive: " << event->data;
      }
      last_seq_ = seq;
    }
    return message;
  }
  // Messages up to and including the first of `type` (or an error).
  std::vector<json::object> Until(std::string_view type) {
    std::vector<json::object> out;
    for (;;) {
      auto message = Next();
      if (message.empty()) {
        ADD_FAILURE() << "no " << type << " arrived";
        return out;
      }
      out.push_back(message);
      if (Type(message) == type || Type(message) == "error") return out;
    }
  }
  // Reads up to and including the first npc.delta; returns its text.
  std::string UntilFirstDelta() {
    for (;;) {
      auto message = Next();
      if (message.empty()) {
        ADD_FAILURE() << "no npc.delta arrived";
        return {};
      }
      if (Type(message) == "npc.delta") return std::string(message.at("text").as_string());
    }
  }
  void ResetSeq(std::int64_t last) { last_seq_ = last; }
  std::int64_t last_seq() const { return last_seq_; }
  WsClient& ws() { return *ws_; }

 private:
  std::unique_ptr<WsClient> ws_;
  std::int64_t last_seq_ = 0;
};

// Starts a session of the demo scenario "first-call-retail"; its id, or empty.
inline std::string CreateSession(const client::Endpoint& endpoint, const std::string& token,
                                 const std::string& language, std::optional<std::int64_t> seed = std::nullopt) {
  json::object body{{"scenario_id", "first-call-retail"}, {"language", language}};
  if (seed) body["seed"] = *seed;
  auto created = client::Fetch(endpoint, "POST", "/api/v1/sessions", json::serialize(body),
                               {{"Authorization", "Bearer " + token}});
  EXPECT_TRUE(created && created->status == 201) << (created ? created->body : created.error().message);
  return created && created->status == 201 ? std::string(json::parse(created->body).at("id").as_string())
                                           : std::string();
}

inline std::vector<std::string> Types(const std::vector<json::object>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(Type(e));
  return out;
}

// The reply the deltas spell: text after the last npc.reset.
inline std::string Deltas(const std::vector<json::object>& events) {
  std::string text;
  for (const auto& e : events) {
    if (Type(e) == "npc.delta") text += e.at("text").as_string();
    if (Type(e) == "npc.reset") text.clear();
  }
  return text;
}

inline const json::object* Find(const std::vector<json::object>& events, std::string_view type) {
  for (const auto& e : events) {
    if (Type(e) == type) return &e;
  }
  return nullptr;
}

}  // namespace salesboost::testing
