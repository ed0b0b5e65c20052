#include "app/secret_refresher.hpp"

namespace salesboost::app {

SecretRefresher::SecretRefresher(core::SecretStore& store, std::vector<SecretWatch> watches, core::Logger logger)
    : store_(store), watches_(std::move(watches)), logger_(std::move(logger)) {}

SecretRefresher::~SecretRefresher() { Stop(); }

void SecretRefresher::RefreshOnce(bool fresh) {
  for (const auto& watch : watches_) {
    auto value = fresh ? store_.GetFresh(watch.name) : store_.Get(watch.name);
    if (!value) {
      logger_.Warn("secret_refresh_failed", {{"secret", watch.name}, {"error", value.error().message}});
      continue;
    }
    watch.consume(std::move(*value));
  }
}

void SecretRefresher::Start(std::chrono::milliseconds interval) {
  if (watches_.empty() || interval.count() <= 0 || thread_.joinable()) return;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    auto next = std::chrono::steady_clock::now() + interval;
    while (!stop_) {
      wake_.wait_until(lock, next, [this] { return stop_ || soon_; });
      if (stop_) break;
      const bool fresh = soon_;
      soon_ = false;
      if (fresh) last_fresh_ = std::chrono::steady_clock::now();
      lock.unlock();
      RefreshOnce(fresh);
      lock.lock();
      if (!fresh) next = std::chrono::steady_clock::now() + interval;
    }
  });
}

void SecretRefresher::RefreshSoon() {
  {
    std::lock_guard lock(mutex_);
    if (soon_ || (last_fresh_ != std::chrono::steady_clock::time_point{} &&
                  std::chrono::steady_clock::now() - last_fresh_ < kMinFreshGap)) {
      return;
    }
    soon_ = true;
  }
  wake_.notify_all();
}

void SecretRefresher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace salesboost::app
