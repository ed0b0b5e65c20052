// InProcessLiveBuffer: the embedded LiveBuffer, a map from session to the
// running turn's events in this process. Never fails. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "conversation/live_buffer.hpp"

namespace salesboost::conversation {

class InProcessLiveBuffer final : public LiveBuffer {
 public:
  boost::asio::awaitable<core::Result<void>> Append(std::string session_id, std::vector<Event> events) override;
  boost::asio::awaitable<core::Result<std::vector<Event>>> Read(std::string session_id,
                                                                std::int64_t after_seq) override;
  boost::asio::awaitable<core::Result<void>> Clear(std::string session_id) override;
  // Sessions with a running turn's events held.
  std::size_t Sessions() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::vector<Event>> events_;  // guarded by mutex_
};

}  // namespace salesboost::conversation
