#include "api/client_message.hpp"

#include <boost/json/parse.hpp>

namespace salesboost::api {
namespace {

namespace json = boost::json;

tl::unexpected<ClientMessageError> Invalid(std::string message, std::string turn_id = {}) {
  return tl::unexpected(ClientMessageError{
      .close = false, .code = "invalid_message", .message = std::move(message), .turn_id = std::move(turn_id)});
}

tl::expected<ClientMessage, ClientMessageError> Join(const json::object& message) {
  const auto* id = message.if_contains("session_id");
  const auto* last = message.if_contains("last_seq");
  if (id == nullptr || !id->is_string() || id->get_string().empty() || id->get_string().size() > 64 ||
      (last != nullptr && (!last->is_int64() || last->get_int64() < 0))) {
    return Invalid("session.join needs a string \"session_id\" and an optional \"last_seq\" >= 0");
  }
  return JoinMessage{.session_id = std::string(id->get_string()), .last_seq = last != nullptr ? last->get_int64() : 0};
}

tl::expected<ClientMessage, ClientMessageError> Turn(const json::object& message) {
  const auto* turn_id = message.if_contains("turn_id");
  const auto* text = message.if_contains("text");
  std::string id = turn_id != nullptr && turn_id->is_string() ? std::string(turn_id->get_string()) : "";
  if (id.empty() || text == nullptr || !text->is_string()) {
    return Invalid("turn needs a string \"turn_id\" and a string \"text\"", std::move(id));
  }
  return TurnMessage{.turn_id = std::move(id), .text = std::string(text->get_string())};
}

}  // namespace

tl::expected<ClientMessage, ClientMessageError> ParseClientMessage(std::string_view text) {
  boost::system::error_code ec;
  json::value message = json::parse(text, ec);
  if (ec)
    return tl::unexpected(
        ClientMessageError{.close = true, .code = "", .message = "message is not valid JSON", .turn_id = ""});
  const auto* object = message.if_object();
  const auto* type = object != nullptr ? object->if_contains("type") : nullptr;
  if (type == nullptr || !type->is_string()) return Invalid("a message is a JSON object with a string \"type\"");
  const std::string_view name = type->get_string();
  if (name == "ping") {
    PingMessage ping;
    if (const auto* id = object->if_contains("id")) ping.id = *id;
    return ping;
  }
  if (name == "turn") return Turn(*object);
  if (name == "session.join") return Join(*object);
  if (name == "session.end") return EndMessage{};
  return tl::unexpected(ClientMessageError{.close = false,
                                           .code = "unknown_type",
                                           .message = "unknown message type \"" + std::string(name) + "\"",
                                           .turn_id = ""});
}

}  // namespace salesboost::api
