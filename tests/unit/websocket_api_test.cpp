#include "api/websocket_api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/run_sync.hpp"

namespace salesboost::api {
namespace {

struct Closed {
  server::CloseCode code;
  std::string reason;
};

class RecordingSender final : public server::WebSocketSender {
 public:
  bool Send(std::string text) override {
    sent.push_back(std::move(text));
    return true;
  }
  void Close(server::CloseCode code, std::string reason) override { closed.push_back({code, std::move(reason)}); }

  std::vector<std::string> sent;
  std::vector<Closed> closed;
};

class WebSocketApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto accepted = api_.Accept(server::HttpRequest{}, sender_);
    ASSERT_TRUE(accepted);
    handler_ = std::move(*accepted);
  }
  void Deliver(std::string text) {
    auto work = handler_->OnMessage(std::move(text));
    app::RunSync([&]() -> boost::asio::awaitable<bool> {
      co_await std::move(work);
      co_return true;
    }());
  }

  WebSocketApi api_{core::Logger::Null()};
  std::shared_ptr<RecordingSender> sender_ = std::make_shared<RecordingSender>();
  std::unique_ptr<server::WebSocketHandler> handler_;
};

TEST_F(WebSocketApiTest, PingIsAnsweredWithPongEchoingTheId) {
  Deliver(R"({"type":"ping","id":7})");
  ASSERT_EQ(sender_->sent.size(), 1u);
  EXPECT_EQ(boost::json::parse(sender_->sent[0]), boost::json::parse(R"({"type":"pong","id":7})"));
}

TEST_F(WebSocketApiTest, UnknownTypeIsAnErrorAndTheConnectionStays) {
  Deliver(R"({"type":"dance"})");
  ASSERT_EQ(sender_->sent.size(), 1u);
  const auto reply = boost::json::parse(sender_->sent[0]);
  EXPECT_EQ(reply.at("type").as_string(), "error");
  EXPECT_EQ(reply.at("code").as_string(), "unknown_type");
  EXPECT_TRUE(sender_->closed.empty());
}

TEST_F(WebSocketApiTest, MessageWithoutTypeIsInvalid) {
  Deliver(R"([1,2,3])");
  Deliver(R"({"type":5})");
  ASSERT_EQ(sender_->sent.size(), 2u);
  for (const auto& text : sender_->sent) {
    EXPECT_EQ(boost::json::parse(text).at("code").as_string(), "invalid_message");
  }
}

TEST_F(WebSocketApiTest, UnparseableJsonClosesWith1007) {
  Deliver("{not json");
  ASSERT_EQ(sender_->closed.size(), 1u);
  EXPECT_EQ(sender_->closed[0].code, server::CloseCode::kInvalidPayload);
  EXPECT_TRUE(sender_->sent.empty());
}

}  // namespace
}  // namespace salesboost::api
