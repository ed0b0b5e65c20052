// SessionFeed: a session's events for one client connection: the stored log
// after the client's last_seq, the running turn's provisional events from the
// LiveBuffer, then live ones from the SessionHub; each exactly once and in
// seq order, whichever of the three it came through. The WebSocket API uses
// it; any other transport (server-sent events) can.
//
// Join order, which makes the exactly-once hold: live delivery is attached
// (and held back) first, then the live buffer is copied, then the stored log is
// read; an event is stored, in the copy, or arrives live after the attach, and
// the subscription drops every seq it has already sent. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "conversation/event_sink.hpp"
#include "conversation/live_buffer.hpp"
#include "conversation/session_hub.hpp"
#include "conversation/session_service.hpp"
#include "conversation/turn_coordinator.hpp"
#include "identity/principal.hpp"

namespace salesboost::conversation {

// The client end: a connection that sends events on. Thread-safe; must not block.
class FeedSubscriber {
 public:
  virtual ~FeedSubscriber() = default;
  virtual void Send(const Event& event) = 0;
  // Another connection joined the session this one had joined.
  virtual void Replaced() = 0;
};

struct FeedOptions {
  std::int64_t replay_page = 500;  // stored events read per query while replaying
};

class SessionFeed {
 public:
  class Subscription;

  SessionFeed(FeedOptions options, SessionService& sessions, TurnCoordinator& coordinator, SessionHub& hub,
              LiveBuffer& live);

  // One per connection; every join of the connection reuses it (joining the
  // same session again is not a take-over).
  std::shared_ptr<Subscription> Subscribe(std::shared_ptr<FeedSubscriber> subscriber);

  // Checks access, recovers a turn a dead process left behind, leaves the
  // session joined before (if another), then sends every event after
  // `last_seq` and keeps sending live ones. kNotFound for a session `who` may not read.
  boost::asio::awaitable<core::Result<void>> Join(identity::Principal who, std::string session_id,
                                                  std::int64_t last_seq, std::shared_ptr<Subscription> subscription);

  // Stops live delivery to the subscription (the connection is gone).
  boost::asio::awaitable<void> Leave(std::shared_ptr<Subscription> subscription);

 private:
  FeedOptions options_;
  SessionService& sessions_;
  TurnCoordinator& coordinator_;
  SessionHub& hub_;
  LiveBuffer& live_;
};

}  // namespace salesboost::conversation
