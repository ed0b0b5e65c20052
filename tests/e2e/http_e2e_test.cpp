// The real server over HTTP: operational endpoints, error envelopes, limits,
// malformed input and graceful shutdown.
#include <gtest/gtest.h>

#include <signal.h>
#include <thread>

#include <boost/json/parse.hpp>

#include <sstream>

#include "storage/migration.hpp"
#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
using testing::MetricValue;
using testing::ServerProcess;

boost::json::value Json(const std::string& body) { return boost::json::parse(body); }

class HttpE2e : public testing::SharedServerTest<HttpE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "server.body_limit_bytes=4096", "--set", "server.header_limit_bytes=2048"};
  }
};

TEST_F(HttpE2e, HealthzIsAlive) {
  auto reply = Fetch(server().endpoint(), "GET", "/healthz");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(Json(reply->body).at("status").as_string(), "ok");
}

TEST_F(HttpE2e, ReadyzReportsTheMigratedStore) {
  auto reply = Fetch(server().endpoint(), "GET", "/readyz");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200) << reply->body;
  const auto body = Json(reply->body);
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("checks").at("store").at("ready").as_bool(), true);
  const auto latest = std::to_string(storage::BuiltinMigrations().back().version);
  EXPECT_EQ(body.at("checks").at("store").at("detail").as_string(),
            "sqlite schema version " + latest + " of " + latest);
}

TEST_F(HttpE2e, VersionEndpointDescribesTheBuild) {
  auto reply = Fetch(server().endpoint(), "GET", "/api/v1/version");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(Json(reply->body).at("name").as_string(), "salesboost");
}

TEST_F(HttpE2e, MetricsCountRequestsByRouteAndStatus) {
  ASSERT_TRUE(Fetch(server().endpoint(), "GET", "/healthz"));
  ASSERT_TRUE(Fetch(server().endpoint(), "GET", "/definitely/not/here"));
  // A request is counted once its response is written, which may be just
  // after the client has read it: poll briefly.
  const std::string unmatched = R"(salesboost_http_requests_total{method="GET",route="unmatched",status="404"})";
  const std::string healthz = R"(salesboost_http_requests_total{method="GET",route="/healthz",status="200"})";
  auto reply = Fetch(server().endpoint(), "GET", "/metrics");
  for (int i = 0; i < 50 && reply && !(MetricValue(reply->body, unmatched) && MetricValue(reply->body, healthz)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    reply = Fetch(server().endpoint(), "GET", "/metrics");
  }
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = reply->body;
  EXPECT_GE(MetricValue(text, healthz).value_or(0), 1);
  EXPECT_GE(MetricValue(text, unmatched).value_or(0), 1);
  EXPECT_TRUE(MetricValue(text, R"(salesboost_http_request_duration_seconds_count{route="/healthz"})").has_value());
  EXPECT_GE(MetricValue(text, "salesboost_http_open_connections").value_or(0), 1);  // this request's own
  EXPECT_TRUE(MetricValue(text, "salesboost_ws_open_connections").has_value());
  EXPECT_NE(text.find("salesboost_build_info{version=\""), std::string::npos);
}

TEST_F(HttpE2e, UnknownRouteGetsTheEnvelopeWithTheRequestId) {
  auto reply = Fetch(server().endpoint(), "GET", "/nope", "", {{"X-Request-Id", "trace-123"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(reply->Header("x-request-id"), "trace-123");
  const auto error = Json(reply->body).at("error");
  EXPECT_EQ(error.at("code").as_string(), "not_found");
  EXPECT_EQ(error.at("request_id").as_string(), "trace-123");
  EXPECT_EQ(error.at("message").as_string(), "no route for GET /nope");
}

TEST_F(HttpE2e, HostileRequestIdIsReplaced) {
  auto reply = Fetch(server().endpoint(), "GET", "/healthz", "", {{"X-Request-Id", "bad id\"{}"}});
  ASSERT_TRUE(reply);
  const auto id = reply->Header("x-request-id").value_or("");
  EXPECT_EQ(id.size(), 32u) << id;
}

TEST_F(HttpE2e, WrongMethodIs405WithAllow) {
  auto reply = Fetch(server().endpoint(), "DELETE", "/healthz");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->Header("allow"), "GET");
  EXPECT_EQ(Json(reply->body).at("error").at("code").as_string(), "method_not_allowed");
}

TEST_F(HttpE2e, OversizedBodyIs413) {
  auto reply = Fetch(server().endpoint(), "POST", "/api/v1/version", std::string(std::size_t{64} * 1024, 'x'));
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(Json(reply->body).at("error").at("code").as_string(), "payload_too_large");
}

TEST_F(HttpE2e, OversizedChunkedBodyIs413) {
  std::string request = "POST /api/v1/version HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 8; ++i) request += "400\r\n" + std::string(1024, 'y') + "\r\n";
  request += "0\r\n\r\n";
  auto raw = client::RawExchange(server().endpoint(), request);
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->rfind("HTTP/1.1 413", 0), 0u) << *raw;
}

TEST_F(HttpE2e, OversizedHeadersAre431) {
  auto reply = Fetch(server().endpoint(), "GET", "/healthz", "", {{"X-Padding", std::string(4096, 'p')}});
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 431);
  EXPECT_EQ(Json(reply->body).at("error").at("code").as_string(), "header_too_large");
}

TEST_F(HttpE2e, MalformedRequestsGet400AndTheServerStaysUp) {
  const std::vector<std::string> garbage_requests = {
      "GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
      std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n"};  // a TLS hello
  for (const auto& garbage : garbage_requests) {
    auto raw = client::RawExchange(server().endpoint(), garbage);
    ASSERT_TRUE(raw) << raw.error().message;
    EXPECT_EQ(raw->rfind("HTTP/1.1 400", 0), 0u) << *raw;
    EXPECT_NE(raw->find("\"code\":\"bad_request\""), std::string::npos) << *raw;
  }
  auto reply = Fetch(server().endpoint(), "GET", "/healthz");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST_F(HttpE2e, MalformedTargetIs400) {
  auto raw = client::RawExchange(server().endpoint(), "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->rfind("HTTP/1.1 400", 0), 0u) << *raw;
}

TEST_F(HttpE2e, KeepAliveServesPipelinedRequestsInOrder) {
  auto raw = client::RawExchange(server().endpoint(),
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(raw);
  const auto first = raw->find("HTTP/1.1 200");
  const auto second = raw->find("HTTP/1.1 404");
  ASSERT_NE(first, std::string::npos) << *raw;
  ASSERT_NE(second, std::string::npos) << *raw;
  EXPECT_LT(first, second);
}

TEST_F(HttpE2e, PlainGetOnWebSocketPathAsksForUpgrade) {
  auto reply = Fetch(server().endpoint(), "GET", "/ws");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 426);
}

TEST(HttpE2eMetricsToken, MetricsRequireTheBearerTokenWhenConfigured) {
  auto server = ServerProcess::Start({"--set", "server.metrics_token=secret:metrics/token"},
                                     {{"SALESBOOST_SECRET_METRICS_TOKEN", "tok-42"}});
  auto anonymous = Fetch(server->endpoint(), "GET", "/metrics");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto wrong = Fetch(server->endpoint(), "GET", "/metrics", "", {{"Authorization", "Bearer tok-41"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto right = Fetch(server->endpoint(), "GET", "/metrics", "", {{"Authorization", "Bearer tok-42"}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(server->Output().find("tok-42"), std::string::npos) << "a secret reached the logs";
}

TEST(HttpE2eShutdown, SigtermExitsZeroWithinTheDeadline) {
  auto server = ServerProcess::Start({"--set", "server.shutdown_deadline_ms=3000"});
  ASSERT_TRUE(Fetch(server->endpoint(), "GET", "/healthz"));
  const auto start = std::chrono::steady_clock::now();
  server->Signal(SIGTERM);
  const auto code = server->WaitExit(std::chrono::seconds(10));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(code.has_value()) << "still running 10 s after SIGTERM\n" << server->Output();
  EXPECT_EQ(*code, 0) << server->Output();
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
  EXPECT_NE(server->Output().find("\"msg\":\"shutdown_complete\",\"forced\":false"), std::string::npos)
      << server->Output();
}

TEST(HttpE2eShutdown, AccessLogIsJsonWithRequestIds) {
  auto server = ServerProcess::Start();
  ASSERT_TRUE(Fetch(server->endpoint(), "GET", "/healthz", "", {{"X-Request-Id", "log-check-1"}}));
  server->Signal(SIGTERM);
  ASSERT_EQ(server->WaitExit(std::chrono::seconds(10)), 0);
  std::istringstream lines(server->LogOutput());
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    const auto entry = boost::json::parse(line).as_object();  // every line is JSON
    EXPECT_TRUE(entry.contains("time") && entry.contains("level") && entry.contains("msg")) << line;
    if (entry.at("msg") == "http_request" && entry.at("request_id") == "log-check-1") {
      found = true;
      EXPECT_EQ(entry.at("status").as_int64(), 200);
      EXPECT_EQ(entry.at("route").as_string(), "/healthz");
    }
  }
  EXPECT_TRUE(found) << server->Output();
}

}  // namespace
}  // namespace salesboost
