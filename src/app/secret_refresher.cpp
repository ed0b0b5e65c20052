#include "app/secret_refresher.hpp"

namespace salesboost::app {

SecretRefresher::SecretRefresher(core::SecretStore& store, std::vector<SecretWatch> watches, core::Logger logger)
    : store_(store), watches_(std::move(watches)), logger_(std::move(logger)) {}

SecretRefresher::~SecretRefresher() { Stop(); }

void SecretRefresher::RefreshOnce() {
  for (const auto& watch : watches_) {
    auto value = store_.Get(watch.name);
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
    while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
      lock.unlock();
      RefreshOnce();
      lock.lock();
    }
  });
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
