#include "infra/qdrant/qdrant_vector_store.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <span>

#include "infra/qdrant/qdrant_protocol.hpp"

namespace salesboost::infra {
namespace {

namespace asio = boost::asio;
using resilience::CallOutcome;
using Clock = std::chrono::steady_clock;

core::ErrorCode CodeOfStatus(int status) {
  if (status == 404) return core::ErrorCode::kNotFound;
  if (status == 429 || status >= 500) return core::ErrorCode::kUnavailable;
  return core::ErrorCode::kInvalidArgument;
}

}  // namespace

QdrantVectorStore::QdrantVectorStore(QdrantOptions options, net::HttpClient& http, const core::Clock& clock,
                                     core::Logger logger, core::MetricsRegistry* metrics)
    : options_(std::move(options)),
      http_(http),
      logger_(std::move(logger)),
      requests_(metrics == nullptr ? nullptr
                                   : &metrics->AddCounter("salesboost_knowledge_qdrant_requests_total",
                                                          "Qdrant calls by operation and outcome (after retries)",
                                                          {"operation", "outcome"})),
      breaker_state_(metrics == nullptr ? nullptr
                                        : &metrics->AddGauge("salesboost_knowledge_qdrant_breaker_state",
                                                             "Qdrant circuit breaker: 0 closed, 1 open, 2 half open")),
      breaker_("qdrant", options_.breaker, clock,
               [this](resilience::BreakerState from, resilience::BreakerState to) {
                 if (breaker_state_ != nullptr) breaker_state_->Get().Set(static_cast<std::int64_t>(to));
                 logger_.Warn("breaker_transition", {{"service", std::string("qdrant")},
                                                     {"from", std::string(resilience::BreakerStateName(from))},
                                                     {"to", std::string(resilience::BreakerStateName(to))}});
               }),
      random_(std::random_device{}()) {
  if (breaker_state_ != nullptr) breaker_state_->Get().Set(0);
}

void QdrantVectorStore::Count(std::string_view operation, std::string_view outcome) {
  if (requests_ != nullptr) requests_->With({operation, outcome}).Inc();
}

asio::awaitable<core::Result<std::string>> QdrantVectorStore::Call(std::string_view operation, std::string_view method,
                                                                   std::string path, std::string body,
                                                                   std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout * options_.retry.max_attempts;
  for (int attempt = 1;; ++attempt) {
    if (!breaker_.TryAcquire()) {
      Count(operation, "rejected");
      co_return core::Fail(core::ErrorCode::kUnavailable, "qdrant: circuit open, next probe in " +
                                                              std::to_string(breaker_.RetryAfter().count()) + " ms");
    }
    net::HttpRequest request{.method = std::string(method),
                             .url = options_.url + path,
                             .headers = {{"content-type", "application/json"}},
                             .body = body,
                             .connect_timeout = std::min(timeout, std::chrono::milliseconds(5000)),
                             .first_byte_timeout = timeout,
                             .idle_timeout = timeout,
                             .total_timeout = timeout};
    if (!options_.api_key.empty()) request.headers.emplace_back("api-key", options_.api_key);
    const auto start = Clock::now();
    auto response = co_await http_.Fetch(std::move(request));
    const auto elapsed = Clock::now() - start;
    core::Error error;
    if (response && response->status >= 200 && response->status < 300) {
      breaker_.Record(CallOutcome::kSuccess, elapsed);
      Count(operation, "ok");
      co_return std::move(response->body);
    }
    if (response) {
      error = {CodeOfStatus(response->status),
               "qdrant: HTTP " + std::to_string(response->status) + ": " + qdrant::ErrorMessage(response->body)};
      // A 404 or a rejected request is our question's fault, not the server's health.
      breaker_.Record(core::IsRetryable(error.code) ? CallOutcome::kFailure : CallOutcome::kIgnored, elapsed);
    } else {
      error = response.error();
      error.message = "qdrant: " + error.message;
      breaker_.Record(CallOutcome::kFailure, elapsed);
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::optional<std::chrono::milliseconds> delay;
    {
      std::lock_guard lock(random_mutex_);
      delay = resilience::NextDelay(
          options_.retry,
          {.attempt = attempt, .code = error.code, .retry_after = std::nullopt, .time_left = left, .streamed = false},
          random_);
    }
    if (!delay) {
      Count(operation, core::ErrorCodeName(error.code));
      co_return core::Fail(std::move(error));
    }
    logger_.Info("qdrant_retry", {{"path", path}, {"attempt", attempt}, {"error", error.message}});
    asio::steady_timer timer(co_await asio::this_coro::executor, *delay);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<core::Result<bool>> QdrantVectorStore::Prepare(std::size_t dimensions) {
  const std::string path = "/collections/" + options_.collection;
  std::string none;
  auto existing = co_await Call("prepare", "GET", path, std::move(none), options_.write_timeout);
  if (existing) {
    auto size = qdrant::ParseDenseSize(*existing);
    if (!size) co_return core::Fail(size.error());
    if (*size != dimensions) {
      co_return core::Fail(core::ErrorCode::kFailedPrecondition,
                           "qdrant: collection " + options_.collection + " has dense vectors of " +
                               std::to_string(*size) + " values, the embeddings have " + std::to_string(dimensions));
    }
    co_return false;
  }
  if (existing.error().code != core::ErrorCode::kNotFound) co_return core::Fail(existing.error());
  auto create = qdrant::CreateCollectionBody(dimensions);
  auto created = co_await Call("prepare", "PUT", path, std::move(create), options_.write_timeout);
  if (!created) co_return core::Fail(created.error());
  for (auto& index : qdrant::PayloadIndexBodies()) {
    auto index_path = path + "/index?wait=true";
    auto indexed = co_await Call("prepare", "PUT", std::move(index_path), std::move(index), options_.write_timeout);
    if (!indexed) co_return core::Fail(indexed.error());
  }
  logger_.Info("qdrant_collection_created",
               {{"collection", options_.collection}, {"dimensions", static_cast<std::int64_t>(dimensions)}});
  co_return true;
}

asio::awaitable<core::Result<void>> QdrantVectorStore::Upsert(std::vector<knowledge::VectorPoint> points) {
  const std::string path = "/collections/" + options_.collection + "/points?wait=true";
  const std::size_t batch = std::max<std::size_t>(options_.batch_size, 1);
  for (std::size_t begin = 0; begin < points.size(); begin += batch) {
    const auto count = std::min(batch, points.size() - begin);
    auto body = qdrant::UpsertBody(std::span<const knowledge::VectorPoint>(points).subspan(begin, count));
    auto written = co_await Call("upsert", "PUT", path, std::move(body), options_.write_timeout);
    if (!written) co_return core::Fail(written.error());
  }
  co_return core::Ok();
}

asio::awaitable<core::Result<void>> QdrantVectorStore::UpdateLexical(std::vector<knowledge::VectorPoint> points) {
  // A point without terms keeps no lexical vector to replace.
  std::erase_if(points, [](const knowledge::VectorPoint& p) { return p.sparse.indices.empty(); });
  const std::string path = "/collections/" + options_.collection + "/points/vectors?wait=true";
  const std::size_t batch = std::max<std::size_t>(options_.batch_size, 1);
  for (std::size_t begin = 0; begin < points.size(); begin += batch) {
    const auto count = std::min(batch, points.size() - begin);
    auto body = qdrant::UpdateLexicalBody(std::span<const knowledge::VectorPoint>(points).subspan(begin, count));
    auto written = co_await Call("update_lexical", "PUT", path, std::move(body), options_.write_timeout);
    if (!written) co_return core::Fail(written.error());
  }
  co_return core::Ok();
}

asio::awaitable<core::Result<void>> QdrantVectorStore::DeleteDocument(std::string tenant_id, std::string document_id) {
  const std::string path = "/collections/" + options_.collection + "/points/delete?wait=true";
  auto body = qdrant::DeleteDocumentBody(tenant_id, document_id);
  auto deleted = co_await Call("delete", "POST", path, std::move(body), options_.write_timeout);
  if (!deleted) co_return core::Fail(deleted.error());
  co_return core::Ok();
}

asio::awaitable<core::Result<knowledge::RankedLists>> QdrantVectorStore::Query(knowledge::VectorQuery query) {
  if (!query.dense && query.sparse.indices.empty()) co_return knowledge::RankedLists{};
  const std::string path = "/collections/" + options_.collection + "/points/query/batch";
  auto body = qdrant::QueryBatchBody(query);
  auto answer = co_await Call("query", "POST", path, std::move(body), options_.timeout);
  if (!answer) co_return core::Fail(answer.error());
  co_return qdrant::ParseQueryBatch(*answer, query);
}

}  // namespace salesboost::infra
