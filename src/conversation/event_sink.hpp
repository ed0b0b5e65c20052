// EventSink: where a SessionHub delivers a session's events: the subscriber
// of one session (in this process, a SessionFeed's connection). Thread-safe;
// its calls must not block.
#pragma once

#include <vector>

#include "conversation/events.hpp"

namespace salesboost::conversation {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Events of the session, in seq order. May repeat events delivered before
  // (a replay and the live stream overlap); the sink drops them by seq.
  virtual void Deliver(const std::vector<Event>& events) = 0;
  // Another subscriber took the session over.
  virtual void Replaced() = 0;
};

}  // namespace salesboost::conversation
