#include "conversation/turn_coordinator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::conversation {
namespace {

namespace asio = boost::asio;

constexpr std::size_t kMaxTurnIdBytes = 64;

// A turn_id is the idempotency key of one text: sent again with the same
// text it is the same turn; with another text it is a client's mistake that a
// replay would hide.
core::Error TurnIdConflict(std::string_view turn_id) {
  return core::Error{
      .code = core::ErrorCode::kFailedPrecondition,
      .message = fmt::format("turn_id \"{}\" was already used for a different text; send a new turn_id", turn_id)};
}

TurnAdmission::Status StatusOf(SessionActor::Offer offer) {
  switch (offer) {
    case SessionActor::Offer::kConflict:  // refused by Submit before it asks for a status
    case SessionActor::Offer::kAttached:
      return TurnAdmission::Status::kAttached;
    case SessionActor::Offer::kQueueFull:
      return TurnAdmission::Status::kQueueFull;
    case SessionActor::Offer::kQueued:
    case SessionActor::Offer::kStart:
      break;
  }
  return TurnAdmission::Status::kAccepted;
}

}  // namespace

struct TurnCoordinator::Metrics {
  explicit Metrics(core::MetricsRegistry& registry)
      : duration(registry
                     .AddHistogram("salesboost_turn_duration_seconds",
                                   "Time from taking a turn off the queue to its commit", {},
                                   core::DefaultLatencyBuckets())
                     .Get()),
        turns(registry.AddCounter("salesboost_turns_total", "Turns by outcome", {"outcome"})) {}
  core::Histogram& duration;
  core::Family<core::Counter>& turns;
};

TurnCoordinator::TurnCoordinator(CoordinatorOptions options, CoordinatorDeps deps)
    : options_(options),
      deps_(std::move(deps)),
      metrics_(std::make_unique<Metrics>(deps_.metrics)),
      pipeline_({.part_deadline = options_.part_deadline}, deps_.agents, deps_.metrics),
      actor_context_{.turn_deadline = options_.turn_deadline,
                     .seq_reservation = options_.seq_reservation,
                     .lease_wait = options_.lease_wait,
                     .sessions = deps_.sessions,
                     .leases = deps_.leases,
                     .catalog = deps_.catalog,
                     .hub = deps_.hub,
                     .live = deps_.live,
                     .pipeline = pipeline_,
                     .turn_duration = metrics_->duration,
                     .turns = metrics_->turns,
                     .logger = deps_.logger} {}

TurnCoordinator::~TurnCoordinator() = default;

SessionActor::Offer TurnCoordinator::Enqueue(const std::string& tenant_id, const std::string& session_id, ActorJob job,
                                             bool first, const asio::any_io_executor& executor) {
  std::shared_ptr<SessionActor> actor;
  SessionActor::Offer offer{};
  {
    std::lock_guard lock(mutex_);
    auto& slot = actors_[session_id];
    if (!slot) slot = std::make_shared<SessionActor>(tenant_id, session_id, actor_context_);
    actor = slot;
    offer = actor->Take(std::move(job), first, options_.max_queued_turns);
  }
  if (offer == SessionActor::Offer::kStart) asio::co_spawn(executor, Run(actor), asio::detached);
  return offer;
}

asio::awaitable<void> TurnCoordinator::Run(std::shared_ptr<SessionActor> actor) {
  co_await actor->Drain();
  // Ended sessions take no more jobs; idle ones are reloaded on demand.
  std::lock_guard lock(mutex_);
  const auto it = actors_.find(actor->session_id());
  if (it != actors_.end() && it->second == actor && actor->Retire(actors_.size() > options_.max_idle_sessions)) {
    actors_.erase(it);
  }
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
  if (core::IsBlank(request.text)) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument, "text is only white space: say something");
  }
  // A loaded session of this trainee answers from memory; anything else asks the store.
  bool known_new_turn = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = actors_.find(request.session_id); it != actors_.end()) {
      const auto known = it->second->Peek(request.turn_id);
      // Running or queued here: the same turn, nothing to do; another text under its id is refused.
      if (known.here) {
        if (known.here_text != request.text) co_return core::Fail(TurnIdConflict(request.turn_id));
        co_return TurnAdmission{.status = TurnAdmission::Status::kAttached, .replay = {}, .retry_after = {}};
      }
      if (known.loaded && it->second->tenant_id() == who.tenant_id && known.user_id == who.user_id) {
        if (known.ended) co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has ended");
        known_new_turn = !known.committed;
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
    auto record = co_await deps_.ledger.Find(request.session_id, request.turn_id);
    if (!record) co_return core::Fail(record.error());
    if (record->state == TurnRecord::State::kRunning) {
      co_return TurnAdmission{.status = TurnAdmission::Status::kAttached, .replay = {}, .retry_after = {}};
    }
    if (record->state == TurnRecord::State::kCommitted) {
      const std::int64_t count = record->last_seq - record->first_seq + 1;
      auto events = co_await deps_.sessions.EventsAfter(request.session_id, record->first_seq - 1, count);
      if (!events) co_return core::Fail(events.error());
      std::erase_if(*events, [&](const Event& e) { return e.seq > record->last_seq; });
      const auto started =
          std::find_if(events->begin(), events->end(), [](const Event& e) { return e.Is<TurnStarted>(); });
      if (started != events->end() && std::get<TurnStarted>(started->body).text != request.text) {
        co_return core::Fail(TurnIdConflict(request.turn_id));
      }
      co_return TurnAdmission{
          .status = TurnAdmission::Status::kReplayed, .replay = std::move(*events), .retry_after = {}};
    }
  }
  auto decision = co_await deps_.turn_limiter.Acquire(who.user_id);
  if (!decision) co_return core::Fail(decision.error());
  if (!decision->allowed) {
    co_return TurnAdmission{
        .status = TurnAdmission::Status::kRateLimited, .replay = {}, .retry_after = decision->retry_after};
  }
  ActorJob job{.kind = ActorJob::Kind::kTurn,
               .turn_id = request.turn_id,
               .text = std::move(request.text),
               .on_refused = std::move(request.on_refused),
               .reason = {},
               .done = nullptr,
               .ready = nullptr};
  const auto executor = co_await asio::this_coro::executor;
  const auto turn_id = job.turn_id;
  const auto offer = Enqueue(who.tenant_id, request.session_id, std::move(job), /*first=*/false, executor);
  if (offer == SessionActor::Offer::kConflict) co_return core::Fail(TurnIdConflict(turn_id));
  co_return TurnAdmission{.status = StatusOf(offer), .replay = {}, .retry_after = {}};
}

asio::awaitable<core::Result<EndedSession>> TurnCoordinator::End(identity::Principal who, std::string session_id,
                                                                 std::string reason) {
  auto session = co_await deps_.service.Get(who, session_id);
  if (!session) co_return core::Fail(session.error());
  if (session->status == SessionStatus::kEnded) {
    co_return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has already ended");
  }
  const auto executor = co_await asio::this_coro::executor;
  auto done = std::make_shared<core::Completion<core::Result<EndedSession>>>(executor);
  ActorJob job{.kind = ActorJob::Kind::kEnd,
               .turn_id = {},
               .text = {},
               .on_refused = {},
               .reason = std::move(reason),
               .done = done,
               .ready = nullptr};
  Enqueue(who.tenant_id, session_id, std::move(job), /*first=*/true, executor);
  co_return co_await done->Wait();
}

asio::awaitable<core::Result<void>> TurnCoordinator::Recover(const Session& session) {
  if (session.status != SessionStatus::kActive || session.reserved_seq <= session.last_seq) co_return core::Ok();
  {
    std::lock_guard lock(mutex_);
    // A job of this process is running: the reservation is its turn's.
    if (auto it = actors_.find(session.id); it != actors_.end() && it->second->Busy()) co_return core::Ok();
  }
  const auto executor = co_await asio::this_coro::executor;
  auto ready = std::make_shared<core::Completion<core::Result<void>>>(executor);
  ActorJob job{.kind = ActorJob::Kind::kLoad,
               .turn_id = {},
               .text = {},
               .on_refused = {},
               .reason = {},
               .done = nullptr,
               .ready = ready};
  Enqueue(session.tenant_id, session.id, std::move(job), /*first=*/true, executor);
  co_return co_await ready->Wait();
}

}  // namespace salesboost::conversation
