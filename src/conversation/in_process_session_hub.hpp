// InProcessSessionHub: the embedded SessionHub, a map from session to its one
// subscriber in this process. Never fails. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "conversation/session_hub.hpp"

namespace salesboost::conversation {

class InProcessSessionHub final : public SessionHub {
 public:
  boost::asio::awaitable<core::Result<void>> Attach(std::string session_id, std::shared_ptr<EventSink> sink) override;
  boost::asio::awaitable<core::Result<void>> Detach(std::string session_id, const EventSink* sink) override;
  boost::asio::awaitable<core::Result<void>> Publish(std::string session_id, std::vector<Event> events) override;

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::weak_ptr<EventSink>> subscribers_;  // guarded by mutex_
};

}  // namespace salesboost::conversation
