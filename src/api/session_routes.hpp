// Practice-session endpoints (signed in; trainees see their own sessions only):
//   POST /api/v1/sessions                    {"scenario_id","persona_id"?,"language"?,"seed"?} -> 201 session
//   GET  /api/v1/sessions?page=&page_size=   the caller's sessions (an admin: the tenant's), newest first
//   GET  /api/v1/sessions/{id}
//   POST /api/v1/sessions/{id}/end           -> the ended session and its report
//   GET  /api/v1/sessions/{id}/report        409 while the session is active
//   GET  /api/v1/sessions/{id}/events?after_seq=N
//   GET  /api/v1/team?course_id=&days=&language=   admin: per trainee and per criterion, from the reports
//   GET  /api/v1/team.csv?course_id=&days=         admin: one row per session
#pragma once

#include "conversation/session_service.hpp"
#include "conversation/turn_coordinator.hpp"
#include "core/blocking_pool.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

// The team view's summaries and CSV are computed on `blocking`, off the I/O threads.
void AddSessionRoutes(server::Router& router, identity::AuthService& auth, conversation::SessionService& sessions,
                      conversation::TurnCoordinator& coordinator, core::BlockingPool& blocking);

}  // namespace salesboost::api
