// TurnCoordinator: the one place a turn runs (docs/architecture.md, "A turn").
//
//   validate -> de-duplicate (TurnLedger) -> rate limit -> queue per session
//   -> classify -> stage update -> in parallel {NPC reply streamed as deltas,
//   coach tip, compliance check, evaluation}, each with its own deadline and
//   the whole under the turn deadline -> commit atomically -> emit.
//
// Each session has an actor: a FIFO of jobs (turns, the end) drained by one
// coroutine at a time, so turns of a session run one after another in arrival
// order while sessions run concurrently. The actor owns the session's seq
// counter: events of the running turn (turn.started, npc.delta, npc.done,
// coach.tip) are provisional: numbered, kept in the live buffer and published
// at once; the rest of the turn is numbered and published only after the
// whole turn is committed. Seqs handed out before the commit are reserved in
// the store first, so after a crash they are recorded as lost and the turn as
// aborted instead of being reused.
//
// Thread-safe. Awaitable calls may come from any I/O thread.
#pragma once

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
#include "conversation/session_hub.hpp"
#include "conversation/session_service.hpp"
#include "conversation/session_store.hpp"
#include "conversation/turn_ledger.hpp"
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
  std::size_t max_idle_sessions = 10000;           // idle session states kept in memory
};

struct CoordinatorDeps {
  SessionStore& sessions;
  SessionService& service;  // access rules
  catalog::CatalogRepository& catalog;
  SessionHub& hub;
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

struct EndedSession {
  Session session;            // as it is now: ended
  std::vector<Event> events;  // session.ended, report.ready
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

  // The live buffer: events of the running turn with seq > after_seq.
  std::vector<Event> LiveEvents(const std::string& session_id, std::int64_t after_seq) const;

 private:
  struct Actor;
  struct Job;
  struct Metrics;
  class StreamSink;

  std::shared_ptr<Actor> Enqueue(const std::string& tenant_id, const std::string& session_id, Job job, bool first,
                                 const boost::asio::any_io_executor& executor, TurnAdmission::Status* status);
  boost::asio::awaitable<void> Drain(std::shared_ptr<Actor> actor);
  boost::asio::awaitable<core::Result<void>> Load(Actor& actor);
  boost::asio::awaitable<void> RunTurn(Actor& actor, Job& job);
  boost::asio::awaitable<void> RunEnd(Actor& actor, Job& job);
  // `opening`: the turn's turn.started, which every other event of the turn waits for.
  boost::asio::awaitable<core::Result<void>> Emit(Actor& actor, std::vector<NewEvent> events, bool opening = false);
  boost::asio::awaitable<core::Result<std::vector<Event>>> Commit(Actor& actor, std::vector<Event> events,
                                                                  std::int64_t turns, bool ends);
  boost::asio::awaitable<void> Abort(Actor& actor, const std::string& turn_id, std::string reason);
  // session.ended and report.ready, numbered after `pending` (events not stored yet).
  boost::asio::awaitable<core::Result<std::vector<Event>>> Closing(Actor& actor, std::vector<Event> pending,
                                                                   std::string reason);
  boost::asio::awaitable<boost::json::value> Recommend(Actor& actor, std::string reason);
  std::vector<Event> Number(Actor& actor, std::vector<NewEvent> events);

  CoordinatorOptions options_;
  CoordinatorDeps deps_;
  std::unique_ptr<Metrics> metrics_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Actor>> actors_;  // guarded by mutex_
};

}  // namespace salesboost::conversation
