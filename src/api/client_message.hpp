// ClientMessage: what a client sends on /ws (docs/protocol.md), decoded from
// the frame's text into a typed command before any session state is touched.
// A message is a JSON object with a string "type": ping, session.join, turn,
// session.end. Text that is not JSON closes the socket; any other problem is
// answered with an error message and the socket stays open. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <tl/expected.hpp>

namespace salesboost::api {

struct PingMessage {
  std::optional<boost::json::value> id;  // echoed in the pong as sent
};

struct JoinMessage {
  std::string session_id;  // 1..64 bytes
  std::int64_t last_seq = 0;
};

struct TurnMessage {
  std::string turn_id;  // not empty
  std::string text;
};

struct EndMessage {};

using ClientMessage = std::variant<PingMessage, JoinMessage, TurnMessage, EndMessage>;

struct ClientMessageError {
  bool close = false;   // not JSON: the socket closes with 1007 and `message`
  std::string code;     // otherwise the error message's "code": invalid_message, unknown_type
  std::string message;  // client-safe text
  std::string turn_id;  // a turn's id, when it had one
};

tl::expected<ClientMessage, ClientMessageError> ParseClientMessage(std::string_view text);

}  // namespace salesboost::api
