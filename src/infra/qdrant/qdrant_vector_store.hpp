// QdrantVectorStore: the knowledge::VectorStore port on Qdrant's REST API.
// One collection holds every tenant's points; each request filters on the
// tenant_id payload field (keyword index, is_tenant), Qdrant's multitenancy
// pattern. A search is one POST .../points/query/batch with the dense and the
// lexical search, whose two lists the caller fuses.
//
// Each exchange has its own timeout and goes through a circuit breaker; a
// failed exchange whose error may pass (connection lost, timeout, 429, 5xx)
// is tried again after a backoff, and a refused or failed call returns
// kUnavailable / kDeadlineExceeded at once. Upserts go in batches of
// `batch_size` points with ?wait=true; a batch that still fails ends the call
// (batches written before it stay: writing them again replaces them).
// Metrics (with a registry): salesboost_knowledge_qdrant_requests_total
// {operation, outcome} and salesboost_knowledge_qdrant_breaker_state.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "knowledge/index/vector_store.hpp"
#include "net/http_client.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/retry.hpp"

namespace salesboost::infra {

struct QdrantOptions {
  std::string url = "http://127.0.0.1:6333";        // scheme://host:port, no trailing slash
  std::string api_key;                              // the resolved secret, sent as `api-key`; empty: none
  std::string collection = "salesboost_knowledge";  // one collection for every tenant
  std::chrono::milliseconds timeout{2000};          // one search exchange
  std::chrono::milliseconds write_timeout{10000};   // one upsert batch, delete or collection change
  std::size_t batch_size = 128;                     // points per upsert request
  resilience::RetryOptions retry{
      .max_attempts = 3, .base_delay = std::chrono::milliseconds(100), .max_delay = std::chrono::milliseconds(1000)};
  resilience::BreakerOptions breaker{};
};

class QdrantVectorStore final : public knowledge::VectorStore {
 public:
  // `http`, `clock` and `metrics` (null: none kept) outlive the store.
  QdrantVectorStore(QdrantOptions options, net::HttpClient& http, const core::Clock& clock, core::Logger logger,
                    core::MetricsRegistry* metrics = nullptr);

  boost::asio::awaitable<core::Result<bool>> Prepare(std::size_t dimensions) override;
  boost::asio::awaitable<core::Result<void>> Upsert(std::vector<knowledge::VectorPoint> points) override;
  boost::asio::awaitable<core::Result<void>> UpdateLexical(std::vector<knowledge::VectorPoint> points) override;
  boost::asio::awaitable<core::Result<void>> DeleteDocument(std::string tenant_id, std::string document_id) override;
  boost::asio::awaitable<core::Result<knowledge::RankedLists>> Query(knowledge::VectorQuery query) override;

  resilience::BreakerState BreakerState() const { return breaker_.State(); }

 private:
  // One exchange with retries: the body of a 2xx answer; kNotFound for 404. `method` and `operation` (the
  // metric's label) are literals.
  boost::asio::awaitable<core::Result<std::string>> Call(std::string_view operation, std::string_view method,
                                                         std::string path, std::string body,
                                                         std::chrono::milliseconds timeout);
  void Count(std::string_view operation, std::string_view outcome);

  QdrantOptions options_;
  net::HttpClient& http_;
  core::Logger logger_;
  core::Family<core::Counter>* requests_ = nullptr;
  core::Family<core::Gauge>* breaker_state_ = nullptr;
  resilience::CircuitBreaker breaker_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
};

}  // namespace salesboost::infra
