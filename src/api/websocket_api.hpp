// WebSocketApi: the application behind /ws (docs/protocol.md).
//
// The upgrade is refused before 101 without a valid token (401: query
// parameter `access_token`, or the subprotocol "bearer.<token>" offered beside
// "salesboost.v1") or from an Origin outside the allow-list (403).
// Messages are JSON objects with a "type": ping, session.join, turn,
// session.end. A joined socket receives the session's events with seq above
// its last_seq through the SessionFeed (stored ones, then the running turn's
// live buffer, oldest first, then live ones); a later join of the same session
// from another connection closes it with 4002.
#pragma once

#include <string>
#include <vector>

#include "conversation/session_feed.hpp"
#include "conversation/turn_coordinator.hpp"
#include "core/logging.hpp"
#include "identity/auth_service.hpp"
#include "server/websocket_endpoint.hpp"

namespace salesboost::api {

struct WebSocketApiOptions {
  std::vector<std::string> allowed_origins;  // empty: any Origin (tokens are not ambient credentials)
};

class WebSocketApi final : public server::WebSocketEndpoint {
 public:
  WebSocketApi(WebSocketApiOptions options, const identity::AuthService& auth, conversation::SessionFeed& feed,
               conversation::TurnCoordinator& coordinator, core::Logger logger)
      : options_(std::move(options)), auth_(auth), feed_(feed), coordinator_(coordinator), logger_(std::move(logger)) {}

  boost::asio::awaitable<core::Result<server::AcceptedWebSocket>> Accept(
      server::HttpRequest upgrade, std::shared_ptr<server::WebSocketSender> sender) override;

 private:
  WebSocketApiOptions options_;
  const identity::AuthService& auth_;
  conversation::SessionFeed& feed_;
  conversation::TurnCoordinator& coordinator_;
  core::Logger logger_;
};

}  // namespace salesboost::api
