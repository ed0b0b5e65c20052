// LiveBuffer: the provisional events of a session's running turn (its
// turn.started, npc.delta, npc.reset, npc.done and coach.tip), kept until the
// turn commits or aborts so that a client joining mid-turn can replay them.
// In-process now (InProcessLiveBuffer); a bounded Redis stream per session
// when instances scale out. Asynchronous and fallible. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "conversation/events.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

class LiveBuffer {
 public:
  virtual ~LiveBuffer() = default;
  // Appends events (seqs above any already held) of the session's running turn.
  virtual boost::asio::awaitable<core::Result<void>> Append(std::string session_id, std::vector<Event> events) = 0;
  // The held events with seq > after_seq, in seq order.
  virtual boost::asio::awaitable<core::Result<std::vector<Event>>> Read(std::string session_id,
                                                                        std::int64_t after_seq) = 0;
  // Forgets the session's events: its turn is committed or aborted.
  virtual boost::asio::awaitable<core::Result<void>> Clear(std::string session_id) = 0;
};

}  // namespace salesboost::conversation
