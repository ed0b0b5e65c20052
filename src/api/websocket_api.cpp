#include "api/websocket_api.hpp"

#include "api/client_message.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
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

// The session's events go to the socket as JSON text.
class SocketSubscriber final : public conversation::FeedSubscriber {
 public:
  explicit SocketSubscriber(std::shared_ptr<server::WebSocketSender> sender) : sender_(std::move(sender)) {}

  void Send(const Event& event) override { sender_->Send(conversation::EventText(event)); }

  void Replaced() override {
    sender_->Send(ErrorMessage("replaced", "another connection joined this session"));
    sender_->Close(server::CloseCode::kReplaced, "another connection joined this session");
  }

 private:
  std::shared_ptr<server::WebSocketSender> sender_;
};

class ConnectionHandler final : public server::WebSocketHandler {
 public:
  ConnectionHandler(identity::Principal who, std::shared_ptr<server::WebSocketSender> sender,
                    conversation::SessionFeed& feed, conversation::TurnCoordinator& coordinator)
      : who_(std::move(who)),
        sender_(std::move(sender)),
        feed_(feed),
        coordinator_(coordinator),
        subscription_(feed_.Subscribe(std::make_shared<SocketSubscriber>(sender_))) {}

  boost::asio::awaitable<void> OnMessage(std::string text) override {
    auto message = ParseClientMessage(text);
    if (!message) {
      const auto& error = message.error();
      if (error.close) {
        sender_->Close(server::CloseCode::kInvalidPayload, error.message);
      } else {
        sender_->Send(ErrorMessage(error.code, error.message, error.turn_id));
      }
      co_return;
    }
    if (const auto* ping = std::get_if<PingMessage>(&*message)) {
      json::object pong{{"type", "pong"}};
      if (ping->id) pong["id"] = *ping->id;
      sender_->Send(json::serialize(pong));
    } else if (auto* turn = std::get_if<TurnMessage>(&*message)) {
      co_await Turn(std::move(*turn));
    } else if (auto* join = std::get_if<JoinMessage>(&*message)) {
      co_await Join(std::move(*join));
    } else {
      co_await End();
    }
  }

  void OnClose() override {
    if (executor_) boost::asio::co_spawn(*executor_, feed_.Leave(subscription_), boost::asio::detached);
  }

 private:
  boost::asio::awaitable<void> Join(JoinMessage message) {
    if (!executor_) executor_ = co_await boost::asio::this_coro::executor;
    auto joined = co_await feed_.Join(who_, message.session_id, message.last_seq, subscription_);
    if (!joined) {
      sender_->Send(ErrorMessage(joined.error()));
      co_return;
    }
    session_id_ = std::move(message.session_id);
  }

  boost::asio::awaitable<void> Turn(TurnMessage message) {
    const std::string id = std::move(message.turn_id);
    if (session_id_.empty()) {
      sender_->Send(ErrorMessage("failed_precondition", "join a session first", id));
      co_return;
    }
    std::weak_ptr<server::WebSocketSender> weak = sender_;
    conversation::TurnRequest request{.session_id = session_id_,
                                      .turn_id = id,
                                      .text = std::move(message.text),
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
        for (const auto& event : admitted->replay) sender_->Send(conversation::EventText(event));
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
  conversation::SessionFeed& feed_;
  conversation::TurnCoordinator& coordinator_;
  std::shared_ptr<conversation::SessionFeed::Subscription> subscription_;
  std::optional<boost::asio::any_io_executor> executor_;  // the connection's, known from its first join
  std::string session_id_;                                // the joined session, if any
};

}  // namespace

boost::asio::awaitable<core::Result<server::AcceptedWebSocket>> WebSocketApi::Accept(
    server::HttpRequest upgrade, std::shared_ptr<server::WebSocketSender> sender) {
  if (const auto origin = upgrade.Header("origin");
      origin && !options_.allowed_origins.empty() &&
      std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), *origin) ==
          options_.allowed_origins.end()) {
    co_return core::Fail(core::ErrorCode::kPermissionDenied, "origin not allowed");
  }
  std::string token = upgrade.QueryParam("access_token").value_or("");
  std::string subprotocol;
  for (const auto& offered : core::SplitCommaList(upgrade.Header("sec-websocket-protocol").value_or(""))) {
    if (offered == kSubprotocol) subprotocol = kSubprotocol;
    if (offered.starts_with(kBearerPrefix) && token.empty()) token = offered.substr(kBearerPrefix.size());
  }
  auto who = co_await auth_.Authenticate(std::move(token));
  if (!who) co_return core::Fail(who.error());
  logger_.Debug("websocket_accepted", {{"request_id", upgrade.request_id}, {"user_id", who->user_id}});
  co_return server::AcceptedWebSocket{
      .handler = std::make_unique<ConnectionHandler>(std::move(*who), std::move(sender), feed_, coordinator_),
      .subprotocol = subprotocol};
}

}  // namespace salesboost::api
