// The SalesBoost session protocol as a client speaks it, without any
// transport: the client's WebSocket messages and REST request bodies built as
// text, and the server's replies and events parsed into typed values. The
// blocking clients (ApiClient, SessionClient: the chat command, the tests) and
// the asynchronous load generator share it, so the wire format is written in
// one place (docs/protocol.md describes it). Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::client {

// One message the server sent on the session socket.
struct ServerEvent {
  std::string type;                 // "session.ready", "npc.delta", "turn.done", "error", ...
  std::optional<std::int64_t> seq;  // set on events of the session's log; replies such as errors have none
  boost::json::object body;         // the whole message, type and seq included

  bool IsError() const { return type == "error"; }
  // The string field `key`, or empty when it is absent or not a string.
  std::string String(std::string_view key) const;
};

// kInvalidArgument unless `text` is a JSON object with a string "type".
core::Result<ServerEvent> ParseServerEvent(std::string_view text);

// The WebSocket upgrade target carrying the bearer token: "/ws?access_token=<token>".
std::string SocketTarget(std::string_view token);

// Client messages, as the text of one WebSocket message each.
// `last_seq`: resume after this event (the server sends only later ones).
std::string JoinMessage(std::string_view session_id, std::optional<std::int64_t> last_seq = std::nullopt);
std::string TurnMessage(std::string_view turn_id, std::string_view text);
std::string EndMessage();

// POST /api/v1/auth/login: the body, and the token from a 200 reply's body.
std::string LoginBody(std::string_view username, std::string_view password);
core::Result<std::string> TokenFromLoginReply(std::string_view body);

// POST /api/v1/sessions: the body, and the new session's id from a 201 reply's body.
struct StartSessionRequest {
  std::string scenario_id;
  std::optional<std::string> persona_id;  // default: the scenario's first persona
  std::string language;                   // "en" or "zh"
  std::optional<std::int64_t> seed;       // the same seed replays the same customer
};
std::string StartSessionBody(const StartSessionRequest& request);
core::Result<std::string> SessionIdFromReply(std::string_view body);

// The message of a JSON error envelope {"error":{"message"}}, or the body itself when it is none.
std::string ErrorMessage(std::string_view body);

}  // namespace salesboost::client
