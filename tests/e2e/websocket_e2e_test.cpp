// The real server over WebSocket: ping/pong at both levels, keep-alive,
// limits, invalid input, idle timeout, slow consumers and shutdown.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::WsClient;
using client::WsEvent;
using std::chrono::milliseconds;
using testing::MetricValue;
using testing::ServerProcess;

// Connects as the demo trainee (token in the query string).
std::unique_ptr<WsClient> Connect(const ServerProcess& server, const client::WsClientOptions& options = {}) {
  auto ws = WsClient::Connect(server.endpoint(), "/ws?access_token=" + server.DemoTraineeToken(), options);
  EXPECT_TRUE(ws) << ws.error().message;
  return ws ? std::move(*ws) : nullptr;
}

WsEvent ReadEvent(WsClient& ws, milliseconds timeout = milliseconds(5000)) {
  auto event = ws.Read(timeout);
  EXPECT_TRUE(event) << event.error().message;
  return event ? *event : WsEvent{.kind = WsEvent::Kind::kClosed, .data = {}, .close_code = 0, .close_reason = {}};
}

// Reads until the close arrives (messages before it are skipped).
WsEvent ReadClose(WsClient& ws, milliseconds timeout = milliseconds(5000)) {
  for (;;) {
    auto event = ws.Read(timeout);
    if (!event) {
      ADD_FAILURE() << event.error().message;
      return {};
    }
    if (event->kind == WsEvent::Kind::kClosed) return *event;
  }
}

double ServerMetric(const ServerProcess& server, const std::string& series) {
  auto reply = client::Fetch(server.endpoint(), "GET", "/metrics");
  EXPECT_TRUE(reply);
  return reply ? MetricValue(reply->body, series).value_or(0) : 0;
}

// Polls /metrics until `series` equals `expected` (the server updates gauges
// just after the client's side of an event completes) or 5 s pass.
double AwaitMetric(const ServerProcess& server, const std::string& series, double expected) {
  double value = ServerMetric(server, series);
  for (int i = 0; i < 250 && value != expected; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    value = ServerMetric(server, series);
  }
  return value;
}

class WebSocketE2e : public testing::SharedServerTest<WebSocketE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "websocket.max_message_bytes=4096", "--set", "websocket.ping_interval_ms=200"};
  }
};

TEST_F(WebSocketE2e, ApplicationPingGetsPong) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendText(R"({"type":"ping","id":"p1"})"));
  const auto event = ReadEvent(*ws);
  ASSERT_EQ(event.kind, WsEvent::Kind::kText);
  EXPECT_EQ(boost::json::parse(event.data), boost::json::parse(R"({"type":"pong","id":"p1"})"));
}

TEST_F(WebSocketE2e, ControlPingGetsControlPong) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->Ping("are-you-there"));
  EXPECT_TRUE(ws->AwaitPong(milliseconds(3000)));
}

TEST_F(WebSocketE2e, ServerSendsKeepAlivePingsAndAnsweredPingsKeepTheConnection) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  // Silent for five ping intervals: the server pings, the client's automatic pongs keep it open.
  auto quiet = ws->Read(milliseconds(1000));
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, core::ErrorCode::kDeadlineExceeded);
  EXPECT_GE(ws->PingsReceived(), 2);
  ASSERT_TRUE(ws->SendText(R"({"type":"ping"})"));
  EXPECT_EQ(ReadEvent(*ws).kind, WsEvent::Kind::kText);
}

TEST_F(WebSocketE2e, OversizedMessageClosesWith1009) {
  const double before = ServerMetric(server(), R"(salesboost_ws_server_closes_total{code="1009"})");
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  (void)ws->SendText(std::string(8192, 'x'));  // the server may close before the write ends
  const auto event = ReadClose(*ws);
  EXPECT_EQ(event.close_code, 1009) << event.close_reason;
  EXPECT_EQ(AwaitMetric(server(), R"(salesboost_ws_server_closes_total{code="1009"})", before + 1), before + 1);
}

TEST_F(WebSocketE2e, InvalidUtf8TextClosesWith1007) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendText("{\"type\":\"ping\",\"x\":\"\xC3\x28\"}"));
  EXPECT_EQ(ReadClose(*ws).close_code, 1007);
}

TEST_F(WebSocketE2e, InvalidJsonClosesWith1007) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendText("{\"type\": pi"));
  const auto event = ReadClose(*ws);
  EXPECT_EQ(event.close_code, 1007);
  EXPECT_EQ(event.close_reason, "message is not valid JSON");
}

TEST_F(WebSocketE2e, BinaryMessageClosesWith1003) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendBinary(std::string("\x00\x01\x02", 3)));
  EXPECT_EQ(ReadClose(*ws).close_code, 1003);
}

TEST_F(WebSocketE2e, MessageWithoutTypeIsAnError) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  const std::vector<std::string> bad_messages = {"[1,2]", R"({"type":5})"};
  for (const auto& bad : bad_messages) {
    ASSERT_TRUE(ws->SendText(bad));
    EXPECT_EQ(boost::json::parse(ReadEvent(*ws).data).at("code").as_string(), "invalid_message") << bad;
  }
}

TEST_F(WebSocketE2e, UnknownTypeIsAnErrorAndTheConnectionStays) {
  auto ws = Connect(server());
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendText(R"({"type":"teleport"})"));
  const auto error = boost::json::parse(ReadEvent(*ws).data);
  EXPECT_EQ(error.at("type").as_string(), "error");
  EXPECT_EQ(error.at("code").as_string(), "unknown_type");
  ASSERT_TRUE(ws->SendText(R"({"type":"ping"})"));
  EXPECT_EQ(boost::json::parse(ReadEvent(*ws).data).at("type").as_string(), "pong");
}

TEST(WebSocketE2eGauge, OpenConnectionsAreCounted) {
  auto server = ServerProcess::Start();  // its own server: no other test's sockets in the gauge
  auto a = Connect(*server);
  auto b = Connect(*server);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(AwaitMetric(*server, "salesboost_ws_open_connections", 2), 2);
  ASSERT_TRUE(a->Close(1000));
  EXPECT_EQ(AwaitMetric(*server, "salesboost_ws_open_connections", 1), 1);
}

TEST(WebSocketE2eIdle, SilentClientIsClosedWith4000) {
  auto server = ServerProcess::Start({"--set", "websocket.idle_timeout_ms=300"});
  auto ws = Connect(*server);
  ASSERT_TRUE(ws);
  const auto event = ReadClose(*ws, milliseconds(5000));
  EXPECT_EQ(event.close_code, 4000);
  EXPECT_EQ(event.close_reason, "idle timeout");
}

TEST(WebSocketE2eSlowConsumer, ClientThatDoesNotReadIsDisconnectedWith4001) {
  auto server = ServerProcess::Start(
      {"--set", "websocket.write_queue_max_messages=8", "--set", "websocket.socket_send_buffer_bytes=4096"});
  auto ws = Connect(
      *server, client::WsClientOptions{.headers = {}, .timeout = milliseconds(5000), .receive_buffer_bytes = 4096});
  ASSERT_TRUE(ws);
  // Every ping makes a pong the client never reads; sending fails once the server gives up on us.
  const std::string ping = R"({"type":"ping","id":"flood-flood-flood-flood-flood-flood"})";
  int sent = 0;
  while (sent < 200000 && ws->SendText(ping, milliseconds(3000))) ++sent;
  EXPECT_EQ(AwaitMetric(*server, R"(salesboost_ws_server_closes_total{code="4001"})", 1), 1) << "sent " << sent;
  EXPECT_LT(sent, 200000);
  EXPECT_EQ(AwaitMetric(*server, "salesboost_ws_open_connections", 0), 0);
}

TEST(WebSocketE2eShutdown, SigtermClosesSocketsWith1001AndExitsZero) {
  auto server = ServerProcess::Start({"--set", "server.shutdown_deadline_ms=5000"});
  auto ws = Connect(*server);
  ASSERT_TRUE(ws);
  ASSERT_TRUE(ws->SendText(R"({"type":"ping"})"));
  ASSERT_EQ(ReadEvent(*ws).kind, WsEvent::Kind::kText);
  server->Signal(SIGTERM);
  const auto event = ReadClose(*ws);
  EXPECT_EQ(event.close_code, 1001);
  EXPECT_EQ(server->WaitExit(milliseconds(5000)), 0) << server->Output();
  // After the drain, new connections are refused.
  EXPECT_FALSE(client::Fetch(server->endpoint(), "GET", "/healthz", "", {}, milliseconds(500)));
}

TEST(WebSocketE2eShutdown, UnresponsivePeerIsCutAtTheDeadline) {
  auto server = ServerProcess::Start({"--set", "server.shutdown_deadline_ms=500"});
  auto ws = Connect(*server);  // never reads, so it never answers the close handshake
  ASSERT_TRUE(ws);
  const auto start = std::chrono::steady_clock::now();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->WaitExit(milliseconds(5000)), 0) << server->Output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1500));
}

}  // namespace
}  // namespace salesboost
