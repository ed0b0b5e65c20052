// The session protocol client (client::SessionClient, client::ApiClient) for
// end-to-end tests: failures become test failures, events are read as JSON
// objects checking that seqs are consecutive; and helpers over lists of events.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/api_client.hpp"
#include "client/session_client.hpp"

namespace salesboost::testing {

using client::WsClient;
using std::chrono::milliseconds;
namespace json = boost::json;

inline std::string Type(const json::object& event) { return std::string(event.at("type").as_string()); }

class Client {
 public:
  Client(const client::Endpoint& endpoint, const std::string& token) {
    auto session = client::SessionClient::Connect(endpoint, token);
    EXPECT_TRUE(session) << session.error().message;
    if (session) session_ = std::move(*session);
  }
  explicit operator bool() const { return session_ != nullptr; }

  void Send(const json::object& message) { ASSERT_TRUE(session_->Send(json::serialize(message))); }
  void Join(const std::string& session_id, std::optional<std::int64_t> last_seq = std::nullopt) {
    ASSERT_TRUE(session_->Join(session_id, last_seq));
  }
  void Turn(const std::string& turn_id, const std::string& text) { ASSERT_TRUE(session_->SendTurn(turn_id, text)); }

  // The next message; an empty object on timeout or close.
  json::object Next(milliseconds timeout = milliseconds(5000)) {
    const auto before = session_->last_seq();
    auto event = session_->Next(timeout);
    if (!event) return {};
    if (event->seq && before != 0) {
      EXPECT_EQ(*event->seq, before + 1) << "seqs must be consecutive: " << json::serialize(event->body);
    }
    return std::move(event->body);
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
  void ResetSeq(std::int64_t last) { session_->set_last_seq(last); }
  std::int64_t last_seq() const { return session_->last_seq(); }
  WsClient& ws() { return session_->socket(); }

 private:
  std::unique_ptr<client::SessionClient> session_;
};

// The scripted trainee of the demo scenario "first-call-retail" in English:
// discovery, a pitch tied to the needs, the price objection answered with
// value, a trial close that surfaces the second objection, its answer, a close.
inline const std::vector<std::string> kRetailScript = {
    "Hello Mr Li, this is Anna from Lumen.",
    "How do you follow up with customers who visit your stores today?",
    "What happens when one of your salespeople quits?",
    "Our CRM sends follow-up reminders to every salesperson, so no lead is forgotten.",
    "Our price is 300 yuan per store per month.",
    "I understand your concern. Most stores pay back the cost within three months because fewer leads are lost.",
    "Would you like to start with a trial in one store?",
    "Many customers felt the same; the training takes one hour and your staff use the mobile app.",
    "Shall we start the trial in one store next Monday?",
};

// Starts a session of the demo scenario "first-call-retail"; its id, or empty.
inline std::string CreateSession(const client::Endpoint& endpoint, const std::string& token,
                                 const std::string& language, std::optional<std::int64_t> seed = std::nullopt) {
  client::ApiClient api(endpoint, token);
  auto created = api.StartSession(
      {.scenario_id = "first-call-retail", .persona_id = std::nullopt, .language = language, .seed = seed});
  EXPECT_TRUE(created) << created.error().message;
  return created ? *created : std::string();
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
