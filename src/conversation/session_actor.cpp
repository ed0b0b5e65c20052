#include "conversation/session_actor.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "conversation/recommendation.hpp"
#include "conversation/report.hpp"

namespace salesboost::conversation {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::int64_t kAllEvents = 1'000'000;

using EndCompletion = core::Completion<core::Result<EndedSession>>;
using LoadCompletion = core::Completion<core::Result<void>>;

void Refuse(ActorJob& job, const core::Error& error) {
  if (job.on_refused) job.on_refused(error);
}

}  // namespace

// The running turn's TurnEmitter. turn.started is reserved and sent while
// the parts already start (the customer's provider request goes out at
// once); until it is out, the parts' events wait at the gate so that none is
// numbered before it.
class SessionActor::Emitter final : public TurnEmitter {
 public:
  Emitter(SessionActor& actor, const asio::any_io_executor& executor)
      : actor_(actor), gate_(executor, asio::steady_timer::time_point::max()) {}

  void Open(bool ok) {
    opened_ = true;
    open_failed_ = !ok;
    gate_.cancel();
  }

  asio::awaitable<core::Result<void>> Emit(std::vector<NewEvent> events) override {
    if (!opened_) {
      co_await gate_.async_wait(kTuple);
      if (!opened_) co_return core::Fail(core::ErrorCode::kAborted, "the turn was cancelled");
    }
    if (open_failed_) {
      actor_.emit_failed_ = true;
      co_return core::Fail(core::ErrorCode::kUnavailable, "the turn could not start");
    }
    co_return co_await actor_.EmitProvisional(std::move(events));
  }

 private:
  SessionActor& actor_;
  asio::steady_timer gate_;
  bool opened_ = false;
  bool open_failed_ = false;
};

SessionActor::SessionActor(std::string tenant_id, std::string session_id, ActorContext& context)
    : tenant_id_(std::move(tenant_id)), session_id_(std::move(session_id)), ctx_(context) {}

SessionActor::~SessionActor() = default;

SessionActor::Offer SessionActor::Take(ActorJob job, bool first, std::size_t max_queued) {
  std::lock_guard lock(mutex_);
  if (job.kind == ActorJob::Kind::kTurn) {
    if (const auto text = TextOfLocked(job.turn_id)) return *text == job.text ? Offer::kAttached : Offer::kConflict;
    if (jobs_.size() >= max_queued) return Offer::kQueueFull;
  } else if (job.kind == ActorJob::Kind::kEnd) {
    ending_ = true;
    if (cancel_) cancel_();
  }
  if (first) {
    jobs_.push_front(std::move(job));
  } else {
    jobs_.push_back(std::move(job));
  }
  if (draining_) return Offer::kQueued;
  draining_ = true;
  return Offer::kStart;
}

SessionActor::Known SessionActor::Peek(const std::string& turn_id) const {
  std::lock_guard lock(mutex_);
  Known out;
  if (auto text = TextOfLocked(turn_id)) {
    out.here = true;
    out.here_text = std::move(*text);
  }
  if (known_) {
    out.loaded = true;
    out.user_id = known_->user_id;
    out.ended = known_->ended;
    out.committed = known_->committed.contains(turn_id);
  }
  return out;
}

std::optional<std::string> SessionActor::TextOfLocked(const std::string& turn_id) const {
  if (!running_turn_.empty() && running_turn_ == turn_id) return running_text_;
  const auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const ActorJob& j) {
    return j.kind == ActorJob::Kind::kTurn && j.turn_id == turn_id;
  });
  if (it == jobs_.end()) return std::nullopt;
  return it->text;
}

bool SessionActor::Busy() const {
  std::lock_guard lock(mutex_);
  return draining_ || !jobs_.empty();
}

bool SessionActor::Retire(bool crowded) const {
  std::lock_guard lock(mutex_);
  return !draining_ && jobs_.empty() && (state_.ended || !loaded_ || crowded);
}

void SessionActor::RefreshKnownLocked() {
  known_ = Snapshot{.user_id = session_.user_id, .ended = state_.ended, .committed = state_.committed_turns};
}

asio::awaitable<void> SessionActor::Drain() {
  for (;;) {
    bool loads_only = false;
    {
      std::lock_guard lock(mutex_);
      if (jobs_.empty()) {
        draining_ = false;
        co_return;
      }
      loads_only =
          std::all_of(jobs_.begin(), jobs_.end(), [](const ActorJob& j) { return j.kind == ActorJob::Kind::kLoad; });
    }
    // A recovery load never waits: a live holder is running the session, so nothing was lost.
    const auto wait = loads_only ? std::chrono::milliseconds(0) : ctx_.lease_wait;
    auto lease = co_await ctx_.leases.Acquire(session_id_, wait);
    if (!lease) {
      const bool held_elsewhere = lease.error().code == core::ErrorCode::kResourceExhausted;
      if (loads_only && held_elsewhere) {
        SettleQueued(core::Ok());
        continue;
      }
      if (lease.error().code != core::ErrorCode::kUnavailable || !loaded_) {
        // Another instance keeps the session, or the lease service is down and
        // this process never served it: it cannot be taken over now.
        ctx_.logger.Warn("session_lease_refused", {{"session_id", session_id_}, {"error", lease.error().message}});
        SettleQueued(core::Fail(lease.error()));
        continue;
      }
      // The lease service is down but this process served the session last:
      // it goes on from its own state; the store's fences stop it if another wrote since.
      ctx_.logger.Warn("session_lease_unavailable", {{"session_id", session_id_}, {"error", lease.error().message}});
      co_await RunJobs();
      continue;
    }
    if (!lease->continued) loaded_ = false;  // another instance wrote the session since: read it again
    lease_lost_ = false;
    auto jobs = RunJobs();
    auto keep = KeepLease(*lease);
    co_await (std::move(jobs) || std::move(keep));
    if (!lease_lost_) {
      if (auto released = co_await ctx_.leases.Release(session_id_, *lease); !released) {
        ctx_.logger.Warn("session_lease_release_failed",
                         {{"session_id", session_id_}, {"error", released.error().message}});
      }
    }
  }
}

void SessionActor::SettleQueued(const core::Result<void>& outcome) {
  // A successful outcome settles loads only; a job queued since is run next.
  std::deque<ActorJob> settled;
  {
    std::lock_guard lock(mutex_);
    for (auto& job : jobs_) {
      if (!outcome || job.kind == ActorJob::Kind::kLoad) settled.push_back(std::move(job));
    }
    std::erase_if(jobs_, [&](const ActorJob& job) { return !outcome || job.kind == ActorJob::Kind::kLoad; });
  }
  for (auto& job : settled) {
    if (job.ready) LoadCompletion::Set(job.ready, outcome);
    if (outcome) continue;
    Refuse(job, outcome.error());
    if (job.done) EndCompletion::Set(job.done, core::Fail(outcome.error()));
  }
}

asio::awaitable<void> SessionActor::KeepLease(Lease lease) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(lease_lost_ ? std::chrono::hours(24) : ctx_.leases.RenewInterval());
    if (auto [ec] = co_await timer.async_wait(kTuple); ec) co_return;  // the jobs are done
    if (lease_lost_) continue;
    auto renewed = co_await ctx_.leases.Renew(session_id_, lease);
    if (!renewed) {
      // Unreachable, not lost: keep going; the store's fences guard the writes.
      ctx_.logger.Warn("session_lease_renew_failed", {{"session_id", session_id_}, {"error", renewed.error().message}});
      continue;
    }
    if (*renewed) continue;
    // Another instance took the session over: stop the running turn; its
    // commit is fenced in the store, and the next job reads the session again.
    ctx_.logger.Warn("session_lease_lost", {{"session_id", session_id_}});
    lease_lost_ = true;
    std::lock_guard lock(mutex_);
    if (cancel_) cancel_();
  }
}

asio::awaitable<void> SessionActor::RunJobs() {
  for (;;) {
    ActorJob job;
    {
      std::lock_guard lock(mutex_);
      if (jobs_.empty() || lease_lost_) co_return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      if (job.kind == ActorJob::Kind::kTurn) {
        running_turn_ = job.turn_id;
        running_text_ = job.text;
      }
    }
    bool crashed = false;
    try {
      auto loaded = loaded_ ? core::Result<void>() : co_await Load();
      if (job.ready) LoadCompletion::Set(job.ready, loaded);
      if (!loaded) {
        ctx_.logger.Error("session_load_failed", {{"session_id", session_id_}, {"error", loaded.error().message}});
        Refuse(job, loaded.error());
        if (job.done) EndCompletion::Set(job.done, core::Fail(loaded.error()));
      } else if (job.kind == ActorJob::Kind::kTurn) {
        co_await RunTurn(job);
      } else if (job.kind == ActorJob::Kind::kEnd) {
        co_await RunEnd(job);
      }  // kLoad: loading was the job
    } catch (const std::exception& e) {
      // A bug, not an input: forget the in-memory state; the next job reloads
      // it from the store (and recovers the reservation).
      ctx_.logger.Error("turn_crashed", {{"session_id", session_id_}, {"error", e.what()}});
      crashed = true;
      loaded_ = false;
      const core::Error failed{core::ErrorCode::kInternal, "the session could not be processed"};
      if (job.done) EndCompletion::Set(job.done, core::Fail(failed));
      if (job.ready) LoadCompletion::Set(job.ready, core::Fail(failed));
    }
    if (crashed || !provisional_.empty()) {
      provisional_.clear();
      if (auto cleared = co_await ctx_.live.Clear(session_id_); !cleared) {
        ctx_.logger.Warn("live_buffer_clear_failed", {{"session_id", session_id_}, {"error", cleared.error().message}});
      }
    }
    if (lease_lost_) loaded_ = false;
    std::lock_guard lock(mutex_);
    running_turn_.clear();
    running_text_.clear();
    cancel_ = nullptr;
  }
}

asio::awaitable<core::Result<void>> SessionActor::Load() {
  auto session = co_await ctx_.sessions.Get(tenant_id_, session_id_);
  if (!session) co_return core::Fail(session.error());
  auto scenario = co_await ctx_.catalog.Scenario(tenant_id_, session->scenario_id);
  if (!scenario) co_return core::Fail(scenario.error());
  auto persona = co_await ctx_.catalog.Persona(tenant_id_, session->persona_id);
  if (!persona) co_return core::Fail(persona.error());
  auto course = co_await ctx_.catalog.Course(tenant_id_, session->course_id);
  // A course record that is gone still leaves the course's own collection to read.
  if (!course && course.error().code != core::ErrorCode::kNotFound) co_return core::Fail(course.error());
  auto events = co_await ctx_.sessions.EventsAfter(session_id_, 0, kAllEvents);
  if (!events) co_return core::Fail(events.error());
  session_ = std::move(*session);
  scenario_ = std::move(*scenario);
  persona_ = std::move(*persona);
  collections_ = course ? catalog::CourseCollections(*course) : std::vector<std::string>{session_.course_id};
  state_ = FoldEvents(*events);
  next_seq_ = session_.last_seq + 1;
  reserved_ = session_.last_seq;
  loaded_ = true;
  {
    std::lock_guard lock(mutex_);
    RefreshKnownLocked();
  }
  if (session_.reserved_seq > session_.last_seq && session_.status == SessionStatus::kActive) {
    // A turn was running when the process stopped: its provisional events are
    // lost. Record their seqs (empty deltas) and the abort, so none is reused.
    const std::string turn_id = session_.running_turn_id.empty() ? "unknown" : session_.running_turn_id;
    std::vector<NewEvent> lost;
    for (std::int64_t seq = session_.last_seq + 1; seq <= session_.reserved_seq; ++seq) {
      lost.push_back(NewEvent{.turn_id = turn_id, .body = NpcDelta{}});
    }
    lost.push_back(NewEvent{.turn_id = turn_id, .body = TurnAborted{.reason = "interrupted"}});
    auto committed = co_await Commit(Number(std::move(lost)), 0, false);
    if (!committed) {
      loaded_ = false;
      co_return core::Fail(committed.error());
    }
    ctx_.logger.Warn("turn_recovered", {{"session_id", session_id_}, {"turn_id", turn_id}});
  }
  co_return core::Ok();
}

std::vector<Event> SessionActor::Number(std::vector<NewEvent> events) {
  std::vector<Event> out;
  out.reserve(events.size());
  for (auto& e : events) {
    out.push_back(
        Event{.seq = next_seq_++, .turn_id = std::move(e.turn_id), .body = std::move(e.body), .created_at = {}});
  }
  return out;
}

asio::awaitable<core::Result<void>> SessionActor::EmitProvisional(std::vector<NewEvent> events) {
  // One call at a time from numbering to publishing, so events reach the
  // buffer and the hub in seq order even when those wait on a remote server.
  if (emitting_) {
    auto waiter =
        std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    emit_waiters_.push_back(waiter);
    co_await waiter->async_wait(kTuple);
    const auto it = std::find(emit_waiters_.begin(), emit_waiters_.end(), waiter);
    if (it != emit_waiters_.end()) {  // still queued: not handed the turn but cancelled
      emit_waiters_.erase(it);
      co_return core::Fail(core::ErrorCode::kAborted, "the turn was cancelled");
    }
  }
  emitting_ = true;
  auto release = [this] {
    if (emit_waiters_.empty()) {
      emitting_ = false;
      return;
    }
    auto next = std::move(emit_waiters_.front());  // handed over: emitting_ stays set
    emit_waiters_.pop_front();
    next->cancel();
  };
  const auto needed = next_seq_ + static_cast<std::int64_t>(events.size()) - 1;
  while (needed > reserved_) {
    const std::int64_t target = needed + ctx_.seq_reservation;
    auto reserved = co_await ctx_.sessions.Reserve(session_id_, events.front().turn_id, state_.last_seq, target);
    if (!reserved) {
      emit_failed_ = true;
      release();
      co_return core::Fail(reserved.error());
    }
    reserved_ = std::max(reserved_, target);
  }
  auto numbered = Number(std::move(events));
  provisional_.insert(provisional_.end(), numbered.begin(), numbered.end());
  auto buffered = co_await ctx_.live.Append(session_id_, numbered);
  if (!buffered) {
    emit_failed_ = true;
    release();
    co_return core::Fail(buffered.error());
  }
  auto published = co_await ctx_.hub.Publish(session_id_, std::move(numbered));
  if (!published) {
    // The events are buffered and will be stored: a client that missed them gets them when it joins again.
    ctx_.logger.Warn("publish_failed", {{"session_id", session_id_}, {"error", published.error().message}});
  }
  release();
  co_return core::Ok();
}

asio::awaitable<core::Result<std::vector<Event>>> SessionActor::Commit(std::vector<Event> events, std::int64_t turns,
                                                                       bool ends) {
  SessionStore::Commit commit{
      .expected_last_seq = state_.last_seq, .events = std::move(events), .turns = turns, .ends = ends};
  auto committed = co_await ctx_.sessions.Append(session_id_, std::move(commit));
  if (!committed) co_return core::Fail(committed.error());
  for (const auto& event : *committed) state_.Apply(event);
  {
    std::lock_guard lock(mutex_);
    RefreshKnownLocked();
  }
  session_.last_seq = state_.last_seq;
  session_.turn_count += turns;
  reserved_ = state_.last_seq;
  if (ends) {
    session_.status = SessionStatus::kEnded;
    session_.ended_at = committed->back().created_at;
  }
  co_return committed;
}

asio::awaitable<void> SessionActor::Abort(const std::string& turn_id, std::string reason) {
  std::vector<Event> events = provisional_;
  // Provisional events never published (a failed reservation) keep no seq.
  next_seq_ = events.empty() ? state_.last_seq + 1 : events.back().seq + 1;
  std::vector<NewEvent> aborted;
  aborted.push_back(NewEvent{.turn_id = turn_id, .body = TurnAborted{.reason = reason}});
  auto tail = Number(std::move(aborted));
  events.insert(events.end(), tail.begin(), tail.end());
  ctx_.turns.With({"aborted"}).Inc();
  auto committed = co_await Commit(std::move(events), 0, false);
  if (!committed) {
    // The store is failing: forget the state; the reservation makes the next
    // load record the lost seqs.
    ctx_.logger.Error("turn_abort_failed", {{"session_id", session_id_}, {"error", committed.error().message}});
    loaded_ = false;
    co_return;
  }
  if (auto published = co_await ctx_.hub.Publish(session_id_, std::move(tail)); !published) {
    ctx_.logger.Warn("publish_failed", {{"session_id", session_id_}, {"error", published.error().message}});
  }
  ctx_.logger.Info("turn_aborted", {{"session_id", session_id_}, {"turn_id", turn_id}, {"reason", reason}});
}

asio::awaitable<void> SessionActor::RunTurn(ActorJob& job) {
  if (state_.ended) {
    Refuse(job, core::Error{core::ErrorCode::kFailedPrecondition, "the session has ended"});
    co_return;
  }
  if (state_.committed_turns.contains(job.turn_id)) co_return;  // answered while it waited
  const auto started = std::chrono::steady_clock::now();
  const auto executor = co_await asio::this_coro::executor;
  auto stop = std::make_shared<asio::steady_timer>(executor, ctx_.turn_deadline);
  {
    std::lock_guard lock(mutex_);
    if (ending_) {
      Refuse(job, core::Error{core::ErrorCode::kFailedPrecondition, "the session is ending"});
      co_return;
    }
    cancel_ = [stop] { asio::post(stop->get_executor(), [stop] { stop->cancel(); }); };
  }
  emit_failed_ = false;
  provisional_.clear();

  TurnPlan plan = ctx_.pipeline.Begin(session_, scenario_, persona_, state_, job.turn_id, job.text);
  plan.context.collections = collections_;
  Emitter emitter(*this, executor);
  auto open = [this, &plan, &emitter]() -> asio::awaitable<core::Result<void>> {
    std::vector<NewEvent> opening;
    opening.push_back(NewEvent{.turn_id = plan.context.turn_id, .body = plan.started});
    auto emitted = co_await EmitProvisional(std::move(opening));
    emitter.Open(emitted.has_value());
    co_return emitted;
  };
  auto open_task = open();
  auto parts_task = ctx_.pipeline.Run(plan, emitter, started);
  auto both = std::move(open_task) && std::move(parts_task);
  auto stopped = stop->async_wait(kTuple);
  auto race = std::move(both) || std::move(stopped);
  auto outcome = co_await std::move(race);
  bool ending = false;
  {
    std::lock_guard lock(mutex_);
    cancel_ = nullptr;
    ending = ending_;
  }
  if (outcome.index() == 1) {
    co_await Abort(job.turn_id, lease_lost_ ? "taken_over" : ending ? "session_ended" : "deadline");
    co_return;
  }
  auto& [opened, parts] = std::get<0>(outcome);
  if (!opened) {
    // Nothing of the turn went out: it is refused, as if it had never started.
    // A fenced reservation means another instance wrote the session: read it again.
    if (opened.error().code == core::ErrorCode::kAborted) loaded_ = false;
    Refuse(job, opened.error());
    co_return;
  }
  ctx_.pipeline.CountFailures(parts, emit_failed_);
  if (!parts.reply || emit_failed_) {
    ctx_.logger.Warn("turn_failed",
                     {{"session_id", session_id_},
                      {"turn_id", job.turn_id},
                      {"error", parts.reply ? "event reservation failed" : parts.reply.error().message}});
    co_await Abort(job.turn_id, parts.reply ? "store_unavailable" : "npc_failed");
    co_return;
  }

  // The committed part of the turn, numbered after its provisional events.
  auto conclusion = TurnPipeline::Conclude(plan, parts, state_);
  std::vector<Event> events = provisional_;
  auto numbered = Number(std::move(conclusion.events));
  auto stored = co_await JudgeSoFar(events, numbered);
  std::string end_reason = std::move(conclusion.end_reason);
  if (!end_reason.empty()) {
    std::vector<Event> turn_events = events;
    turn_events.insert(turn_events.end(), numbered.begin(), numbered.end());
    auto closing = co_await Closing(std::move(turn_events), end_reason, std::move(stored));
    if (closing) {
      numbered.insert(numbered.end(), closing->begin(), closing->end());
    } else {
      end_reason.clear();  // the turn still commits; the session goes on
    }
  }
  events.insert(events.end(), numbered.begin(), numbered.end());
  auto committed = co_await Commit(std::move(events), 1, !end_reason.empty());
  if (!committed) {
    ctx_.logger.Error("turn_commit_failed",
                      {{"session_id", session_id_}, {"turn_id", job.turn_id}, {"error", committed.error().message}});
    co_await Abort(job.turn_id, "store_unavailable");
    co_return;
  }
  provisional_.clear();
  if (auto cleared = co_await ctx_.live.Clear(session_id_); !cleared) {
    ctx_.logger.Warn("live_buffer_clear_failed", {{"session_id", session_id_}, {"error", cleared.error().message}});
  }
  if (auto published = co_await ctx_.hub.Publish(session_id_, std::move(numbered)); !published) {
    ctx_.logger.Warn("publish_failed", {{"session_id", session_id_}, {"error", published.error().message}});
  }
  ctx_.turn_duration.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  ctx_.turns.With({"committed"}).Inc();
}

asio::awaitable<std::optional<std::vector<Event>>> SessionActor::JudgeSoFar(const std::vector<Event>& provisional,
                                                                            std::vector<Event>& numbered) {
  auto stored = co_await ctx_.sessions.EventsAfter(session_id_, 0, kAllEvents);
  if (!stored) {
    ctx_.logger.Warn("checklist_failed", {{"session_id", session_id_}, {"error", stored.error().message}});
    co_return std::nullopt;
  }
  std::vector<Event> log = *stored;
  log.insert(log.end(), provisional.begin(), provisional.end());
  log.insert(log.end(), numbered.begin(), numbered.end());
  const Scorecard card = ScoreSession(catalog::RubricOf(scenario_), log, session_.language);
  for (auto& event : numbered) {
    if (auto* scored = std::get_if<TurnScored>(&event.body)) {
      scored->criteria.reserve(card.criteria.size());
      for (const auto& c : card.criteria) scored->criteria.push_back({.id = c.id, .result = c.result});
    }
  }
  co_return std::move(*stored);
}

asio::awaitable<core::Result<std::vector<Event>>> SessionActor::Closing(std::vector<Event> pending, std::string reason,
                                                                        std::optional<std::vector<Event>> stored) {
  core::Result<std::vector<Event>> log = stored ? std::move(*stored) : std::vector<Event>{};
  if (!stored) log = co_await ctx_.sessions.EventsAfter(session_id_, 0, kAllEvents);
  if (!log) co_return core::Fail(log.error());
  log->insert(log->end(), pending.begin(), pending.end());
  std::vector<NewEvent> closing;
  closing.push_back(NewEvent{.turn_id = {}, .body = SessionEnded{.reason = reason}});
  auto numbered = Number(std::move(closing));
  log->push_back(numbered.front());
  const Scorecard card = ScoreSession(catalog::RubricOf(scenario_), *log, session_.language);
  json::object report = BuildReport(session_, *log, card);
  json::value recommendation = nullptr;
  if (auto scenarios = co_await ctx_.catalog.Scenarios(tenant_id_, session_.course_id); scenarios) {
    recommendation = RecommendNext(*scenarios, session_.scenario_id, session_.language, card);
  }
  report["recommended_next_scenario"] = std::move(recommendation);
  std::vector<NewEvent> ready;
  ready.push_back(NewEvent{.turn_id = {}, .body = ReportReady{.report = std::move(report)}});
  auto tail = Number(std::move(ready));
  numbered.insert(numbered.end(), tail.begin(), tail.end());
  co_return numbered;
}

asio::awaitable<void> SessionActor::RunEnd(ActorJob& job) {
  std::vector<ActorJob> refused;
  {
    std::lock_guard lock(mutex_);
    for (auto& queued : jobs_) {
      if (queued.kind == ActorJob::Kind::kTurn) refused.push_back(std::move(queued));
    }
    std::erase_if(jobs_, [](const ActorJob& queued) { return queued.kind == ActorJob::Kind::kTurn; });
    ending_ = std::any_of(jobs_.begin(), jobs_.end(), [](const ActorJob& j) { return j.kind == ActorJob::Kind::kEnd; });
  }
  for (auto& turn : refused) Refuse(turn, core::Error{core::ErrorCode::kFailedPrecondition, "the session has ended"});
  if (state_.ended) {
    EndCompletion::Set(job.done, core::Fail(core::ErrorCode::kFailedPrecondition, "the session has already ended"));
    co_return;
  }
  std::vector<Event> nothing_pending;  // named: no braced temporary inside co_await (g++ 12)
  std::optional<std::vector<Event>> not_read;
  auto closing = co_await Closing(std::move(nothing_pending), job.reason, std::move(not_read));
  if (!closing) {
    EndCompletion::Set(job.done, core::Fail(closing.error()));
    co_return;
  }
  auto committed = co_await Commit(std::move(*closing), 0, true);
  if (!committed) {
    next_seq_ = state_.last_seq + 1;
    EndCompletion::Set(job.done, core::Fail(committed.error()));
    co_return;
  }
  if (auto published = co_await ctx_.hub.Publish(session_id_, *committed); !published) {
    ctx_.logger.Warn("publish_failed", {{"session_id", session_id_}, {"error", published.error().message}});
  }
  EndCompletion::Set(job.done, EndedSession{.session = session_, .events = std::move(*committed)});
}

}  // namespace salesboost::conversation
