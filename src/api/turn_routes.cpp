#include "api/turn_routes.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <deque>
#include <mutex>
#include <optional>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"

namespace salesboost::api {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using conversation::Event;
using server::HttpRequest;
using server::HttpResponse;
using Clock = std::chrono::steady_clock;

// Why a request stops following its turn before the turn's last event.
struct Ending {
  int status = 500;
  std::string code;
  std::string message;
};

Ending EndingOf(const core::Error& error) {
  return Ending{.status = server::HttpStatusFor(error.code),
                .code = std::string(core::ErrorCodeName(error.code)),
                .message = std::string(server::ClientMessage(error))};
}

// The session's events for one request: pushed from the feed's threads,
// popped by the request's coroutine on `executor`.
class EventQueue final : public conversation::FeedSubscriber, public std::enable_shared_from_this<EventQueue> {
 public:
  struct Popped {
    std::optional<Event> event;
    std::optional<Ending> ending;  // the turn was refused or the subscription replaced
  };

  explicit EventQueue(const asio::any_io_executor& executor) : timer_(executor) {}

  void Send(const Event& event) override {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    }
    Wake();
  }

  void Replaced() override {
    End(Ending{.status = 409, .code = "replaced", .message = "another connection joined this session"});
  }

  void Refused(const core::Error& error) { End(EndingOf(error)); }

  // The next event or ending; neither when `until` passed first. On the executor only.
  asio::awaitable<Popped> Pop(Clock::time_point until) {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (!events_.empty()) {
          Popped popped{.event = std::move(events_.front()), .ending = std::nullopt};
          events_.pop_front();
          co_return popped;
        }
        if (ending_) co_return Popped{.event = std::nullopt, .ending = ending_};
      }
      if (Clock::now() >= until) co_return Popped{};
      // A Wake posted from now on runs after this wait has started, so it cannot be missed.
      timer_.expires_at(until);
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }

 private:
  void End(Ending ending) {
    {
      std::lock_guard lock(mutex_);
      if (!ending_) ending_ = std::move(ending);
    }
    Wake();
  }

  void Wake() {
    asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  }

  std::mutex mutex_;
  std::deque<Event> events_;
  std::optional<Ending> ending_;
  asio::steady_timer timer_;
};

bool IsLast(const Event& event) { return event.Is<conversation::TurnDone>() || event.Is<conversation::TurnAborted>(); }

// Where a request's events go: an SSE stream or the JSON answer's list. False stops (the client left).
using Emit = std::function<asio::awaitable<bool>(const Event&)>;
// While nothing comes: false stops.
using Idle = std::function<asio::awaitable<bool>()>;

struct Deps {
  identity::AuthService& auth;
  conversation::SessionService& sessions;
  conversation::SessionFeed& feed;
  conversation::TurnCoordinator& coordinator;
  TurnRoutesOptions options;
};

// One turn as a request follows it.
struct TurnCall {
  identity::Principal who;
  std::string session_id;
  std::string turn_id;
  std::optional<std::int64_t> resume_after;  // Last-Event-ID
  std::int64_t base = 0;                     // events after this seq are the turn's or later
  conversation::TurnAdmission admission;
  std::shared_ptr<EventQueue> queue;
};

// After a turn's turn.done: the session.ended and report.ready that the same
// commit stored when the turn ended the session (they carry no turn_id).
asio::awaitable<bool> EmitClosing(const Deps& deps, const TurnCall& call, std::int64_t after, const Emit& emit) {
  auto tail = co_await deps.sessions.Events(call.who, call.session_id, after, 8);
  if (!tail) co_return true;
  for (const auto& event : *tail) {
    if (!event.turn_id.empty()) break;
    if (!co_await emit(event)) co_return false;
  }
  co_return true;
}

// Sends the turn's events after the client's Last-Event-ID to `emit`, its
// last one included, then the session's closing events if it ended the
// session. An ending when the turn was refused, the subscription replaced or
// the wait ran out; nullopt otherwise (done, or the client left).
asio::awaitable<std::optional<Ending>> Follow(const Deps& deps, const TurnCall& call, const Emit& emit,
                                              const Idle& idle) {
  const std::int64_t after = call.resume_after.value_or(0);
  if (call.admission.status == conversation::TurnAdmission::Status::kReplayed) {
    std::int64_t last = after;
    for (const auto& event : call.admission.replay) {
      if (event.seq <= after) continue;
      if (!co_await emit(event)) co_return std::nullopt;
      last = event.seq;
    }
    const bool done = !call.admission.replay.empty() && call.admission.replay.back().Is<conversation::TurnDone>();
    if (done) co_await EmitClosing(deps, call, std::max(last, call.admission.replay.back().seq), emit);
    co_return std::nullopt;
  }

  auto subscription = deps.feed.Subscribe(call.queue);
  auto joined = co_await deps.feed.Join(call.who, call.session_id, call.base, subscription);
  std::optional<Ending> ending;
  std::optional<Event> last;
  if (!joined) ending = EndingOf(joined.error());
  const auto deadline = Clock::now() + deps.options.wait;
  while (!ending && !last) {
    const auto until = std::min(deadline, Clock::now() + deps.options.keepalive);
    auto popped = co_await call.queue->Pop(until);
    if (popped.ending) {
      ending = std::move(popped.ending);
    } else if (popped.event) {
      if (popped.event->turn_id != call.turn_id || popped.event->seq <= after) continue;
      if (!co_await emit(*popped.event)) break;
      if (IsLast(*popped.event)) last = std::move(popped.event);
    } else if (Clock::now() >= deadline) {
      ending = Ending{.status = 504, .code = "deadline_exceeded", .message = "the turn did not finish in time"};
    } else if (!co_await idle()) {
      break;
    }
  }
  co_await deps.feed.Leave(subscription);
  if (last && last->Is<conversation::TurnDone>()) co_await EmitClosing(deps, call, last->seq, emit);
  co_return ending;
}

std::string SseFrame(const Event& event) {
  return "id: " + std::to_string(event.seq) + "\nevent: " + std::string(event.Type()) +
         "\ndata: " + conversation::EventText(event) + "\n\n";
}

std::string SseError(const Ending& ending, std::string_view turn_id) {
  json::object error{{"type", "error"}, {"code", ending.code}, {"message", ending.message}, {"turn_id", turn_id}};
  return "event: error\ndata: " + json::serialize(error) + "\n\n";
}

bool AcceptsEventStream(const HttpRequest& request) {
  return request.Header("accept").value_or("").find("text/event-stream") != std::string_view::npos;
}

core::Result<std::optional<std::int64_t>> LastEventId(const HttpRequest& request) {
  const auto header = request.Header("last-event-id");
  if (!header) return std::optional<std::int64_t>{};
  std::int64_t seq = 0;
  const auto* end = header->data() + header->size();
  const auto [ptr, ec] = std::from_chars(header->data(), end, seq);
  if (header->empty() || ec != std::errc() || ptr != end || seq < 0) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "Last-Event-ID must be a seq (an integer from 0)");
  }
  return std::optional<std::int64_t>{seq};
}

asio::awaitable<HttpResponse> RunTurn(const Deps& deps, HttpRequest request, identity::Principal who,
                                      std::string session_id, const boost::json::object& body) {
  auto turn_id = RequiredString(body, "turn_id", 64);
  if (!turn_id) co_return ErrorReply(turn_id.error(), request);
  const auto* text = body.if_contains("text");
  if (text == nullptr || !text->is_string()) {
    const core::Error bad{core::ErrorCode::kInvalidArgument, "text must be a string"};
    co_return ErrorReply(bad, request);
  }
  auto resume_after = LastEventId(request);
  if (!resume_after) co_return ErrorReply(resume_after.error(), request);
  auto session = co_await deps.sessions.Get(who, session_id);
  if (!session) co_return ErrorReply(session.error(), request);

  auto call = std::make_shared<TurnCall>(TurnCall{.who = std::move(who),
                                                  .session_id = std::move(session_id),
                                                  .turn_id = std::move(*turn_id),
                                                  .resume_after = *resume_after,
                                                  .base = resume_after->value_or(session->last_seq),
                                                  .admission = {},
                                                  .queue = nullptr});
  call->queue = std::make_shared<EventQueue>(co_await asio::this_coro::executor);
  std::weak_ptr<EventQueue> weak = call->queue;
  conversation::TurnRequest turn{.session_id = call->session_id,
                                 .turn_id = call->turn_id,
                                 .text = std::string(text->get_string()),
                                 .on_refused = [weak](const core::Error& error) {
                                   if (auto queue = weak.lock()) queue->Refused(error);
                                 }};
  auto admitted = co_await deps.coordinator.Submit(call->who, std::move(turn));
  if (!admitted) co_return ErrorReply(admitted.error(), request);
  using Status = conversation::TurnAdmission::Status;
  if (admitted->status == Status::kRateLimited) {
    auto response = server::ErrorResponse(429, "rate_limited", "too many turns; wait before sending the next one",
                                          request.request_id);
    const auto seconds = (admitted->retry_after.count() + 999) / 1000;
    response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, seconds)));
    co_return response;
  }
  if (admitted->status == Status::kQueueFull) {
    co_return server::ErrorResponse(503, "queue_full", "too many turns are waiting in this session",
                                    request.request_id);
  }
  call->admission = std::move(*admitted);

  if (AcceptsEventStream(request)) {
    HttpResponse response = HttpResponse::Text(200, "text/event-stream; charset=utf-8", "");
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass events on as they come
    response.stream = [&deps, call](server::BodyWriter& out) -> asio::awaitable<void> {
      const Emit emit = [&out](const Event& event) -> asio::awaitable<bool> {
        std::string frame = SseFrame(event);
        co_return co_await out.Write(std::move(frame));
      };
      const Idle idle = [&out]() -> asio::awaitable<bool> {
        std::string comment = ": keep-alive\n\n";
        co_return co_await out.Write(std::move(comment));
      };
      auto ending = co_await Follow(deps, *call, emit, idle);
      if (ending) {
        std::string frame = SseError(*ending, call->turn_id);
        co_await out.Write(std::move(frame));
      }
    };
    co_return response;
  }

  json::array events;
  const Emit collect = [&events](const Event& event) -> asio::awaitable<bool> {
    events.push_back(conversation::EventJson(event));
    co_return true;
  };
  const Idle wait = []() -> asio::awaitable<bool> { co_return true; };
  auto ending = co_await Follow(deps, *call, collect, wait);
  if (ending) co_return server::ErrorResponse(ending->status, ending->code, ending->message, request.request_id);
  json::object answer{{"session_id", call->session_id}, {"turn_id", call->turn_id}, {"events", std::move(events)}};
  co_return JsonResponse(200, answer);
}

}  // namespace

void AddTurnRoutes(server::Router& router, identity::AuthService& auth, conversation::SessionService& sessions,
                   conversation::SessionFeed& feed, conversation::TurnCoordinator& coordinator,
                   TurnRoutesOptions options) {
  auto deps = std::make_shared<const Deps>(
      Deps{.auth = auth, .sessions = sessions, .feed = feed, .coordinator = coordinator, .options = options});
  router.Add("POST", "/api/v1/sessions/{id}/turns",
             Authenticated(auth, [deps](HttpRequest request, identity::Principal who) -> asio::awaitable<HttpResponse> {
               auto body = ParseJsonObject(request);
               if (!body) co_return ErrorReply(body.error(), request);
               std::string session_id = request.path_params.at("id");
               co_return co_await RunTurn(*deps, std::move(request), std::move(who), std::move(session_id), *body);
             }));
  router.Add("POST", "/api/v1/chat",
             Authenticated(auth, [deps](HttpRequest request, identity::Principal who) -> asio::awaitable<HttpResponse> {
               auto body = ParseJsonObject(request);
               if (!body) co_return ErrorReply(body.error(), request);
               auto session_id = RequiredString(*body, "session_id", 64);
               if (!session_id) co_return ErrorReply(session_id.error(), request);
               co_return co_await RunTurn(*deps, std::move(request), std::move(who), std::move(*session_id), *body);
             }));
}

}  // namespace salesboost::api
