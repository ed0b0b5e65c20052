#include "api/websocket_api.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <mutex>
#include <optional>

namespace salesboost::api {
namespace {

namespace json = boost::json;
using conversation::Event;

constexpr std::string_view kSubprotocol = "salesboost.v1";
constexpr std::string_view kBearerPrefix = "bearer.";
constexpr std::int64_t kReplayPage = 500;

std::string ErrorMessage(std::string_view code, std::string_view message, std::string_view turn_id = {},
                         std::optional<std::int64_t> retry_after_ms = std::nullopt) {
  json::object error{{"type", "error"}, {"code", code}, {"message", message}};
  if (!turn_id.empty()) error["turn_id"] = turn_id;
  if (retry_after_ms) error["retry_after_ms"] = *retry_after_ms;
  return json::serialize(error);
}

std::string ErrorMessage(const core::Error& error, std::string_view turn_id = {}) {
  return ErrorMessage(core::ErrorCodeName(error.code), server::ClientMessage(error), turn_id);
}

// The events a join must send after `after`: stored pages are read after the
// live buffer is copied, so an event is in one or the other (or both, and
// then sent once).
std::vector<Event> MergeBySeq(std::vector<Event> stored, std::vector<Event> live) {
  stored.insert(stored.end(), std::make_move_iterator(live.begin()), std::make_move_iterator(live.end()));
  std::stable_sort(stored.begin(), stored.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
  stored.erase(std::unique(stored.begin(), stored.end(), [](const Event& a, const Event& b) { return a.seq == b.seq; }),
               stored.end());
  return stored;
}

// Delivers a session's events to one socket exactly once each, in seq order.
// While the join replays stored events, live ones wait in `pending_`.
class SocketSink final : public conversation::EventSink {
 public:
  explicit SocketSink(std::shared_ptr<server::WebSocketSender> sender) : sender_(std::move(sender)) {}

  void BeginReplay(std::int64_t last_seq) {
    std::lock_guard lock(mutex_);
    delivered_ = last_seq;
    replaying_ = true;
    pending_.clear();
  }

  // Replayed events, then everything that arrived live meanwhile.
  void FinishReplay(const std::vector<Event>& replayed) {
    std::lock_guard lock(mutex_);
    SendLocked(replayed);
    SendLocked(pending_);
    std::vector<Event>().swap(pending_);
    replaying_ = false;
  }

  void ReplayChunk(const std::vector<Event>& events) {
    std::lock_guard lock(mutex_);
    SendLocked(events);
  }

  void Deliver(const std::vector<Event>& events) override {
    std::lock_guard lock(mutex_);
    if (replaying_) {
      pending_.insert(pending_.end(), events.begin(), events.end());
      return;
    }
    SendLocked(events);
  }

  void Replaced() override {
    sender_->Send(ErrorMessage("replaced", "another connection joined this session"));
    sender_->Close(server::CloseCode::kReplaced, "another connection joined this session");
  }

 private:
  void SendLocked(const std::vector<Event>& events) {
    for (const auto& event : events) {
      if (event.seq <= delivered_) continue;  // already delivered (replay and live overlap)
      delivered_ = event.seq;
      sender_->Send(json::serialize(conversation::EventJson(event)));
    }
  }

  std::shared_ptr<server::WebSocketSender> sender_;
  std::mutex mutex_;
  std::int64_t delivered_ = 0;  // guarded by mutex_
  bool replaying_ = false;      // guarded by mutex_
  std::vector<Event> pending_;  // guarded by mutex_ (a vector: nothing allocated while empty)
};

class ConnectionHandler final : public server::WebSocketHandler {
 public:
  ConnectionHandler(identity::Principal who, std::shared_ptr<server::WebSocketSender> sender,
                    conversation::SessionService& sessions, conversation::TurnCoordinator& coordinator,
                    conversation::SessionHub& hub)
      : who_(std::move(who)),
        sender_(std::move(sender)),
        sessions_(sessions),
        coordinator_(coordinator),
        hub_(hub),
        sink_(std::make_shared<SocketSink>(sender_)) {}

  boost::asio::awaitable<void> OnMessage(std::string text) override {
    boost::system::error_code ec;
    json::value message = json::parse(text, ec);
    if (ec) {
      sender_->Close(server::CloseCode::kInvalidPayload, "message is not valid JSON");
      co_return;
    }
    const auto* object = message.if_object();
    const auto* type = object != nullptr ? object->if_contains("type") : nullptr;
    if (type == nullptr || !type->is_string()) {
      sender_->Send(ErrorMessage("invalid_message", "a message is a JSON object with a string \"type\""));
      co_return;
    }
    const std::string name(type->get_string());
    if (name == "ping") {
      json::object pong{{"type", "pong"}};
      if (const auto* id = object->if_contains("id")) pong["id"] = *id;
      sender_->Send(json::serialize(pong));
    } else if (name == "turn") {
      co_await Turn(*object);
    } else if (name == "session.join") {
      co_await Join(*object);
    } else if (name == "session.end") {
      co_await End();
    } else {
      sender_->Send(ErrorMessage("unknown_type", "unknown message type \"" + name + "\""));
    }
  }

  void OnClose() override {
    if (!session_id_.empty()) hub_.Detach(session_id_, sink_.get());
  }

 private:
  boost::asio::awaitable<void> Join(const json::object& message) {
    const auto* id = message.if_contains("session_id");
    const auto* last = message.if_contains("last_seq");
    if (id == nullptr || !id->is_string() || id->get_string().empty() || id->get_string().size() > 64 ||
        (last != nullptr && (!last->is_int64() || last->get_int64() < 0))) {
      sender_->Send(ErrorMessage("invalid_message",
                                 "session.join needs a string \"session_id\" and an optional \"last_seq\" >= 0"));
      co_return;
    }
    const std::string session_id(id->get_string());
    auto session = co_await sessions_.Get(who_, session_id);
    if (!session) {
      sender_->Send(ErrorMessage(session.error()));
      co_return;
    }
    if (auto recovered = co_await coordinator_.Recover(*session); !recovered) {
      sender_->Send(ErrorMessage(recovered.error()));
      co_return;
    }
    if (!session_id_.empty() && session_id_ != session_id) hub_.Detach(session_id_, sink_.get());
    session_id_ = session_id;
    std::int64_t after = last != nullptr ? last->get_int64() : 0;
    sink_->BeginReplay(after);
    hub_.Attach(session_id, sink_);  // from here on, live events queue up behind the replay
    auto live = coordinator_.LiveEvents(session_id, after);
    for (;;) {
      auto page = co_await sessions_.Events(who_, session_id, after, kReplayPage);
      if (!page) {
        sink_->FinishReplay({});
        sender_->Send(ErrorMessage(page.error()));
        co_return;
      }
      if (page->empty()) {
        sink_->FinishReplay(MergeBySeq({}, std::move(live)));
        co_return;
      }
      after = page->back().seq;
      sink_->ReplayChunk(*page);
    }
  }

  boost::asio::awaitable<void> Turn(const json::object& message) {
    const auto* turn_id = message.if_contains("turn_id");
    const auto* text = message.if_contains("text");
    const std::string id = turn_id != nullptr && turn_id->is_string() ? std::string(turn_id->get_string()) : "";
    if (id.empty() || text == nullptr || !text->is_string()) {
      sender_->Send(ErrorMessage("invalid_message", "turn needs a string \"turn_id\" and a string \"text\"", id));
      co_return;
    }
    if (session_id_.empty()) {
      sender_->Send(ErrorMessage("failed_precondition", "join a session first", id));
      co_return;
    }
    std::weak_ptr<server::WebSocketSender> weak = sender_;
    conversation::TurnRequest request{.session_id = session_id_,
                                      .turn_id = id,
                                      .text = std::string(text->get_string()),
                                      .on_refused = [weak, id](const core::Error& error) {
                                        if (auto sender = weak.lock()) sender->Send(ErrorMessage(error, id));
                                      }};
    auto admitted = co_await coordinator_.Submit(who_, std::move(request));
    if (!admitted) {
      sender_->Send(ErrorMessage(admitted.error(), id));
      co_return;
    }
    using Status = conversation::TurnAdmission::Status;
    switch (admitted->status) {
      case Status::kAccepted:
      case Status::kAttached:
        break;  // the events come through the hub
      case Status::kReplayed:
        for (const auto& event : admitted->replay) sender_->Send(json::serialize(conversation::EventJson(event)));
        break;
      case Status::kRateLimited:
        sender_->Send(ErrorMessage("rate_limited", "too many turns; wait before sending the next one", id,
                                   admitted->retry_after.count()));
        break;
      case Status::kQueueFull:
        sender_->Send(ErrorMessage("queue_full", "too many turns are waiting in this session", id));
        break;
    }
  }

  boost::asio::awaitable<void> End() {
    if (session_id_.empty()) {
      sender_->Send(ErrorMessage("failed_precondition", "join a session first"));
      co_return;
    }
    auto ended = co_await coordinator_.End(who_, session_id_, "trainee");
    if (!ended) sender_->Send(ErrorMessage(ended.error()));
    // On success the events reach this socket through the hub.
  }

  identity::Principal who_;
  std::shared_ptr<server::WebSocketSender> sender_;
  conversation::SessionService& sessions_;
  conversation::TurnCoordinator& coordinator_;
  conversation::SessionHub& hub_;
  std::shared_ptr<SocketSink> sink_;
  std::string session_id_;  // the joined session, if any
};

}  // namespace

core::Result<server::AcceptedWebSocket> WebSocketApi::Accept(const server::HttpRequest& upgrade,
                                                             std::shared_ptr<server::WebSocketSender> sender) {
  if (const auto origin = upgrade.Header("origin");
      origin && !options_.allowed_origins.empty() &&
      std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), *origin) ==
          options_.allowed_origins.end()) {
    return core::Fail(core::ErrorCode::kPermissionDenied, "origin not allowed");
  }
  std::string token = upgrade.QueryParam("access_token").value_or("");
  std::string subprotocol;
  for (const auto& offered : core::SplitCommaList(upgrade.Header("sec-websocket-protocol").value_or(""))) {
    if (offered == kSubprotocol) subprotocol = kSubprotocol;
    if (offered.starts_with(kBearerPrefix) && token.empty()) token = offered.substr(kBearerPrefix.size());
  }
  auto who = auth_.Authenticate(token);
  if (!who) return core::Fail(who.error());
  logger_.Debug("websocket_accepted", {{"request_id", upgrade.request_id}, {"user_id", who->user_id}});
  return server::AcceptedWebSocket{
      .handler = std::make_unique<ConnectionHandler>(std::move(*who), std::move(sender), sessions_, coordinator_, hub_),
      .subprotocol = subprotocol};
}

}  // namespace salesboost::api
