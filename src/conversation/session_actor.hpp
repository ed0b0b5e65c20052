// SessionActor: one practice session's mailbox and sequence numbers.
//
// Jobs (turns, the end, a recovery load) queue in a FIFO and are drained by
// one coroutine at a time, so a session's turns run one after another in
// arrival order while sessions run concurrently. The actor caches what a turn
// needs (the session, its scenario and persona, the ConversationState folded
// from the log) and owns the seq counter:
//
//  - provisional events of the running turn (turn.started, npc.delta,
//    npc.reset, npc.done, coach.tip) are numbered, reserved in the store
//    (sessions.reserved_seq, in blocks), appended to the LiveBuffer and
//    published through the SessionHub at once, in seq order;
//  - the rest of the turn is numbered after them and the whole turn is
//    committed in one transaction, then the live buffer is cleared and the
//    committed tail published;
//  - a turn that cannot finish commits its provisional events plus
//    turn.aborted instead; seqs a dead process reserved are recorded as lost
//    by the next load, so no seq is ever reused.
//
// What a turn does is the TurnPipeline's. Thread-safe: Offer, Peek, Cancel and
// Retire may be called from any thread; Drain runs on one coroutine at a time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog_repository.hpp"
#include "conversation/conversation_state.hpp"
#include "conversation/live_buffer.hpp"
#include "conversation/session_hub.hpp"
#include "conversation/session_leases.hpp"
#include "conversation/session_store.hpp"
#include "conversation/turn_pipeline.hpp"
#include "core/completion.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"

namespace salesboost::conversation {

struct EndedSession {
  Session session;            // as it is now: ended
  std::vector<Event> events;  // session.ended, report.ready
};

struct ActorJob {
  enum class Kind { kTurn, kEnd, kLoad };
  Kind kind = Kind::kTurn;
  std::string turn_id;                                 // kTurn
  std::string text;                                    // kTurn
  std::function<void(const core::Error&)> on_refused;  // kTurn: called if the accepted turn is refused later
  std::string reason;                                  // kEnd
  std::shared_ptr<core::Completion<core::Result<EndedSession>>> done;  // kEnd
  std::shared_ptr<core::Completion<core::Result<void>>> ready;         // kLoad
};

// What every actor of a coordinator shares.
struct ActorContext {
  std::chrono::milliseconds turn_deadline{60000};
  std::int64_t seq_reservation = 64;            // seqs reserved in the store at a time
  std::chrono::milliseconds lease_wait{60000};  // how long a job waits for another instance to release the session
  SessionStore& sessions;
  SessionLeases& leases;
  catalog::CatalogRepository& catalog;
  SessionHub& hub;
  LiveBuffer& live;
  TurnPipeline& pipeline;
  core::Histogram& turn_duration;
  core::Family<core::Counter>& turns;  // by outcome
  core::Logger logger;
};

class SessionActor {
 public:
  SessionActor(std::string tenant_id, std::string session_id, ActorContext& context);
  ~SessionActor();
  SessionActor(const SessionActor&) = delete;
  SessionActor& operator=(const SessionActor&) = delete;

  const std::string& tenant_id() const { return tenant_id_; }
  const std::string& session_id() const { return session_id_; }

  enum class Offer {
    kQueued,     // queued; a Drain is already running
    kStart,      // queued; the caller must start Drain()
    kAttached,   // the same turn_id with the same text is running or queued
    kConflict,   // the same turn_id with another text is running or queued
    kQueueFull,  // more than `max_queued` turns would wait
  };
  // Queues `job` (at the front when `first`). An end job also cancels the running turn.
  Offer Take(ActorJob job, bool first, std::size_t max_queued);

  // What admission may learn without the store, once the session is loaded.
  struct Known {
    bool here = false;       // the turn_id is running or queued
    std::string here_text;   // here: that turn's text
    bool loaded = false;     // the fields below are known
    std::string user_id;     // the session's trainee
    bool ended = false;      // the session has ended
    bool committed = false;  // the turn_id was answered
  };
  Known Peek(const std::string& turn_id) const;

  // Runs queued jobs until none is left, holding the session's lease meanwhile.
  boost::asio::awaitable<void> Drain();

  // A Drain is running or jobs are queued.
  bool Busy() const;

  // With no Drain running and no job queued: whether the actor may be
  // forgotten (ended, never loaded, or `crowded` with idle actors).
  bool Retire(bool crowded) const;

 private:
  class Emitter;

  // Runs jobs until none is left or the lease is lost.
  boost::asio::awaitable<void> RunJobs();
  // Renews the lease until cancelled; marks it lost and stops the running turn when taken over.
  boost::asio::awaitable<void> KeepLease(Lease lease);
  // Completes every queued job with `outcome` (loads) or refuses it (turns, ends) with its error.
  void SettleQueued(const core::Result<void>& outcome);
  boost::asio::awaitable<core::Result<void>> Load();
  boost::asio::awaitable<void> RunTurn(ActorJob& job);
  boost::asio::awaitable<void> RunEnd(ActorJob& job);
  // Numbers, reserves, buffers and publishes provisional events, one call at a time.
  boost::asio::awaitable<core::Result<void>> EmitProvisional(std::vector<NewEvent> events);
  boost::asio::awaitable<core::Result<std::vector<Event>>> Commit(std::vector<Event> events, std::int64_t turns,
                                                                  bool ends);
  boost::asio::awaitable<void> Abort(const std::string& turn_id, std::string reason);
  // session.ended and report.ready, numbered after `pending` (events not stored
  // yet). `stored` is the session's stored log when the caller has read it
  // already; otherwise it is read here.
  boost::asio::awaitable<core::Result<std::vector<Event>>> Closing(std::vector<Event> pending, std::string reason,
                                                                   std::optional<std::vector<Event>> stored);
  // Fills the turn.scored among `numbered` with the rubric's criteria as judged
  // over the stored log plus this turn (the live checklist); leaves it empty
  // when the log cannot be read. The stored log it read, for Closing.
  boost::asio::awaitable<std::optional<std::vector<Event>>> JudgeSoFar(const std::vector<Event>& provisional,
                                                                       std::vector<Event>& numbered);
  std::vector<Event> Number(std::vector<NewEvent> events);
  void RefreshKnownLocked();
  // The text of `turn_id` when it is running or queued.
  std::optional<std::string> TextOfLocked(const std::string& turn_id) const;

  const std::string tenant_id_;
  const std::string session_id_;
  ActorContext& ctx_;

  mutable std::mutex mutex_;
  std::deque<ActorJob> jobs_;     // guarded by mutex_
  bool draining_ = false;         // guarded by mutex_: a Drain coroutine owns the actor
  std::string running_turn_;      // guarded by mutex_
  std::string running_text_;      // guarded by mutex_: the running turn's text
  bool ending_ = false;           // guarded by mutex_: an end job is queued
  std::function<void()> cancel_;  // guarded by mutex_: stops the running turn
  struct Snapshot {
    std::string user_id;
    bool ended = false;
    std::set<std::string> committed;
  };
  std::optional<Snapshot> known_;  // guarded by mutex_: refreshed after the load and every commit

  // Touched only by the Drain coroutine (and KeepLease beside it, on the same executor).
  bool loaded_ = false;
  bool lease_lost_ = false;  // the lease held by this drain was taken over
  Session session_;
  boost::json::object scenario_;
  boost::json::object persona_;
  std::vector<std::string> collections_;  // the course's knowledge collections
  ConversationState state_;
  std::int64_t next_seq_ = 0;       // the next seq to hand out
  std::int64_t reserved_ = 0;       // seqs up to here are reserved in the store
  std::vector<Event> provisional_;  // the running turn's numbered provisional events
  bool emit_failed_ = false;        // a provisional event could not be reserved or sent
  bool emitting_ = false;           // an EmitProvisional is between numbering and publishing
  std::deque<std::shared_ptr<boost::asio::steady_timer>> emit_waiters_;  // EmitProvisional calls waiting their turn
};

}  // namespace salesboost::conversation
