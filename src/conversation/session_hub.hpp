// SessionHub: where a session's events go live (the running turn's
// provisional events as they happen, committed ones after the commit). A
// session has at most one subscriber (the connection that joined it last):
// attaching a new one tells the previous one it was replaced. The port that a
// Redis-backed hub (a registry key per session, pub/sub to the owning
// instance) implements when instances scale out; InProcessSessionHub is the
// embedded default. Asynchronous and fallible like a remote bus. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "conversation/event_sink.hpp"
#include "conversation/events.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

class SessionHub {
 public:
  virtual ~SessionHub() = default;
  virtual boost::asio::awaitable<core::Result<void>> Attach(std::string session_id,
                                                            std::shared_ptr<EventSink> sink) = 0;
  // Detaches `sink` if it is still the session's subscriber.
  virtual boost::asio::awaitable<core::Result<void>> Detach(std::string session_id, const EventSink* sink) = 0;
  // Delivers `events` to the session's subscriber, if any.
  virtual boost::asio::awaitable<core::Result<void>> Publish(std::string session_id, std::vector<Event> events) = 0;
};

}  // namespace salesboost::conversation
