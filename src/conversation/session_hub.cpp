#include "conversation/session_hub.hpp"

namespace salesboost::conversation {

void InProcessSessionHub::Attach(const std::string& session_id, std::shared_ptr<EventSink> sink) {
  std::shared_ptr<EventSink> previous;
  {
    std::lock_guard lock(mutex_);
    auto& slot = subscribers_[session_id];
    previous = slot.lock();
    slot = sink;
  }
  // Outside the lock: the previous sink may call back into the hub.
  if (previous && previous != sink) previous->Replaced();
}

void InProcessSessionHub::Detach(const std::string& session_id, const EventSink* sink) {
  std::lock_guard lock(mutex_);
  const auto it = subscribers_.find(session_id);
  if (it == subscribers_.end()) return;
  const auto current = it->second.lock();
  if (!current || current.get() == sink) subscribers_.erase(it);
}

void InProcessSessionHub::Publish(const std::string& session_id, const std::vector<Event>& events) {
  std::shared_ptr<EventSink> sink;
  {
    std::lock_guard lock(mutex_);
    const auto it = subscribers_.find(session_id);
    if (it != subscribers_.end()) sink = it->second.lock();
  }
  if (sink) sink->Deliver(events);
}

}  // namespace salesboost::conversation
