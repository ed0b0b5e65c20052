#include "conversation/in_process_live_buffer.hpp"

namespace salesboost::conversation {

boost::asio::awaitable<core::Result<void>> InProcessLiveBuffer::Append(std::string session_id,
                                                                       std::vector<Event> events) {
  std::lock_guard lock(mutex_);
  auto& held = events_[session_id];
  held.insert(held.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
  co_return core::Ok();
}

boost::asio::awaitable<core::Result<std::vector<Event>>> InProcessLiveBuffer::Read(std::string session_id,
                                                                                   std::int64_t after_seq) {
  std::vector<Event> out;
  std::lock_guard lock(mutex_);
  if (const auto it = events_.find(session_id); it != events_.end()) {
    for (const auto& event : it->second) {
      if (event.seq > after_seq) out.push_back(event);
    }
  }
  co_return out;
}

boost::asio::awaitable<core::Result<void>> InProcessLiveBuffer::Clear(std::string session_id) {
  std::lock_guard lock(mutex_);
  events_.erase(session_id);
  co_return core::Ok();
}

std::size_t InProcessLiveBuffer::Sessions() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace salesboost::conversation
