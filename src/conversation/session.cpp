#include "conversation/session.hpp"

namespace salesboost::conversation {

boost::json::object SessionJson(const Session& session) {
  boost::json::object out{{"id", session.id},
                          {"user_id", session.user_id},
                          {"course_id", session.course_id},
                          {"scenario_id", session.scenario_id},
                          {"persona_id", session.persona_id},
                          {"language", session.language},
                          {"status", session.status == SessionStatus::kActive ? "active" : "ended"},
                          {"last_seq", session.last_seq},
                          {"turn_count", session.turn_count},
                          {"created_at", session.created_at}};
  out["ended_at"] = session.ended_at ? boost::json::value(*session.ended_at) : boost::json::value(nullptr);
  return out;
}

}  // namespace salesboost::conversation
