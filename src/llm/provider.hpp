// Provider: one configured LLM endpoint with its resilience around every
// call: a circuit breaker, a bound on calls in flight, retries with backoff
// for retryable errors (never once text was streamed), a deadline, and
// metrics (calls by outcome, time to first token as the provider delivers it,
// tokens per second, tokens and cost, breaker state). ProviderSet owns them
// by name. Provider is the ChatProvider the agents and the knowledge base use.
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/readiness.hpp"
#include "llm/chat_provider.hpp"
#include "llm/openai_client.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/retry.hpp"

namespace salesboost::llm {

struct ProviderConfig {
  std::string name;
  EndpointOptions endpoint;
  std::size_t max_concurrency = 64;
  double cost_input_per_1k = 0;
  double cost_output_per_1k = 0;
  resilience::BreakerOptions breaker;
  resilience::RetryOptions retry;
};

class ProviderMetrics;

class Provider final : public ChatProvider {
 public:
  Provider(ProviderConfig config, net::HttpClient& http, const core::Clock& clock, ProviderMetrics& metrics,
           core::Logger logger);
  ~Provider();
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  const std::string& Name() const override { return config_.name; }
  resilience::CircuitBreaker& Breaker() { return breaker_; }

  // A streamed chat completion; retried while nothing was streamed. A call
  // the breaker refuses fails at once with kUnavailable, one that finds no
  // free slot before `deadline` with kResourceExhausted.
  boost::asio::awaitable<CallResult<ChatResult>> Stream(const ChatRequest& request, TokenSink& sink,
                                                        std::chrono::steady_clock::time_point deadline) override;
  // Embeddings of `inputs` (one vector each, in order), under the same breaker, slots and retries.
  boost::asio::awaitable<CallResult<std::vector<std::vector<float>>>> Embed(
      const std::vector<std::string>& inputs, std::chrono::steady_clock::time_point deadline) override;
  const std::string& Model() const override { return config_.endpoint.model; }
  // A rotated API key for calls from now on; true when it changed.
  bool SetApiKey(std::string api_key) { return client_.SetApiKey(std::move(api_key)); }

 private:
  class Slots;
  // One call with the breaker, a slot, the outcome recorded, and retries.
  template <typename T, typename Call, typename OnSuccess>
  boost::asio::awaitable<CallResult<T>> Guarded(std::chrono::steady_clock::time_point deadline, Call call,
                                                OnSuccess on_success);

  ProviderConfig config_;
  OpenAiClient client_;
  ProviderMetrics& metrics_;
  core::Logger logger_;
  resilience::CircuitBreaker breaker_;
  std::unique_ptr<Slots> slots_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
};

class ProviderSet {
 public:
  ProviderSet(std::vector<ProviderConfig> configs, net::HttpClientOptions http_options, const core::Clock& clock,
              core::MetricsRegistry& metrics, const core::Logger& logger);
  ~ProviderSet();

  // Closes pooled connections; call once the I/O contexts have stopped and
  // before they are destroyed (the connections belong to them).
  void CloseIdle();

  Provider* Find(const std::string& name);
  // The client the providers share (TLS, pooled connections), for other outbound services such as Qdrant;
  // CloseIdle closes their connections too.
  net::HttpClient& Http() { return http_; }
  bool Empty() const { return providers_.empty(); }
  // The providers' breaker states for /readyz: always ready (the offline
  // engine answers when every provider is down); the detail names each state.
  std::unique_ptr<core::ReadinessProbe> MakeProbe();

 private:
  std::unique_ptr<ProviderMetrics> metrics_;
  net::HttpClient http_;
  std::map<std::string, std::unique_ptr<Provider>> providers_;
};

}  // namespace salesboost::llm
