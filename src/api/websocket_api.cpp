#include "api/websocket_api.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace salesboost::api {
namespace {

namespace json = boost::json;

std::string ErrorMessage(std::string_view code, std::string_view message) {
  return json::serialize(json::object{{"type", "error"}, {"code", code}, {"message", message}});
}

class ConnectionHandler final : public server::WebSocketHandler {
 public:
  explicit ConnectionHandler(std::shared_ptr<server::WebSocketSender> sender) : sender_(std::move(sender)) {}

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
    const auto& name = type->get_string();
    if (name == "ping") {
      json::object pong{{"type", "pong"}};
      if (const auto* id = object->if_contains("id")) pong["id"] = *id;
      sender_->Send(json::serialize(pong));
      co_return;
    }
    sender_->Send(ErrorMessage("unknown_type", "unknown message type \"" + std::string(name) + "\""));
  }

  void OnClose() override {}

 private:
  std::shared_ptr<server::WebSocketSender> sender_;
};

}  // namespace

core::Result<std::unique_ptr<server::WebSocketHandler>> WebSocketApi::Accept(
    const server::HttpRequest& upgrade, std::shared_ptr<server::WebSocketSender> sender) {
  logger_.Debug("websocket_accepted", {{"request_id", upgrade.request_id}});
  return std::make_unique<ConnectionHandler>(std::move(sender));
}

}  // namespace salesboost::api
