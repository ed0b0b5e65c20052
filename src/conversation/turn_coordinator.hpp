// TurnCoordinator: admission of every turn and every end, and the map of
// session actors that run them (docs/architecture.md, "A turn").
//
//   validate -> de-duplicate (TurnLedger) -> rate limit -> the session's
//   actor (SessionActor: mailbox, seqs, commit) -> TurnPipeline (classify,
//   stage, parts in parallel, conclusion).
//
// An actor lives while it has work, and stays cached while idle (up to
// max_idle_sessions) so the next turn needs no store read. Thread-safe.
// Awaitable calls may come from any I/O thread.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog_repository.hpp"
#include "conversation/agents.hpp"
#include "conversation/live_buffer.hpp"
#include "conversation/session_actor.hpp"
#include "conversation/session_hub.hpp"
#include "conversation/session_leases.hpp"
#include "conversation/session_service.hpp"
#include "conversation/session_store.hpp"
#include "conversation/turn_ledger.hpp"
#include "conversation/turn_pipeline.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/rate_limiter.hpp"
#include "identity/principal.hpp"

namespace salesboost::conversation {

struct CoordinatorOptions {
  std::size_t max_text_chars = 4000;  // code points in a turn's text
  std::size_t max_queued_turns = 4;   // per session, besides the running one
  std::chrono::milliseconds turn_deadline{60000};
  std::chrono::milliseconds part_deadline{30000};  // each of NPC, coach, compliance, evaluation
  std::int64_t seq_reservation = 64;               // seqs reserved in the store at a time
  std::chrono::milliseconds lease_wait{60000};     // a job waits this long for another instance to release a session
  std::size_t max_idle_sessions = 10000;           // idle session states kept in memory
};

struct CoordinatorDeps {
  SessionStore& sessions;
  SessionService& service;  // access rules
  catalog::CatalogRepository& catalog;
  SessionHub& hub;
  LiveBuffer& live;
  SessionLeases& leases;
  TurnLedger& ledger;
  core::RateLimiter& turn_limiter;  // keyed by user id
  Agents& agents;
  core::MetricsRegistry& metrics;
  core::Logger logger;
};

struct TurnRequest {
  std::string session_id;
  std::string turn_id;
  std::string text;
  // Called (from any thread) if the accepted turn is later refused, e.g. the
  // session ended while it waited. Must not block.
  std::function<void(const core::Error&)> on_refused;
};

struct TurnAdmission {
  enum class Status {
    kAccepted,     // queued; its events reach the session's subscriber
    kAttached,     // the same turn_id is already running or queued
    kReplayed,     // the turn_id was answered before: `replay` holds its events
    kRateLimited,  // retry after `retry_after`
    kQueueFull,    // too many turns waiting in this session
  };
  Status status = Status::kAccepted;
  std::vector<Event> replay;
  std::chrono::milliseconds retry_after{0};
};

class TurnCoordinator {
 public:
  TurnCoordinator(CoordinatorOptions options, CoordinatorDeps deps);
  ~TurnCoordinator();
  TurnCoordinator(const TurnCoordinator&) = delete;
  TurnCoordinator& operator=(const TurnCoordinator&) = delete;

  // kInvalidArgument (text), kNotFound, kPermissionDenied (not the session's
  // trainee), kFailedPrecondition (ended).
  boost::asio::awaitable<core::Result<TurnAdmission>> Submit(identity::Principal who, TurnRequest request);

  // Cancels a running turn (it ends with turn.aborted), refuses queued ones,
  // then commits session.ended and report.ready. kFailedPrecondition when
  // already ended.
  boost::asio::awaitable<core::Result<EndedSession>> End(identity::Principal who, std::string session_id,
                                                         std::string reason);

  // Before replaying a session's log: if the store says a turn of a process
  // that is gone held seqs, records them as lost and the turn as aborted.
  boost::asio::awaitable<core::Result<void>> Recover(const Session& session);

 private:
  struct Metrics;

  // Queues `job` with the session's actor, creating it and starting its drain as needed.
  SessionActor::Offer Enqueue(const std::string& tenant_id, const std::string& session_id, ActorJob job, bool first,
                              const boost::asio::any_io_executor& executor);
  boost::asio::awaitable<void> Run(std::shared_ptr<SessionActor> actor);

  CoordinatorOptions options_;
  CoordinatorDeps deps_;
  std::unique_ptr<Metrics> metrics_;
  TurnPipeline pipeline_;
  ActorContext actor_context_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<SessionActor>> actors_;  // guarded by mutex_
};

}  // namespace salesboost::conversation
