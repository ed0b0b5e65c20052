#include "conversation/turn_coordinator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <deque>
#include <optional>

#include "conversation/conversation_state.hpp"
#include "conversation/report.hpp"
#include "core/utf8.hpp"

namespace salesboost::conversation {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;
using std::chrono::milliseconds;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::int64_t kAllEvents = 1'000'000;
constexpr std::size_t kMaxTurnIdBytes = 64;

// Resolves when `part` does or when `limit` passes, whichever is first.
template <typename T>
asio::awaitable<core::Result<T>> WithDeadline(asio::awaitable<core::Result<T>> part, milliseconds limit,
                                              std::string_view what) {
  asio::steady_timer timer(co_await asio::this_coro::executor, limit);
  auto wait = timer.async_wait(kTuple);
  auto race = std::move(part) || std::move(wait);
  auto winner = co_await std::move(race);
  if (winner.index() == 0) co_return std::move(std::get<0>(winner));
  co_return core::Fail(core::ErrorCode::kDeadlineExceeded,
                       fmt::format("{} took longer than {} ms", what, limit.count()));
}

// Wakes one awaiting coroutine with a value set from any thread.
template <typename T>
class Completion {
 public:
  explicit Completion(const asio::any_io_executor& executor)
      : timer_(executor, asio::steady_timer::time_point::max()) {}

  static void Set(const std::shared_ptr<Completion>& self, T value) {
    asio::post(self->timer_.get_executor(), [self, value = std::move(value)]() mutable {
      self->value_ = std::move(value);
      self->timer_.cancel();
    });
  }

  asio::awaitable<T> Wait() {
    while (!value_) co_await timer_.async_wait(kTuple);
    co_return std::move(*value_);
  }

 private:
  asio::steady_timer timer_;
  std::optional<T> value_;  // touched only on the timer's executor
};

using EndCompletion = Completion<core::Result<EndedSession>>;
using LoadCompletion = Completion<core::Result<void>>;

json::array Ids(const std::vector<std::string>& ids) { return json::array(ids.begin(), ids.end()); }

json::object ComplianceJson(const ComplianceReport& report) {
  json::array findings;
  for (const auto& f : report.findings) {
    findings.push_back(json::object{{"rule", f.rule}, {"level", f.level}, {"excerpt", f.excerpt}});
  }
  return json::object{{"level", report.level}, {"findings", std::move(findings)}};
}

// The compliance dimension follows the compliance check, not the evaluator.
double ComplianceScore(const ComplianceReport& report) {
  double score = 10;
  for (const auto& f : report.findings) score -= f.level == "BLOCK" ? 6 : 3;
  return std::max(0.0, score);
}

std::string_view EndReason(TurnOutcome outcome) {
  switch (outcome) {
    case TurnOutcome::kWon:
      return "won";
    case TurnOutcome::kLost:
      return "lost";
    case TurnOutcome::kContinue:
      break;
  }
  return "";
}

// One part's own result: {ok: true} or {ok: false, code, message}.
template <typename T>
json::object PartResult(const core::Result<T>& result) {
  if (result) return json::object{{"ok", true}};
  return json::object{
      {"ok", false}, {"code", core::ErrorCodeName(result.error().code)}, {"message", result.error().message}};
}

}  // namespace

struct TurnCoordinator::Job {
  enum class Kind { kTurn, kEnd, kLoad };
  Kind kind = Kind::kTurn;
  std::string turn_id;
  std::string text;
  std::function<void(const core::Error&)> on_refused;
  std::string reason;                     // kEnd
  std::shared_ptr<EndCompletion> done;    // kEnd
  std::shared_ptr<LoadCompletion> ready;  // kLoad
};

struct TurnCoordinator::Actor {
  Actor(std::string tenant, std::string id) : tenant_id(std::move(tenant)), session_id(std::move(id)) {}
  const std::string tenant_id;
  const std::string session_id;

  mutable std::mutex mutex;
  std::deque<Job> jobs;      // guarded by mutex
  bool draining = false;     // guarded by mutex: a Drain coroutine owns the actor
  std::string running_turn;  // guarded by mutex

  // The turn runs or waits here. Call with `mutex` held.
  bool HasTurnLocked(const std::string& turn_id) const {
    return running_turn == turn_id ||
           std::any_of(jobs.begin(), jobs.end(), [&](const Job& queued) { return queued.turn_id == turn_id; });
  }
  // What Submit may check without the store once the session is loaded:
  // guarded by mutex, refreshed after the load and every commit.
  struct Known {
    std::string user_id;
    bool ended = false;
    std::set<std::string> committed;  // turn ids answered
  };
  std::optional<Known> known;
  void RefreshKnownLocked() {
    known = Known{.user_id = session.user_id, .ended = state.ended, .committed = state.committed_turns};
  }

  std::vector<Event> live;       // guarded by mutex: provisional events of the running turn
  std::function<void()> cancel;  // guarded by mutex: stops the running turn
  bool ending = false;           // guarded by mutex: an end job is queued

  // Touched only by the Drain coroutine.
  bool loaded = false;
  Session session;
  json::object scenario;
  json::object persona;
  ConversationState state;
  std::int64_t next_seq = 0;  // the next seq to hand out
  std::int64_t reserved = 0;  // seqs up to here are reserved in the store
  bool emit_failed = false;   // a provisional event could not be reserved
  // While the turn's turn.started waits for its seqs to be reserved, the
  // parts already run; their events wait on this timer (cancelled when
  // turn.started is out) so none is numbered before it.
  std::shared_ptr<asio::steady_timer> opening;
  bool opening_failed = false;
};

struct TurnCoordinator::Metrics {
  explicit Metrics(core::MetricsRegistry& registry)
      : duration(registry
                     .AddHistogram("salesboost_turn_duration_seconds",
                                   "Time from taking a turn off the queue to its commit", {},
                                   core::DefaultLatencyBuckets())
                     .Get()),
        first_delta(registry
                        .AddHistogram("salesboost_npc_first_delta_seconds",
                                      "Time from taking a turn off the queue to the customer's first streamed text", {},
                                      core::DefaultLatencyBuckets())
                        .Get()),
        turns(registry.AddCounter("salesboost_turns_total", "Turns by outcome", {"outcome"})),
        part_failures(registry.AddCounter("salesboost_turn_part_failures_total",
                                          "Turn parts that failed or missed their deadline", {"part"})) {}
  core::Histogram& duration;
  core::Histogram& first_delta;
  core::Family<core::Counter>& turns;
  core::Family<core::Counter>& part_failures;
};

// Streams the NPC's reply as provisional npc.delta events.
class TurnCoordinator::StreamSink final : public DeltaSink {
 public:
  StreamSink(TurnCoordinator& coordinator, Actor& actor, std::string turn_id,
             std::chrono::steady_clock::time_point started)
      : coordinator_(coordinator), actor_(actor), turn_id_(std::move(turn_id)), started_(started) {}

  asio::awaitable<void> Delta(std::string text) override {
    if (text.empty()) co_return;
    if (!first_delta_) {
      first_delta_ = true;
      coordinator_.metrics_->first_delta.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    }
    std::vector<NewEvent> events;
    events.push_back(NewEvent{.type = "npc.delta", .turn_id = turn_id_, .payload = json::object{{"text", text}}});
    co_await coordinator_.Emit(actor_, std::move(events));
  }

  asio::awaitable<void> Reset(std::string reason) override {
    std::vector<NewEvent> events;
    events.push_back(NewEvent{.type = "npc.reset", .turn_id = turn_id_, .payload = json::object{{"reason", reason}}});
    co_await coordinator_.Emit(actor_, std::move(events));
  }

 private:
  TurnCoordinator& coordinator_;
  Actor& actor_;
  std::string turn_id_;
  std::chrono::steady_clock::time_point started_;
  bool first_delta_ = false;
};

TurnCoordinator::TurnCoordinator(CoordinatorOptions options, CoordinatorDeps deps)
    : options_(options), deps_(std::move(deps)), metrics_(std::make_unique<Metrics>(deps_.metrics)) {}

TurnCoordinator::~TurnCoordinator() = default;

std::shared_ptr<TurnCoordinator::Actor> TurnCoordinator::Enqueue(const std::string& tenant_id,
                                                                 const std::string& session_id, Job job, bool first,
                                                                 const asio::any_io_executor& executor,
                                                                 TurnAdmission::Status* status) {
  std::shared_ptr<Actor> actor;
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    auto& slot = actors_[session_id];
    if (!slot) slot = std::make_shared<Actor>(tenant_id, session_id);
    actor = slot;
    std::lock_guard actor_lock(actor->mutex);
    if (job.kind == Job::Kind::kTurn) {
      if (actor->HasTurnLocked(job.turn_id)) {
        *status = TurnAdmission::Status::kAttached;
        return actor;
      }
      if (actor->jobs.size() >= options_.max_queued_turns) {
        *status = TurnAdmission::Status::kQueueFull;
        return actor;
      }
    } else if (job.kind == Job::Kind::kEnd) {
      actor->ending = true;
      if (actor->cancel) actor->cancel();
    }
    if (first) {
      actor->jobs.push_front(std::move(job));
    } else {
      actor->jobs.push_back(std::move(job));
    }
    *status = TurnAdmission::Status::kAccepted;
    if (!actor->draining) start = actor->draining = true;
  }
  if (start) asio::co_spawn(executor, Drain(actor), asio::detached);
  return actor;
}

asio::awaitable<core::Result<TurnAdmission>> TurnCoordinator::Submit(identity::Principal who, TurnRequest request) {
  if (request.turn_id.empty() || request.turn_id.size() > kMaxTurnIdBytes) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument,
                         fmt::format("turn_id must be 1 to {} bytes", kMaxTurnIdBytes));
  }
  if (!core::IsValidUtf8(request.text)) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument, "text is not valid UTF-8");
  }
  const std::size_t chars = core::CountCodePoints(request.text);
  if (chars == 0 || chars > options_.max_text_chars) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument,
                         fmt::format("text must be 1 to {} characters (got {})", options_.max_text_chars, chars));
  }
  // A loaded session of this trainee answers from memory; anything else asks the store.
  bool known_new_turn = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = actors_.find(request.session_id); it != actors_.end()) {
      const auto& actor = *it->second;
      std::lock_guard actor_lock(actor.mutex);
      // Running or queued here: the same turn, nothing to do.
      if (actor.HasTurnLocked(request.turn_id)) {
        co_return TurnAdmission{.status = TurnAdmission::Status::kAttached, .replay = {}, .retry_after = {}};
      }
      if (actor.known && actor.tenant_id == who.tenant_id && actor.known->user_id == who.user_id) {
        if (actor.known->ended) {
          co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has ended");
        }
        known_new_turn = !actor.known->committed.contains(request.turn_id);
      }
    }
  }
  if (!known_new_turn) {
    auto session = co_await deps_.service.Get(who, request.session_id);
    if (!session) co_return core::Fail(session.error());
    if (session->user_id != who.user_id) {
      co_return core::Fail(core::ErrorCode::kPermissionDenied, "only the session's trainee can take turns");
    }
    if (session->status == SessionStatus::kEnded) {
      co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has ended");
    }
  }
  core::Result<TurnRecord> record = TurnRecord{};
  if (!known_new_turn) record = co_await deps_.ledger.Find(request.session_id, request.turn_id);
  if (!record) co_return core::Fail(record.error());
  if (record->state == TurnRecord::State::kCommitted) {
    const std::int64_t count = record->last_seq - record->first_seq + 1;
    auto events = co_await deps_.sessions.EventsAfter(request.session_id, record->first_seq - 1, count);
    if (!events) co_return core::Fail(events.error());
    std::erase_if(*events, [&](const Event& e) { return e.seq > record->last_seq; });
    co_return TurnAdmission{
        .status = TurnAdmission::Status::kReplayed, .replay = std::move(*events), .retry_after = {}};
  }
  const auto decision = deps_.turn_limiter.Acquire(who.user_id);
  if (!decision.allowed) {
    co_return TurnAdmission{
        .status = TurnAdmission::Status::kRateLimited, .replay = {}, .retry_after = decision.retry_after};
  }
  Job job{.kind = Job::Kind::kTurn,
          .turn_id = request.turn_id,
          .text = std::move(request.text),
          .on_refused = std::move(request.on_refused),
          .reason = {},
          .done = nullptr,
          .ready = nullptr};
  auto status = TurnAdmission::Status::kAccepted;
  const auto executor = co_await asio::this_coro::executor;
  Enqueue(who.tenant_id, request.session_id, std::move(job), /*first=*/false, executor, &status);
  co_return TurnAdmission{.status = status, .replay = {}, .retry_after = {}};
}

asio::awaitable<core::Result<EndedSession>> TurnCoordinator::End(identity::Principal who, std::string session_id,
                                                                 std::string reason) {
  auto session = co_await deps_.service.Get(who, session_id);
  if (!session) co_return core::Fail(session.error());
  if (session->status == SessionStatus::kEnded) {
    co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has already ended");
  }
  const auto executor = co_await asio::this_coro::executor;
  auto done = std::make_shared<EndCompletion>(executor);
  Job job{.kind = Job::Kind::kEnd,
          .turn_id = {},
          .text = {},
          .on_refused = {},
          .reason = std::move(reason),
          .done = done,
          .ready = nullptr};
  auto status = TurnAdmission::Status::kAccepted;
  Enqueue(who.tenant_id, session_id, std::move(job), /*first=*/true, executor, &status);
  co_return co_await done->Wait();
}

asio::awaitable<core::Result<void>> TurnCoordinator::Recover(const Session& session) {
  if (session.status != SessionStatus::kActive || session.reserved_seq <= session.last_seq) co_return core::Ok();
  {
    std::lock_guard lock(mutex_);
    if (actors_.contains(session.id)) co_return core::Ok();  // a turn of this process is running
  }
  const auto executor = co_await asio::this_coro::executor;
  auto ready = std::make_shared<LoadCompletion>(executor);
  Job job{.kind = Job::Kind::kLoad,
          .turn_id = {},
          .text = {},
          .on_refused = {},
          .reason = {},
          .done = nullptr,
          .ready = ready};
  auto status = TurnAdmission::Status::kAccepted;
  Enqueue(session.tenant_id, session.id, std::move(job), /*first=*/true, executor, &status);
  co_return co_await ready->Wait();
}

std::vector<Event> TurnCoordinator::LiveEvents(const std::string& session_id, std::int64_t after_seq) const {
  std::lock_guard lock(mutex_);
  const auto it = actors_.find(session_id);
  if (it == actors_.end()) return {};
  std::lock_guard actor_lock(it->second->mutex);
  std::vector<Event> out;
  for (const auto& event : it->second->live) {
    if (event.seq > after_seq) out.push_back(event);
  }
  return out;
}

asio::awaitable<void> TurnCoordinator::Drain(std::shared_ptr<Actor> actor) {
  for (;;) {
    Job job;
    {
      std::lock_guard lock(mutex_);
      std::lock_guard actor_lock(actor->mutex);
      if (actor->jobs.empty()) {
        actor->draining = false;
        // Ended sessions take no more jobs; idle ones are reloaded on demand.
        if (actor->state.ended || !actor->loaded || actors_.size() > options_.max_idle_sessions) {
          actors_.erase(actor->session_id);
        }
        co_return;
      }
      job = std::move(actor->jobs.front());
      actor->jobs.pop_front();
      if (job.kind == Job::Kind::kTurn) actor->running_turn = job.turn_id;
    }
    try {
      auto loaded = actor->loaded ? core::Result<void>() : co_await Load(*actor);
      if (job.ready) LoadCompletion::Set(job.ready, loaded);
      if (!loaded) {
        deps_.logger.Error("session_load_failed",
                           {{"session_id", actor->session_id}, {"error", loaded.error().message}});
        if (job.on_refused) job.on_refused(loaded.error());
        if (job.done) EndCompletion::Set(job.done, core::Fail(loaded.error()));
      } else if (job.kind == Job::Kind::kLoad) {
        // Loading was the job.
      } else if (job.kind == Job::Kind::kTurn) {
        co_await RunTurn(*actor, job);
      } else {
        co_await RunEnd(*actor, job);
      }
    } catch (const std::exception& e) {
      // A bug, not an input: forget the in-memory state; the next job reloads
      // it from the store (and recovers the reservation).
      deps_.logger.Error("turn_crashed", {{"session_id", actor->session_id}, {"error", e.what()}});
      actor->loaded = false;
      const core::Error failed{core::ErrorCode::kInternal, "the session could not be processed"};
      if (job.done) EndCompletion::Set(job.done, core::Fail(failed));
      if (job.ready) LoadCompletion::Set(job.ready, core::Fail(failed));
    }
    std::lock_guard actor_lock(actor->mutex);
    actor->running_turn.clear();
    actor->live.clear();
    actor->cancel = nullptr;
  }
}

asio::awaitable<core::Result<void>> TurnCoordinator::Load(Actor& a) {
  auto session = co_await deps_.sessions.Get(a.tenant_id, a.session_id);
  if (!session) co_return core::Fail(session.error());
  auto scenario = co_await deps_.catalog.Scenario(a.tenant_id, session->scenario_id);
  if (!scenario) co_return core::Fail(scenario.error());
  auto persona = co_await deps_.catalog.Persona(a.tenant_id, session->persona_id);
  if (!persona) co_return core::Fail(persona.error());
  auto events = co_await deps_.sessions.EventsAfter(a.session_id, 0, kAllEvents);
  if (!events) co_return core::Fail(events.error());
  a.session = std::move(*session);
  a.scenario = std::move(*scenario);
  a.persona = std::move(*persona);
  a.state = FoldEvents(*events);
  a.next_seq = a.session.last_seq + 1;
  a.reserved = a.session.last_seq;
  a.loaded = true;
  {
    std::lock_guard lock(a.mutex);
    a.RefreshKnownLocked();
  }
  if (a.session.reserved_seq > a.session.last_seq && a.session.status == SessionStatus::kActive) {
    // A turn was running when the process stopped: its provisional events are
    // lost. Record their seqs (empty deltas) and the abort, so none is reused.
    const std::string turn_id = a.session.running_turn_id.empty() ? "unknown" : a.session.running_turn_id;
    std::vector<Event> lost;
    for (std::int64_t seq = a.session.last_seq + 1; seq <= a.session.reserved_seq; ++seq) {
      lost.push_back(Event{.seq = seq,
                           .type = "npc.delta",
                           .turn_id = turn_id,
                           .payload = json::object{{"text", ""}},
                           .created_at = {}});
    }
    a.next_seq = a.session.reserved_seq + 1;
    a.reserved = a.session.reserved_seq;
    std::vector<NewEvent> aborted;
    aborted.push_back(
        NewEvent{.type = "turn.aborted", .turn_id = turn_id, .payload = json::object{{"reason", "interrupted"}}});
    auto tail = Number(a, std::move(aborted));
    lost.insert(lost.end(), tail.begin(), tail.end());
    auto committed = co_await Commit(a, std::move(lost), 0, false);
    if (!committed) {
      a.loaded = false;
      co_return core::Fail(committed.error());
    }
    deps_.logger.Warn("turn_recovered", {{"session_id", a.session_id}, {"turn_id", turn_id}});
  }
  co_return core::Ok();
}

std::vector<Event> TurnCoordinator::Number(Actor& a, std::vector<NewEvent> events) {
  std::vector<Event> out;
  out.reserve(events.size());
  for (auto& e : events) {
    out.push_back(Event{.seq = a.next_seq++,
                        .type = std::move(e.type),
                        .turn_id = std::move(e.turn_id),
                        .payload = std::move(e.payload),
                        .created_at = {}});
  }
  return out;
}

asio::awaitable<core::Result<void>> TurnCoordinator::Emit(Actor& a, std::vector<NewEvent> events, bool opening) {
  if (!opening && a.opening) {
    const auto gate = a.opening;
    co_await gate->async_wait(kTuple);
    if (a.opening) co_return core::Fail(core::ErrorCode::kAborted, "the turn was cancelled");
  }
  if (!opening && a.opening_failed) {
    a.emit_failed = true;
    co_return core::Fail(core::ErrorCode::kUnavailable, "the turn could not start");
  }
  const auto needed = a.next_seq + static_cast<std::int64_t>(events.size()) - 1;
  while (needed > a.reserved) {
    const std::int64_t target = needed + options_.seq_reservation;
    auto reserved = co_await deps_.sessions.Reserve(a.session_id, events.front().turn_id, target);
    if (!reserved) {
      a.emit_failed = true;
      co_return core::Fail(reserved.error());
    }
    a.reserved = std::max(a.reserved, target);
  }
  auto numbered = Number(a, std::move(events));
  {
    std::lock_guard lock(a.mutex);
    a.live.insert(a.live.end(), numbered.begin(), numbered.end());
  }
  deps_.hub.Publish(a.session_id, numbered);
  co_return core::Ok();
}

asio::awaitable<core::Result<std::vector<Event>>> TurnCoordinator::Commit(Actor& a, std::vector<Event> events,
                                                                          std::int64_t turns, bool ends) {
  SessionStore::Commit commit{
      .expected_last_seq = a.state.last_seq, .events = std::move(events), .turns = turns, .ends = ends};
  auto committed = co_await deps_.sessions.Append(a.session_id, std::move(commit));
  if (!committed) co_return core::Fail(committed.error());
  for (const auto& event : *committed) a.state.Apply(event);
  {
    std::lock_guard lock(a.mutex);
    a.RefreshKnownLocked();
  }
  a.session.last_seq = a.state.last_seq;
  a.session.turn_count += turns;
  a.reserved = a.state.last_seq;
  if (ends) {
    a.session.status = SessionStatus::kEnded;
    a.session.ended_at = committed->back().created_at;
  }
  co_return committed;
}

asio::awaitable<void> TurnCoordinator::Abort(Actor& a, const std::string& turn_id, std::string reason) {
  std::vector<Event> events;
  {
    std::lock_guard lock(a.mutex);
    events = a.live;
  }
  // Provisional events never published (a failed reservation) keep no seq.
  a.next_seq = events.empty() ? a.state.last_seq + 1 : events.back().seq + 1;
  std::vector<NewEvent> aborted;
  aborted.push_back(NewEvent{.type = "turn.aborted", .turn_id = turn_id, .payload = json::object{{"reason", reason}}});
  auto tail = Number(a, std::move(aborted));
  events.insert(events.end(), tail.begin(), tail.end());
  metrics_->turns.With({"aborted"}).Inc();
  auto committed = co_await Commit(a, std::move(events), 0, false);
  if (!committed) {
    // The store is failing: forget the state; the reservation makes the next
    // load record the lost seqs.
    deps_.logger.Error("turn_abort_failed", {{"session_id", a.session_id}, {"error", committed.error().message}});
    a.loaded = false;
    co_return;
  }
  deps_.hub.Publish(a.session_id, tail);
  deps_.logger.Info("turn_aborted", {{"session_id", a.session_id}, {"turn_id", turn_id}, {"reason", reason}});
}

asio::awaitable<void> TurnCoordinator::RunTurn(Actor& a, Job& job) {
  if (a.state.ended) {
    if (job.on_refused) job.on_refused(core::Error{core::ErrorCode::kFailedPrecondition, "the session has ended"});
    co_return;
  }
  if (a.state.committed_turns.contains(job.turn_id)) co_return;  // answered while it waited
  const auto started = std::chrono::steady_clock::now();
  const auto executor = co_await asio::this_coro::executor;
  auto stop = std::make_shared<asio::steady_timer>(executor, options_.turn_deadline);
  {
    std::lock_guard lock(a.mutex);
    if (a.ending) {
      if (job.on_refused) job.on_refused(core::Error{core::ErrorCode::kFailedPrecondition, "the session is ending"});
      co_return;
    }
    a.cancel = [stop] { asio::post(stop->get_executor(), [stop] { stop->cancel(); }); };
  }
  a.emit_failed = false;

  TurnContext ctx{.session = a.session,
                  .scenario = a.scenario,
                  .persona = a.persona,
                  .stage = a.state.stage,
                  .customer = a.state.customer,
                  .history = a.state.transcript,
                  .turn_id = job.turn_id,
                  .text = job.text,
                  .act = deps_.agents.classifier->Classify(job.text, a.session.language),
                  .turn_index = a.state.turns + 1,
                  .seed = a.state.seed};
  const StageFacts before = FactsOf(ctx.customer);
  const auto after_act = StageAfterAct(ctx.stage, ctx.act.label, before);
  if (after_act) ctx.stage = after_act->to;

  std::vector<NewEvent> opening;
  opening.push_back(NewEvent{
      .type = "turn.started",
      .turn_id = job.turn_id,
      .payload = json::object{{"text", job.text},
                              {"turn_index", ctx.turn_index},
                              {"act", json::object{{"label", ctx.act.label}, {"confidence", ctx.act.confidence}}}}});
  // turn.started is reserved and sent while the parts already start (the
  // customer's provider request goes out at once); their events wait for it.
  a.opening = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  a.opening_failed = false;
  auto open = [this, &a](std::vector<NewEvent> events) -> asio::awaitable<core::Result<void>> {
    auto emitted = co_await Emit(a, std::move(events), /*opening=*/true);
    a.opening_failed = !emitted;
    const auto gate = std::exchange(a.opening, nullptr);
    gate->cancel();
    co_return emitted;
  };

  // The parts, concurrently. Each ends on its own; only the NPC is required.
  StreamSink sink(*this, a, job.turn_id, started);
  auto npc_part = [this, &a, &ctx, &sink]() -> asio::awaitable<core::Result<NpcReply>> {
    auto reply = co_await WithDeadline(deps_.agents.npc->Reply(ctx, sink), options_.part_deadline, "the customer");
    // An engine that does not know what its reply means leaves it to the customer-intent classifier.
    if (reply && reply->intent.empty()) reply->intent = deps_.agents.intents->Classify(reply->text).label;
    if (reply) {
      std::vector<NewEvent> done;
      done.push_back(NewEvent{.type = "npc.done",
                              .turn_id = ctx.turn_id,
                              .payload = json::object{{"text", reply->text},
                                                      {"intent", reply->intent},
                                                      {"revealed", Ids(reply->revealed)},
                                                      {"raised", Ids(reply->raised)},
                                                      {"resolved", Ids(reply->resolved)},
                                                      {"buying_signal", reply->buying_signal},
                                                      {"engine", reply->engine}}});
      if (auto emitted = co_await Emit(a, std::move(done)); !emitted) co_return core::Fail(emitted.error());
    }
    co_return reply;
  };
  auto coach_part = [this, &a, &ctx]() -> asio::awaitable<core::Result<CoachTip>> {
    auto tip = co_await WithDeadline(deps_.agents.coach->Advise(ctx), options_.part_deadline, "the coach");
    if (tip) {
      std::vector<NewEvent> event;
      event.push_back(NewEvent{.type = "coach.tip",
                               .turn_id = ctx.turn_id,
                               .payload = json::object{{"tip_type", tip->type},
                                                       {"technique", tip->technique},
                                                       {"text", tip->text},
                                                       {"example", tip->example},
                                                       {"evidence", tip->evidence}}});
      if (auto emitted = co_await Emit(a, std::move(event)); !emitted) co_return core::Fail(emitted.error());
    }
    co_return tip;
  };
  auto opening_task = open(std::move(opening));
  auto npc_task = npc_part();
  auto coach_task = coach_part();
  auto compliance_task =
      WithDeadline(deps_.agents.compliance->Check(ctx.text, a.session.language), options_.part_deadline, "compliance");
  auto evaluation_task = WithDeadline(deps_.agents.evaluator->Score(ctx), options_.part_deadline, "the evaluator");
  auto parts = std::move(opening_task) && std::move(npc_task) && std::move(coach_task) && std::move(compliance_task) &&
               std::move(evaluation_task);
  auto stopped = stop->async_wait(kTuple);
  auto race = std::move(parts) || std::move(stopped);
  auto outcome = co_await std::move(race);
  {
    std::lock_guard lock(a.mutex);
    a.cancel = nullptr;
  }
  a.opening = nullptr;
  if (outcome.index() == 1) {
    bool ending = false;
    {
      std::lock_guard lock(a.mutex);
      ending = a.ending;
    }
    co_await Abort(a, job.turn_id, ending ? "session_ended" : "deadline");
    co_return;
  }
  auto& [opened, reply, tip, compliance, scores] = std::get<0>(outcome);
  if (!opened) {
    // Nothing of the turn went out: it is refused, as if it had never started.
    if (job.on_refused) job.on_refused(opened.error());
    std::lock_guard lock(a.mutex);
    a.live.clear();
    co_return;
  }
  if (!tip) metrics_->part_failures.With({"coach"}).Inc();
  if (!compliance) metrics_->part_failures.With({"compliance"}).Inc();
  if (!scores) metrics_->part_failures.With({"evaluator"}).Inc();
  if (!reply || a.emit_failed) {
    metrics_->part_failures.With({"npc"}).Inc();
    deps_.logger.Warn("turn_failed", {{"session_id", a.session_id},
                                      {"turn_id", job.turn_id},
                                      {"error", reply ? "event reservation failed" : reply.error().message}});
    co_await Abort(a, job.turn_id, reply ? "store_unavailable" : "npc_failed");
    co_return;
  }

  // The committed part of the turn.
  CustomerState customer = ctx.customer;
  customer.revealed.insert(reply->revealed.begin(), reply->revealed.end());
  customer.raised.insert(reply->raised.begin(), reply->raised.end());
  customer.resolved.insert(reply->resolved.begin(), reply->resolved.end());
  customer.buying_signal = customer.buying_signal || reply->buying_signal;
  const double mood = std::clamp(customer.mood + reply->mood_delta, 0.0, 1.0);
  StageFacts after = FactsOf(customer);
  after.objection_raised = !reply->raised.empty();
  after.won = reply->outcome == TurnOutcome::kWon;
  after.lost = reply->outcome == TurnOutcome::kLost;
  const auto after_reply = StageAfterReply(ctx.stage, after);

  std::vector<NewEvent> tail;
  auto stage_event = [&](const StageChange& change, Stage from) {
    tail.push_back(NewEvent{
        .type = "stage.changed",
        .turn_id = job.turn_id,
        .payload = json::object{{"from", StageName(from)}, {"to", StageName(change.to)}, {"cause", change.cause}}});
  };
  if (after_act) stage_event(*after_act, a.state.stage);
  if (std::abs(mood - ctx.customer.mood) > 1e-9) {
    tail.push_back(NewEvent{.type = "mood",
                            .turn_id = job.turn_id,
                            .payload = json::object{{"value", std::round(mood * 1000) / 1000},
                                                    {"delta", std::round((mood - ctx.customer.mood) * 1000) / 1000},
                                                    {"cause", reply->mood_cause}}});
  }
  if (after_reply) stage_event(*after_reply, ctx.stage);
  json::object score_payload;
  json::object score_values;
  json::object reasons;
  if (scores) {
    for (const auto& [dimension, value] : scores->scores) score_values[dimension] = value;
    for (const auto& [dimension, reason] : scores->reasons) reasons[dimension] = reason;
  }
  if (compliance) {
    score_values["compliance"] = ComplianceScore(*compliance);
    reasons["compliance"] = compliance->findings.empty() ? std::string("no compliance issue found")
                                                         : fmt::format("{} compliance finding(s), worst {}",
                                                                       compliance->findings.size(), compliance->level);
    score_payload["compliance"] = ComplianceJson(*compliance);
  }
  score_payload["scores"] = std::move(score_values);
  score_payload["reasons"] = std::move(reasons);
  tail.push_back(NewEvent{.type = "turn.scored", .turn_id = job.turn_id, .payload = std::move(score_payload)});
  // Every compliance hit is an event: the trainee's, and the customer's reply's.
  auto flag = [&](const ComplianceReport& report, std::string_view side) {
    for (const auto& f : report.findings) {
      tail.push_back(NewEvent{
          .type = "compliance.flagged",
          .turn_id = job.turn_id,
          .payload = json::object{{"side", side}, {"rule", f.rule}, {"level", f.level}, {"excerpt", f.excerpt}}});
    }
  };
  if (compliance) flag(*compliance, "trainee");
  auto customer_check = co_await deps_.agents.compliance->Check(reply->text, a.session.language);
  if (customer_check) flag(*customer_check, "customer");
  json::object results{{"npc", json::object{{"ok", true}, {"engine", reply->engine}}},
                       {"coach", PartResult(tip)},
                       {"compliance", PartResult(compliance)},
                       {"evaluator", PartResult(scores)}};
  tail.push_back(NewEvent{
      .type = "turn.done",
      .turn_id = job.turn_id,
      .payload = json::object{{"turn_index", ctx.turn_index}, {"act", ctx.act.label}, {"parts", std::move(results)}}});

  std::string end_reason(EndReason(reply->outcome));
  if (end_reason.empty() && ctx.turn_index >= a.state.max_turns) end_reason = "max_turns";
  std::vector<Event> events;
  {
    std::lock_guard lock(a.mutex);
    events = a.live;
  }
  auto numbered = Number(a, std::move(tail));
  if (!end_reason.empty()) {
    std::vector<Event> turn_events = events;
    turn_events.insert(turn_events.end(), numbered.begin(), numbered.end());
    auto closing = co_await Closing(a, std::move(turn_events), end_reason);
    if (closing) {
      numbered.insert(numbered.end(), closing->begin(), closing->end());
    } else {
      end_reason.clear();  // the turn still commits; the session goes on
    }
  }
  events.insert(events.end(), numbered.begin(), numbered.end());
  auto committed = co_await Commit(a, std::move(events), 1, !end_reason.empty());
  if (!committed) {
    deps_.logger.Error("turn_commit_failed",
                       {{"session_id", a.session_id}, {"turn_id", job.turn_id}, {"error", committed.error().message}});
    co_await Abort(a, job.turn_id, "store_unavailable");
    co_return;
  }
  {
    std::lock_guard lock(a.mutex);
    a.live.clear();
  }
  deps_.hub.Publish(a.session_id, numbered);
  metrics_->duration.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  metrics_->turns.With({"committed"}).Inc();
}

asio::awaitable<core::Result<std::vector<Event>>> TurnCoordinator::Closing(Actor& a, std::vector<Event> pending,
                                                                           std::string reason) {
  auto log = co_await deps_.sessions.EventsAfter(a.session_id, 0, kAllEvents);
  if (!log) co_return core::Fail(log.error());
  log->insert(log->end(), pending.begin(), pending.end());
  auto recommendation = co_await Recommend(a, reason);
  std::vector<NewEvent> closing;
  closing.push_back(NewEvent{.type = "session.ended", .turn_id = {}, .payload = json::object{{"reason", reason}}});
  auto numbered = Number(a, std::move(closing));
  log->push_back(numbered.front());
  json::object report = BuildReport(a.session, *log);
  report["recommended_next_scenario"] = std::move(recommendation);
  std::vector<NewEvent> ready;
  ready.push_back(
      NewEvent{.type = "report.ready", .turn_id = {}, .payload = json::object{{"report", std::move(report)}}});
  auto tail = Number(a, std::move(ready));
  numbered.insert(numbered.end(), tail.begin(), tail.end());
  co_return numbered;
}

asio::awaitable<json::value> TurnCoordinator::Recommend(Actor& a, std::string reason) {
  // Won: the next scenario of the course; otherwise this one again.
  auto scenarios = co_await deps_.catalog.Scenarios(a.tenant_id, a.session.course_id);
  if (!scenarios || scenarios->empty()) co_return nullptr;
  std::size_t at = 0;
  for (std::size_t i = 0; i < scenarios->size(); ++i) {
    const auto* id = (*scenarios)[i].if_contains("id");
    if (id != nullptr && id->is_string() && id->get_string() == a.session.scenario_id) at = i;
  }
  const bool next = reason == "won" && scenarios->size() > 1;
  const auto& chosen = (*scenarios)[next ? (at + 1) % scenarios->size() : at];
  json::value title = nullptr;
  if (const auto* titles = chosen.if_contains("title"); titles != nullptr && titles->is_object()) {
    if (const auto* text = titles->as_object().if_contains(a.session.language)) title = *text;
  }
  co_return json::object{
      {"scenario_id", chosen.contains("id") ? chosen.at("id") : nullptr},
      {"title", title},
      {"why", next ? "the customer accepted: move on to the next scenario" : "practise this scenario again"}};
}

asio::awaitable<void> TurnCoordinator::RunEnd(Actor& a, Job& job) {
  std::vector<Job> refused;
  {
    std::lock_guard lock(a.mutex);
    for (auto& queued : a.jobs) {
      if (queued.kind == Job::Kind::kTurn) refused.push_back(std::move(queued));
    }
    std::erase_if(a.jobs, [](const Job& queued) { return queued.kind == Job::Kind::kTurn; });
    a.ending = std::any_of(a.jobs.begin(), a.jobs.end(), [](const Job& j) { return j.kind == Job::Kind::kEnd; });
  }
  const core::Error ended{core::ErrorCode::kFailedPrecondition, "the session has ended"};
  for (auto& turn : refused) {
    if (turn.on_refused) turn.on_refused(ended);
  }
  if (a.state.ended) {
    EndCompletion::Set(job.done, core::Fail(core::ErrorCode::kFailedPrecondition, "the session has already ended"));
    co_return;
  }
  std::vector<Event> nothing_pending;  // named: no braced temporary inside co_await (g++ 12)
  auto closing = co_await Closing(a, std::move(nothing_pending), job.reason);
  if (!closing) {
    EndCompletion::Set(job.done, core::Fail(closing.error()));
    co_return;
  }
  auto committed = co_await Commit(a, std::move(*closing), 0, true);
  if (!committed) {
    a.next_seq = a.state.last_seq + 1;
    EndCompletion::Set(job.done, core::Fail(committed.error()));
    co_return;
  }
  deps_.hub.Publish(a.session_id, *committed);
  EndCompletion::Set(job.done, EndedSession{.session = a.session, .events = std::move(*committed)});
}

}  // namespace salesboost::conversation
