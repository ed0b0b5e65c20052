#include "infra/redis/event_codec.hpp"

namespace salesboost::infra {

namespace json = boost::json;

json::object EncodeRedisEvent(const conversation::Event& event) {
  return json::object{{"type", event.Type()},
                      {"seq", event.seq},
                      {"turn_id", event.turn_id},
                      {"created_at", event.created_at},
                      {"body", conversation::EncodeBody(event.body)}};
}

core::Result<conversation::Event> DecodeRedisEvent(const json::value& value) {
  const auto* object = value.if_object();
  if (object == nullptr) return core::Fail(core::ErrorCode::kInternal, "redis event is not an object");
  const auto* type = object->if_contains("type");
  const auto* seq = object->if_contains("seq");
  const auto* turn_id = object->if_contains("turn_id");
  const auto* created_at = object->if_contains("created_at");
  const auto* body = object->if_contains("body");
  if (type == nullptr || !type->is_string() || seq == nullptr || !seq->is_int64() || body == nullptr ||
      !body->is_object()) {
    return core::Fail(core::ErrorCode::kInternal, "redis event lacks type, seq or body");
  }
  auto decoded = conversation::DecodeBody(type->get_string(), body->get_object());
  if (!decoded) return core::Fail(decoded.error());
  conversation::Event event;
  event.seq = seq->get_int64();
  if (turn_id != nullptr && turn_id->is_string()) event.turn_id = turn_id->get_string();
  if (created_at != nullptr && created_at->is_string()) event.created_at = created_at->get_string();
  event.body = std::move(*decoded);
  return event;
}

}  // namespace salesboost::infra
