// WebSocketApi: the application behind /ws. Messages are JSON objects with a
// "type" (docs/protocol.md). This endpoint answers "ping" with "pong" and
// reports unknown or malformed messages; the practice-session messages build
// on it.
#pragma once

#include "core/logging.hpp"
#include "server/websocket_endpoint.hpp"

namespace salesboost::api {

class WebSocketApi final : public server::WebSocketEndpoint {
 public:
  explicit WebSocketApi(core::Logger logger) : logger_(std::move(logger)) {}

  core::Result<std::unique_ptr<server::WebSocketHandler>> Accept(
      const server::HttpRequest& upgrade, std::shared_ptr<server::WebSocketSender> sender) override;

 private:
  core::Logger logger_;
};

}  // namespace salesboost::api
