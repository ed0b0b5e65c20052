// The events of a session as Redis carries them (pub/sub messages, stream
// entries): {"type", "seq", "turn_id", "created_at", "body"} with the body
// from conversation's EncodeBody, so a decoded event equals the encoded one.
// Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "conversation/events.hpp"
#include "core/result.hpp"

namespace salesboost::infra {

boost::json::object EncodeRedisEvent(const conversation::Event& event);
core::Result<conversation::Event> DecodeRedisEvent(const boost::json::value& value);

}  // namespace salesboost::infra
