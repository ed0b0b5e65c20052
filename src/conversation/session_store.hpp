// SessionStore: sessions and their append-only event logs in the Store
// (portable SQL). Appending assigns consecutive seq numbers inside the
// transaction that writes the events, so a batch commits whole or not at all
// and seq never repeats or skips. Thread-safe; awaitable.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conversation/session.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace salesboost::conversation {

struct NewEvent {
  std::string type;
  std::string turn_id;
  boost::json::object payload;
};

struct SessionPage {
  std::vector<Session> sessions;
  std::int64_t total = 0;
};

class SessionStore {
 public:
  SessionStore(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  // Inserts the session with `initial` as its first events (seq 1, 2, ...).
  boost::asio::awaitable<core::Result<Session>> Create(Session session, std::vector<NewEvent> initial);
  // kNotFound when absent or in another tenant.
  boost::asio::awaitable<core::Result<Session>> Get(std::string tenant_id, std::string session_id);
  // Newest first. An empty user_id lists the whole tenant.
  boost::asio::awaitable<core::Result<SessionPage>> List(std::string tenant_id, std::string user_id,
                                                         std::int64_t offset, std::int64_t limit);
  // Appends events after the session's last seq; `ends` also marks it ended.
  // kFailedPrecondition when already ended.
  boost::asio::awaitable<core::Result<std::vector<Event>>> Append(std::string session_id, std::vector<NewEvent> events,
                                                                  bool ends);
  // The newest event of `type`, if any.
  boost::asio::awaitable<core::Result<std::optional<Event>>> LastEvent(std::string session_id, std::string type);
  // Events with seq > after_seq, oldest first, at most `limit`.
  boost::asio::awaitable<core::Result<std::vector<Event>>> EventsAfter(std::string session_id, std::int64_t after_seq,
                                                                       std::int64_t limit);

 private:
  std::string Now() const;

  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace salesboost::conversation
