#include "client/session_protocol.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace salesboost::client {
namespace {

namespace json = boost::json;

// The string field `key` of a JSON object body; kInvalidArgument naming `what` otherwise.
core::Result<std::string> StringField(std::string_view body, std::string_view key, std::string_view what) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* value = object != nullptr ? object->if_contains(key) : nullptr;
  if (value == nullptr || !value->is_string() || value->get_string().empty()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, std::string(what) + " has no \"" + std::string(key) + "\"");
  }
  return std::string(value->get_string());
}

}  // namespace

std::string ServerEvent::String(std::string_view key) const {
  const auto* value = body.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

core::Result<ServerEvent> ParseServerEvent(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the server sent a message that is not a JSON object");
  }
  ServerEvent event;
  event.body = std::move(parsed.as_object());
  const auto* type = event.body.if_contains("type");
  if (type == nullptr || !type->is_string()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the server sent a message without a type");
  }
  event.type = std::string(type->get_string());
  if (const auto* seq = event.body.if_contains("seq"); seq != nullptr && seq->is_int64()) event.seq = seq->get_int64();
  return event;
}

std::string SocketTarget(std::string_view token) { return "/ws?access_token=" + std::string(token); }

std::string JoinMessage(std::string_view session_id, std::optional<std::int64_t> last_seq) {
  json::object join{{"type", "session.join"}, {"session_id", session_id}};
  if (last_seq) join["last_seq"] = *last_seq;
  return json::serialize(join);
}

std::string TurnMessage(std::string_view turn_id, std::string_view text) {
  return json::serialize(json::object{{"type", "turn"}, {"turn_id", turn_id}, {"text", text}});
}

std::string EndMessage() { return json::serialize(json::object{{"type", "session.end"}}); }

std::string LoginBody(std::string_view username, std::string_view password) {
  return json::serialize(json::object{{"username", username}, {"password", password}});
}

core::Result<std::string> TokenFromLoginReply(std::string_view body) {
  return StringField(body, "token", "the login reply");
}

std::string StartSessionBody(const StartSessionRequest& request) {
  json::object body{{"scenario_id", request.scenario_id}, {"language", request.language}};
  if (request.persona_id) body["persona_id"] = *request.persona_id;
  if (request.seed) body["seed"] = *request.seed;
  return json::serialize(body);
}

core::Result<std::string> SessionIdFromReply(std::string_view body) {
  return StringField(body, "id", "the new session's reply");
}

std::string ErrorMessage(std::string_view body) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  const auto* object = ec ? nullptr : parsed.if_object();
  const auto* error = object != nullptr ? object->if_contains("error") : nullptr;
  const auto* message = error != nullptr && error->is_object() ? error->as_object().if_contains("message") : nullptr;
  if (error == nullptr || !error->is_object()) return std::string(body);
  return message != nullptr && message->is_string() ? std::string(message->get_string()) : std::string();
}

}  // namespace salesboost::client
