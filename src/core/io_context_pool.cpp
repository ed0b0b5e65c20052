#include "core/io_context_pool.hpp"

#include <boost/asio/post.hpp>
#include <thread>

namespace salesboost::core {

IoContextPool::IoContextPool(int threads) {
  const auto n = static_cast<std::size_t>(threads > 0 ? threads : 1);
  for (std::size_t i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));  // run by exactly one thread
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

boost::asio::io_context& IoContextPool::Next() {
  return *contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()];
}

void IoContextPool::Run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) threads.emplace_back([this, i] { contexts_[i]->run(); });
  contexts_[0]->run();
  for (auto& t : threads) t.join();
}

void IoContextPool::ReleaseWork() {
  // Each guard is reset on its own context, so no guard is touched by two threads.
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    boost::asio::post(*contexts_[i], [this, i] { guards_[i].reset(); });
  }
}

void IoContextPool::Stop() {
  for (auto& context : contexts_) context->stop();
}

}  // namespace salesboost::core
