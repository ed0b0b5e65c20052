// TurnRoutes: a turn over plain HTTP, for clients whose proxies break
// WebSockets (docs/protocol.md, "Turns over HTTP"):
//   POST /api/v1/sessions/{id}/turns  {"turn_id", "text"}
//   POST /api/v1/chat                 {"session_id", "turn_id", "text"}
// The turn goes through the same TurnCoordinator as a WebSocket turn (the
// same idempotency by turn_id, per-user rate limit and queue), and its events
// come through the SessionFeed with the same seqs. A client that accepts
// text/event-stream gets them as Server-Sent Events as they happen (id = seq,
// event = type, data = the event's JSON); Last-Event-ID resumes after that
// seq. Any other client gets one JSON document once the turn has finished.
// While a request follows its turn it is the session's subscriber: a
// WebSocket joined to the session is replaced, as by a second join.
#pragma once

#include <chrono>

#include "conversation/session_feed.hpp"
#include "conversation/session_service.hpp"
#include "conversation/turn_coordinator.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

struct TurnRoutesOptions {
  // The longest a request follows its turn (waiting in the queue, then
  // running); past it the stream ends with deadline_exceeded.
  std::chrono::milliseconds wait{std::chrono::minutes(5)};
  // A Server-Sent Events comment this often while no event comes, so proxies
  // keep the connection and a client that left is noticed.
  std::chrono::milliseconds keepalive{std::chrono::seconds(15)};
};

// `auth`, `sessions`, `feed` and `coordinator` must outlive the router.
void AddTurnRoutes(server::Router& router, identity::AuthService& auth, conversation::SessionService& sessions,
                   conversation::SessionFeed& feed, conversation::TurnCoordinator& coordinator,
                   TurnRoutesOptions options);

}  // namespace salesboost::api
