// A practice session as stored and listed: the vocabulary shared by the session
// store, the REST handlers and the WebSocket protocol (its events: events.hpp).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace salesboost::conversation {

enum class SessionStatus { kActive, kEnded };

struct Session {
  std::string id;
  std::string tenant_id;
  std::string user_id;
  std::string course_id;
  std::string scenario_id;
  std::string persona_id;
  std::string language;  // "en" or "zh"
  SessionStatus status = SessionStatus::kActive;
  std::int64_t last_seq = 0;      // seq of the newest committed event
  std::int64_t turn_count = 0;    // committed turns
  std::int64_t reserved_seq = 0;  // >= last_seq: seqs handed out to the running turn
  std::string running_turn_id;    // the turn holding the reservation, if any
  std::string created_at;         // ISO 8601 UTC
  std::optional<std::string> ended_at;
};

boost::json::object SessionJson(const Session& session);

}  // namespace salesboost::conversation
