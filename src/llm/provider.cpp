#include "llm/provider.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cmath>
#include <deque>
#include <utility>

namespace salesboost::llm {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
using resilience::BreakerState;
using resilience::CallOutcome;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::vector<double> RateBuckets() { return {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}; }

CallError Refused(core::ErrorCode code, std::string message) {
  return CallError{.error = core::Error{code, std::move(message)}, .retry_after = std::nullopt, .streamed = false};
}

}  // namespace

class ProviderMetrics {
 public:
  explicit ProviderMetrics(core::MetricsRegistry& registry)
      : calls(registry.AddCounter("salesboost_llm_calls_total",
                                  "Provider call attempts by outcome: ok, an error code, or rejected (breaker open)",
                                  {"provider", "outcome"})),
        retries(registry.AddCounter("salesboost_llm_retries_total", "Attempts repeated after a retryable error",
                                    {"provider"})),
        first_token(registry.AddHistogram("salesboost_llm_first_token_seconds",
                                          "Time from the request sent to the first text, as the provider delivers it",
                                          {"provider"}, core::DefaultLatencyBuckets())),
        tokens_per_second(registry.AddHistogram("salesboost_llm_tokens_per_second",
                                                "Completion tokens per second of streamed calls after the first token",
                                                {"provider"}, RateBuckets())),
        tokens(registry.AddCounter("salesboost_llm_tokens_total", "Tokens by kind (prompt, completion)",
                                   {"provider", "kind"})),
        cost(registry.AddCounter("salesboost_llm_cost_micros_total",
                                 "Cost in millionths of the configured currency unit", {"provider"})),
        breaker(registry.AddGauge("salesboost_llm_breaker_state", "Circuit breaker: 0 closed, 1 open, 2 half open",
                                  {"provider"})),
        transitions(registry.AddCounter("salesboost_llm_breaker_transitions_total", "Circuit breaker state changes",
                                        {"provider", "to"})) {}

  core::Family<core::Counter>& calls;
  core::Family<core::Counter>& retries;
  core::Family<core::Histogram>& first_token;
  core::Family<core::Histogram>& tokens_per_second;
  core::Family<core::Counter>& tokens;
  core::Family<core::Counter>& cost;
  core::Family<core::Gauge>& breaker;
  core::Family<core::Counter>& transitions;
};

// At most N calls in flight. Waiters are served in arrival order; a waiter
// whose coroutine is cancelled or destroyed gives its place (or its slot) back.
class Provider::Slots {
 public:
  explicit Slots(std::size_t n) : free_(n) {}

  // Releases the slot when destroyed.
  class Lease {
   public:
    explicit Lease(Slots* slots = nullptr) : slots_(slots) {}
    Lease(Lease&& other) noexcept : slots_(std::exchange(other.slots_, nullptr)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (slots_ != nullptr) slots_->Release();
    }
    explicit operator bool() const { return slots_ != nullptr; }

   private:
    Slots* slots_;
  };

  asio::awaitable<Lease> Acquire(Clock::time_point deadline) {
    auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor, deadline);
    {
      std::lock_guard lock(mutex_);
      if (free_ > 0 && waiters_.empty()) {
        --free_;
        co_return Lease(this);
      }
      waiters_.push_back(waiter);
    }
    Abandon abandon{this, waiter};
    co_await waiter->timer.async_wait(kTuple);
    std::lock_guard lock(mutex_);
    abandon.waiter.reset();
    if (waiter->granted) co_return Lease(this);
    std::erase(waiters_, waiter);
    co_return Lease();
  }

 private:
  struct Waiter {
    Waiter(const asio::any_io_executor& executor, Clock::time_point deadline) : timer(executor, deadline) {}
    asio::steady_timer timer;
    bool granted = false;
  };
  // If the waiting coroutine goes away, its place or granted slot is given back.
  struct Abandon {
    Slots* slots;
    std::shared_ptr<Waiter> waiter;
    ~Abandon() {
      if (!waiter) return;
      bool granted = false;
      {
        std::lock_guard lock(slots->mutex_);
        granted = waiter->granted;
        std::erase(slots->waiters_, waiter);
      }
      if (granted) slots->Release();
    }
  };

  void Release() {
    std::shared_ptr<Waiter> next;
    {
      std::lock_guard lock(mutex_);
      if (waiters_.empty()) {
        ++free_;
        return;
      }
      next = waiters_.front();
      waiters_.pop_front();
      next->granted = true;
    }
    asio::post(next->timer.get_executor(), [next] { next->timer.cancel(); });
  }

  std::mutex mutex_;
  std::size_t free_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

// Records an outcome for a breaker permit exactly once; ignored if the call
// never reported (its coroutine was cancelled or destroyed).
class Permit {
 public:
  explicit Permit(resilience::CircuitBreaker& breaker) : breaker_(&breaker) {}
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit() {
    if (breaker_ != nullptr) breaker_->Record(CallOutcome::kIgnored, {});
  }
  void Record(CallOutcome outcome, Clock::duration elapsed) {
    std::exchange(breaker_, nullptr)->Record(outcome, elapsed);
  }

 private:
  resilience::CircuitBreaker* breaker_;
};

Provider::Provider(ProviderConfig config, net::HttpClient& http, const core::Clock& clock, ProviderMetrics& metrics,
                   core::Logger logger)
    : config_(std::move(config)),
      client_(http, config_.endpoint),
      metrics_(metrics),
      logger_(std::move(logger)),
      breaker_(config_.name, config_.breaker, clock,
               [this](BreakerState from, BreakerState to) {
                 metrics_.breaker.With({config_.name}).Set(static_cast<std::int64_t>(to));
                 metrics_.transitions.With({config_.name, resilience::BreakerStateName(to)}).Inc();
                 logger_.Warn("breaker_transition", {{"provider", config_.name},
                                                     {"from", std::string(resilience::BreakerStateName(from))},
                                                     {"to", std::string(resilience::BreakerStateName(to))}});
               }),
      slots_(std::make_unique<Slots>(std::max<std::size_t>(config_.max_concurrency, 1))),
      random_(std::random_device{}()) {
  metrics_.breaker.With({config_.name}).Set(0);
}

Provider::~Provider() = default;

template <typename T, typename Call, typename OnSuccess>
asio::awaitable<CallResult<T>> Provider::Guarded(Clock::time_point deadline, Call call, OnSuccess on_success) {
  const auto& name = config_.name;
  for (int attempt = 1;; ++attempt) {
    if (!breaker_.TryAcquire()) {
      metrics_.calls.With({name, "rejected"}).Inc();
      co_return tl::unexpected(
          Refused(core::ErrorCode::kUnavailable,
                  fmt::format("{}: circuit open, next probe in {} ms", name, breaker_.RetryAfter().count())));
    }
    Permit permit(breaker_);
    auto lease = co_await slots_->Acquire(deadline);
    if (!lease) {
      metrics_.calls.With({name, "no_slot"}).Inc();
      co_return tl::unexpected(
          Refused(core::ErrorCode::kResourceExhausted,
                  fmt::format("{}: all {} call slots stayed busy", name, config_.max_concurrency)));
    }
    const auto start = Clock::now();
    CallResult<T> result = co_await call();
    { auto done = std::move(lease); }
    const auto elapsed = Clock::now() - start;
    if (result) {
      permit.Record(CallOutcome::kSuccess, elapsed);
      metrics_.calls.With({name, "ok"}).Inc();
      on_success(*result);
      co_return result;
    }
    auto& error = result.error();
    // Our own stop (the receiver cut the reply, the turn was cancelled) says nothing about the provider.
    const bool ours = error.error.code == core::ErrorCode::kAborted;
    permit.Record(ours ? CallOutcome::kIgnored : CallOutcome::kFailure, elapsed);
    metrics_.calls.With({name, core::ErrorCodeName(error.error.code)}).Inc();
    if (ours) co_return result;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::optional<std::chrono::milliseconds> delay;
    {
      std::lock_guard lock(random_mutex_);
      delay = resilience::NextDelay(config_.retry,
                                    {.attempt = attempt,
                                     .code = error.error.code,
                                     .retry_after = error.retry_after,
                                     .time_left = left,
                                     .streamed = error.streamed},
                                    random_);
    }
    if (!delay) co_return result;
    logger_.Info(
        "provider_retry",
        {{"provider", name}, {"attempt", attempt}, {"delay_ms", delay->count()}, {"error", error.error.message}});
    metrics_.retries.With({name}).Inc();
    asio::steady_timer timer(co_await asio::this_coro::executor, *delay);
    co_await timer.async_wait(kTuple);
  }
}

asio::awaitable<CallResult<ChatResult>> Provider::Stream(const ChatRequest& request, TokenSink& sink,
                                                         Clock::time_point deadline) {
  const auto& name = config_.name;
  auto call = [&] { return client_.Stream(request, sink, deadline); };
  auto record = [&](const ChatResult& result) {
    metrics_.first_token.With({name}).Observe(std::chrono::duration<double>(result.first_token).count());
    const double streaming = std::chrono::duration<double>(result.elapsed - result.first_token).count();
    if (streaming > 0 && result.usage.completion_tokens > 1) {
      metrics_.tokens_per_second.With({name}).Observe(static_cast<double>(result.usage.completion_tokens - 1) /
                                                      streaming);
    }
    metrics_.tokens.With({name, "prompt"}).Inc(static_cast<std::uint64_t>(result.usage.prompt_tokens));
    metrics_.tokens.With({name, "completion"}).Inc(static_cast<std::uint64_t>(result.usage.completion_tokens));
    const double cost = config_.cost_input_per_1k * static_cast<double>(result.usage.prompt_tokens) / 1000.0 +
                        config_.cost_output_per_1k * static_cast<double>(result.usage.completion_tokens) / 1000.0;
    metrics_.cost.With({name}).Inc(static_cast<std::uint64_t>(std::llround(cost * 1e6)));
  };
  co_return co_await Guarded<ChatResult>(deadline, call, record);
}

asio::awaitable<CallResult<std::vector<std::vector<float>>>> Provider::Embed(const std::vector<std::string>& inputs,
                                                                             Clock::time_point deadline) {
  auto call = [&] { return client_.Embed(inputs); };
  auto record = [](const std::vector<std::vector<float>>&) {};
  co_return co_await Guarded<std::vector<std::vector<float>>>(deadline, call, record);
}

namespace {

class BreakerProbe final : public core::ReadinessProbe {
 public:
  explicit BreakerProbe(std::vector<Provider*> providers) : providers_(std::move(providers)) {}
  std::string Name() const override { return "llm_providers"; }
  asio::awaitable<core::ProbeResult> Check() override {
    std::string detail;
    for (auto* p : providers_) {
      if (!detail.empty()) detail += ", ";
      detail += fmt::format("{} {}", p->Name(), resilience::BreakerStateName(p->Breaker().State()));
    }
    co_return core::ProbeResult{.ready = true, .detail = detail + " (offline engine as fallback)"};
  }

 private:
  std::vector<Provider*> providers_;
};

}  // namespace

ProviderSet::ProviderSet(std::vector<ProviderConfig> configs, net::HttpClientOptions http_options,
                         const core::Clock& clock, core::MetricsRegistry& metrics, const core::Logger& logger)
    : metrics_(std::make_unique<ProviderMetrics>(metrics)), http_(std::move(http_options)) {
  for (auto& config : configs) {
    auto name = config.name;
    providers_.emplace(name, std::make_unique<Provider>(std::move(config), http_, clock, *metrics_, logger));
  }
}

ProviderSet::~ProviderSet() = default;

void ProviderSet::CloseIdle() { http_.CloseIdle(); }

Provider* ProviderSet::Find(const std::string& name) {
  const auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second.get();
}

std::unique_ptr<core::ReadinessProbe> ProviderSet::MakeProbe() {
  std::vector<Provider*> all;
  for (auto& [name, provider] : providers_) all.push_back(provider.get());
  return std::make_unique<BreakerProbe>(std::move(all));
}

}  // namespace salesboost::llm
