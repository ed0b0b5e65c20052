// The OpenAI-compatible client and the HTTP client under it, against
// tools/mock-llm: streaming, every injected failure, cancellation, pooling, TLS.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/run_sync.hpp"
#include "llm/openai_client.hpp"
#include "net/http_client.hpp"
#include "support/server_process.hpp"

namespace salesboost::llm {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

class RecordingSink final : public TokenSink {
 public:
  asio::awaitable<bool> Token(std::string text) override {
    tokens.push_back(std::move(text));
    at.push_back(Clock::now());
    co_return true;
  }
  std::vector<std::string> tokens;
  std::vector<Clock::time_point> at;
};

net::HttpRequest Get(std::string url) {
  net::HttpRequest request;
  request.method = "GET";
  request.url = std::move(url);
  return request;
}

ChatRequest Hello() {
  ChatRequest request;
  request.messages.push_back(ChatMessage{.role = "system", .content = "You are a customer.", .image_urls = {}});
  request.messages.push_back(ChatMessage{.role = "user", .content = "Hello", .image_urls = {}});
  return request;
}

class LlmClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mock_ =
        testing::MockLlmProcess::Start(R"({"ttft_ms": 60, "tokens_per_second": 40, "reply": "one two three four"})");
  }
  EndpointOptions Endpoint() const {
    return EndpointOptions{.base_url = mock_->BaseUrl(),
                           .model = "mock-chat",
                           .api_key = "",
                           .first_token_timeout = 5000ms,
                           .idle_timeout = 5000ms,
                           .total_timeout = 20000ms};
  }

  std::unique_ptr<testing::MockLlmProcess> mock_;
  asio::io_context io_;
  net::HttpClient http_;
};

TEST_F(LlmClientTest, StreamsTokensAsTheyArriveWithUsage) {
  OpenAiClient client(http_, Endpoint());
  RecordingSink sink;
  const auto start = Clock::now();
  auto result = core::RunOn(io_, client.Stream(Hello(), sink));
  ASSERT_TRUE(result) << result.error().error.message;
  const std::vector<std::string> expected{"one ", "two ", "three ", "four"};
  EXPECT_EQ(sink.tokens, expected);
  EXPECT_EQ(result->text, "one two three four");
  EXPECT_EQ(result->finish_reason, "stop");
  EXPECT_EQ(result->usage.completion_tokens, 4);
  EXPECT_GT(result->usage.prompt_tokens, 0);
  EXPECT_GE(result->first_token, 60ms);
  // Handed on as they came (25 ms apart at 40 tokens/s), not after the whole reply.
  EXPECT_GE(sink.at.back() - sink.at.front(), 60ms);
  EXPECT_LT(sink.at.front() - start, sink.at.back() - start);
  const auto last = mock_->Stats().at("last_chat_request").as_object();
  EXPECT_EQ(last.at("model"), "mock-chat");
  EXPECT_EQ(last.at("stream"), true);
  EXPECT_EQ(last.at("messages").as_array().size(), 2U);
}

TEST_F(LlmClientTest, CompletesWholeAndReusesTheConnection) {
  OpenAiClient client(http_, Endpoint());
  auto first = core::RunOn(io_, client.Complete(Hello()));
  ASSERT_TRUE(first) << first.error().error.message;
  EXPECT_EQ(first->text, "one two three four");
  EXPECT_EQ(first->usage.completion_tokens, 4);
  auto second = core::RunOn(io_, client.Complete(Hello()));
  ASSERT_TRUE(second);
  const auto stats = http_.PoolStats();
  EXPECT_EQ(stats.connections_opened, 1U);
  EXPECT_EQ(stats.connections_reused, 1U);
}

TEST_F(LlmClientTest, StatusErrorsMapToCodesAndRateLimitsCarryRetryAfter) {
  OpenAiClient client(http_, Endpoint());
  RecordingSink sink;
  mock_->Configure(R"({"faults": [{"kind": "status", "status": 503, "message": "overloaded"},
                                  {"kind": "rate_limit", "retry_after_s": 2},
                                  {"kind": "status", "status": 400}]})");
  auto unavailable = core::RunOn(io_, client.Stream(Hello(), sink));
  ASSERT_FALSE(unavailable);
  EXPECT_EQ(unavailable.error().error.code, core::ErrorCode::kUnavailable);
  EXPECT_NE(unavailable.error().error.message.find("overloaded"), std::string::npos);
  EXPECT_FALSE(unavailable.error().streamed);
  auto limited = core::RunOn(io_, client.Stream(Hello(), sink));
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(limited.error().retry_after, 2000ms);
  auto invalid = core::RunOn(io_, client.Complete(Hello()));
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(sink.tokens.empty());
  mock_->Configure(R"({"api_key": "right"})");
  auto unauthenticated = core::RunOn(io_, client.Complete(Hello()));
  ASSERT_FALSE(unauthenticated);
  EXPECT_EQ(unauthenticated.error().error.code, core::ErrorCode::kUnauthenticated);
  auto endpoint = Endpoint();
  endpoint.api_key = "right";
  OpenAiClient keyed(http_, endpoint);
  EXPECT_TRUE(core::RunOn(io_, keyed.Complete(Hello())));
  // A rotated key: the next call carries it, no new client needed.
  mock_->Configure(R"({"api_key": "rotated"})");
  EXPECT_FALSE(core::RunOn(io_, keyed.Complete(Hello())));
  EXPECT_FALSE(keyed.SetApiKey("right"));
  EXPECT_TRUE(keyed.SetApiKey("rotated"));
  EXPECT_TRUE(core::RunOn(io_, keyed.Complete(Hello())));
}

TEST_F(LlmClientTest, MidStreamFailuresAreErrorsThatSayTextWasStreamed) {
  auto endpoint = Endpoint();
  endpoint.idle_timeout = 300ms;
  OpenAiClient client(http_, endpoint);
  mock_->Configure(R"({"faults": [{"kind": "malformed", "after_tokens": 2},
                                  {"kind": "error_event", "after_tokens": 1, "message": "model crashed"},
                                  {"kind": "disconnect", "after_tokens": 3},
                                  {"kind": "stall", "after_tokens": 1, "stall_ms": 5000}]})");
  struct Case {
    const char* name;
    core::ErrorCode code;
    std::size_t tokens;
  };
  const std::vector<Case> cases{{"malformed", core::ErrorCode::kUnavailable, 2},
                                {"error event", core::ErrorCode::kUnavailable, 1},
                                {"disconnect", core::ErrorCode::kUnavailable, 3},
                                {"stall", core::ErrorCode::kDeadlineExceeded, 1}};
  for (const auto& c : cases) {
    RecordingSink sink;
    auto result = core::RunOn(io_, client.Stream(Hello(), sink));
    ASSERT_FALSE(result) << c.name;
    EXPECT_EQ(result.error().error.code, c.code) << c.name << ": " << result.error().error.message;
    EXPECT_TRUE(result.error().streamed) << c.name;
    EXPECT_EQ(sink.tokens.size(), c.tokens) << c.name;
  }
  RecordingSink sink;
  auto healthy = core::RunOn(io_, client.Stream(Hello(), sink));
  ASSERT_TRUE(healthy) << "a broken stream's connection is not reused: " << healthy.error().error.message;
}

TEST_F(LlmClientTest, FirstTokenTimeoutAndTotalTimeout) {
  auto endpoint = Endpoint();
  endpoint.first_token_timeout = 200ms;
  OpenAiClient client(http_, endpoint);
  mock_->Configure(R"({"ttft_ms": 1000})");
  auto slow = core::RunOn(io_, client.Complete(Hello()));
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().error.code, core::ErrorCode::kDeadlineExceeded);
  endpoint = Endpoint();
  endpoint.total_timeout = 300ms;
  OpenAiClient bounded(http_, endpoint);
  mock_->Configure(R"({"ttft_ms": 10, "tokens_per_second": 10})");
  RecordingSink sink;
  auto cut = core::RunOn(io_, bounded.Stream(Hello(), sink));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().error.code, core::ErrorCode::kDeadlineExceeded);
  EXPECT_NE(cut.error().error.message.find("total"), std::string::npos) << cut.error().error.message;
}

TEST_F(LlmClientTest, CancellingTheCallClosesTheUpstreamRequest) {
  OpenAiClient client(http_, Endpoint());
  mock_->Configure(R"({"tokens_per_second": 5})");
  RecordingSink sink;
  const auto request = Hello();
  auto cancelled = core::RunOn(io_, [&]() -> asio::awaitable<bool> {
    asio::steady_timer timer(co_await asio::this_coro::executor, 400ms);
    auto race = client.Stream(request, sink) || timer.async_wait(asio::use_awaitable);
    auto winner = co_await std::move(race);
    co_return winner.index() == 1;
  }());
  EXPECT_TRUE(cancelled);
  EXPECT_FALSE(sink.tokens.empty());
  for (int i = 0; i < 100 && mock_->Counter("chat_cancelled") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(mock_->Counter("chat_cancelled"), 1);
  EXPECT_EQ(mock_->Counter("chat_completed"), 0);
}

TEST_F(LlmClientTest, EmbeddingsAreUnitVectorsInInputOrder) {
  OpenAiClient client(http_, Endpoint());
  const std::vector<std::string> inputs{"annual fee", "年费多少", "annual fee"};
  auto vectors = core::RunOn(io_, client.Embed(inputs));
  ASSERT_TRUE(vectors) << vectors.error().error.message;
  ASSERT_EQ(vectors->size(), 3U);
  EXPECT_EQ((*vectors)[0].size(), 1024U);
  EXPECT_EQ((*vectors)[0], (*vectors)[2]);
  EXPECT_NE((*vectors)[0], (*vectors)[1]);
  double norm = 0;
  for (float x : (*vectors)[1]) norm += static_cast<double>(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-4);
}

TEST(HttpClientTest, BadUrlsAndRefusedConnections) {
  asio::io_context io_;
  net::HttpClient http;
  auto bad = core::RunOn(io_, http.Fetch(Get("ftp://example.com/x")));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  auto refused = core::RunOn(io_, http.Fetch(Get("http://127.0.0.1:1/")));  // nothing listens on port 1
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnavailable);
}

TEST(HttpClientTest, RetryAfterAsSecondsOrDate) {
  EXPECT_EQ(net::ParseRetryAfter("2"), 2000ms);
  EXPECT_EQ(net::ParseRetryAfter(" 0.5 "), 500ms);
  EXPECT_FALSE(net::ParseRetryAfter("soon"));
  EXPECT_FALSE(net::ParseRetryAfter("-1"));
  EXPECT_EQ(net::ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), 0ms) << "a date in the past: now";
}

// A private CA and a certificate for 127.0.0.1 made with the openssl command.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto d = dir_.path().string();
    const std::string script =
        "set -e; cd '" + d +
        "'; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca "
        "2>/dev/null; openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 "
        "2>/dev/null; printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf; openssl x509 -req -in server.csr -CA ca.pem "
        "-CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null";
    ASSERT_EQ(std::system(script.c_str()), 0) << "openssl could not make the test certificates";
    mock_ = testing::MockLlmProcess::Start(R"({"ttft_ms": 0, "reply": "secure"})",
                                           {"--tls-cert", d + "/server.pem", "--tls-key", d + "/server.key"});
  }
  std::string Url(std::string_view host) const {
    return "https://" + std::string(host) + ":" + std::to_string(mock_->port()) + "/v1/chat/completions";
  }
  net::HttpRequest Request(std::string_view host) const {
    auto request = Get(Url(host));
    request.method = "POST";
    request.body = R"({"messages": []})";
    return request;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::MockLlmProcess> mock_;
  asio::io_context io_;
};

TEST_F(TlsTest, VerifiesTheCertificateAgainstTrustedCasAndTheHostName) {
  net::HttpClient trusting(net::HttpClientOptions{.extra_ca_file = (dir_.path() / "ca.pem").string()});
  auto ok = core::RunOn(io_, trusting.Fetch(Request("127.0.0.1")));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  EXPECT_NE(ok->body.find("secure"), std::string::npos);

  net::HttpClient system_cas;
  auto unknown_ca = core::RunOn(io_, system_cas.Fetch(Request("127.0.0.1")));
  ASSERT_FALSE(unknown_ca);
  EXPECT_EQ(unknown_ca.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(unknown_ca.error().message.find("verification failed"), std::string::npos) << unknown_ca.error().message;

  auto wrong_name = core::RunOn(io_, trusting.Fetch(Request("localhost")));
  ASSERT_FALSE(wrong_name);
  EXPECT_EQ(wrong_name.error().code, core::ErrorCode::kFailedPrecondition) << wrong_name.error().message;
  auto stats_request = Request("127.0.0.1");
  stats_request.method = "GET";
  stats_request.url = "https://127.0.0.1:" + std::to_string(mock_->port()) + "/_mock/stats";
  // The server notices a refused handshake a moment after the client gives up.
  std::string body;
  for (int i = 0; i < 100 && body.find("\"tls_handshake_failures\":2") == std::string::npos; ++i) {
    if (i > 0) std::this_thread::sleep_for(20ms);
    auto stats = core::RunOn(io_, trusting.Fetch(stats_request));
    ASSERT_TRUE(stats);
    body = stats->body;
  }
  EXPECT_NE(body.find("\"tls_handshake_failures\":2"), std::string::npos) << body;
}

}  // namespace
}  // namespace salesboost::llm
