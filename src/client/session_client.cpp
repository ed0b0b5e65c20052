#include "client/session_client.hpp"

#include <fmt/format.h>

namespace salesboost::client {

core::Result<std::unique_ptr<SessionClient>> SessionClient::Connect(const Endpoint& endpoint, std::string_view token,
                                                                    const WsClientOptions& options) {
  auto ws = WsClient::Connect(endpoint, SocketTarget(token), options);
  if (!ws) return core::Fail(ws.error());
  return std::unique_ptr<SessionClient>(new SessionClient(std::move(*ws)));
}

core::Result<void> SessionClient::Join(std::string_view session_id, std::optional<std::int64_t> last_seq) {
  return Send(JoinMessage(session_id, last_seq));
}

core::Result<void> SessionClient::SendTurn(std::string_view turn_id, std::string_view text) {
  return Send(TurnMessage(turn_id, text));
}

core::Result<void> SessionClient::End() { return Send(EndMessage()); }

core::Result<void> SessionClient::Send(std::string text) { return ws_->SendText(std::move(text)); }

core::Result<ServerEvent> SessionClient::Next(milliseconds timeout) {
  auto message = ws_->Read(timeout);
  if (!message) return core::Fail(message.error());
  if (message->kind == WsEvent::Kind::kClosed) {
    return core::Fail(core::ErrorCode::kUnavailable, fmt::format("the server closed the connection ({} {})",
                                                                 message->close_code, message->close_reason));
  }
  if (message->kind != WsEvent::Kind::kText) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the server sent a binary message");
  }
  auto event = ParseServerEvent(message->data);
  if (event && event->seq) last_seq_ = *event->seq;
  return event;
}

}  // namespace salesboost::client
