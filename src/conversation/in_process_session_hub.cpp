#include "conversation/in_process_session_hub.hpp"

namespace salesboost::conversation {

boost::asio::awaitable<core::Result<void>> InProcessSessionHub::Attach(std::string session_id,
                                                                       std::shared_ptr<EventSink> sink) {
  std::shared_ptr<EventSink> previous;
  {
    std::lock_guard lock(mutex_);
    auto& slot = subscribers_[session_id];
    previous = slot.lock();
    slot = sink;
  }
  // Outside the lock: the previous sink may call back into the hub.
  if (previous && previous != sink) previous->Replaced();
  co_return core::Ok();
}

boost::asio::awaitable<core::Result<void>> InProcessSessionHub::Detach(std::string session_id, const EventSink* sink) {
  std::lock_guard lock(mutex_);
  const auto it = subscribers_.find(session_id);
  if (it != subscribers_.end()) {
    const auto current = it->second.lock();
    if (!current || current.get() == sink) subscribers_.erase(it);
  }
  co_return core::Ok();
}

boost::asio::awaitable<core::Result<void>> InProcessSessionHub::Publish(std::string session_id,
                                                                        std::vector<Event> events) {
  std::shared_ptr<EventSink> sink;
  {
    std::lock_guard lock(mutex_);
    const auto it = subscribers_.find(session_id);
    if (it != subscribers_.end()) sink = it->second.lock();
  }
  if (sink) sink->Deliver(events);
  co_return core::Ok();
}

}  // namespace salesboost::conversation
