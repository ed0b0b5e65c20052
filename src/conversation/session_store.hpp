// SessionStore: sessions and their append-only event logs in the Store
// (portable SQL). Appending assigns consecutive seq numbers inside the
// transaction that writes the events, so a batch commits whole or not at all
// and seq never repeats or skips. Thread-safe; awaitable.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "conversation/events.hpp"
#include "conversation/session.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace salesboost::conversation {

struct SessionPage {
  std::vector<Session> sessions;
  std::int64_t total = 0;
};

// A session with the report its report.ready event holds (none while active).
struct ReportedSession {
  Session session;
  std::optional<boost::json::object> report;
};

// Which of a tenant's sessions a summary reads.
struct ReportFilter {
  std::string course_id;  // empty: every course
  std::int64_t days = 0;  // sessions created in the last `days` days by the store's clock; 0: all
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
  // The tenant's sessions matching `filter`, oldest first, each with its
  // stored report. Rows are read and reports parsed on the store's threads.
  boost::asio::awaitable<core::Result<std::vector<ReportedSession>>> WithReports(std::string tenant_id,
                                                                                 ReportFilter filter);
  // Commits a batch whose events carry their seqs (from expected_last_seq + 1,
  // consecutive): all rows or none, and only if the session is active and its
  // last seq is still `expected_last_seq` (otherwise kAborted). Runs of
  // npc.delta events of one turn become one row. `turns` is added to the
  // turn count; `ends` marks the session ended. Clears the reservation.
  struct Commit {
    std::int64_t expected_last_seq = 0;
    std::vector<Event> events;
    std::int64_t turns = 0;
    bool ends = false;
  };
  // Returns the events as stored (with created_at).
  boost::asio::awaitable<core::Result<std::vector<Event>>> Append(std::string session_id, Commit commit);
  // Records that seqs up to `reserved_seq` may be in use by `turn_id`'s live
  // events. Fenced like Append: kAborted unless the session is active and its
  // last seq is still `expected_last_seq` (another writer took it over).
  boost::asio::awaitable<core::Result<void>> Reserve(std::string session_id, std::string turn_id,
                                                     std::int64_t expected_last_seq, std::int64_t reserved_seq);
  // Seqs of `turn_id`'s turn.started, turn.done and turn.aborted events, oldest first.
  struct TurnMark {
    std::int64_t seq = 0;
    std::string type;
  };
  boost::asio::awaitable<core::Result<std::vector<TurnMark>>> TurnMarks(std::string session_id, std::string turn_id);
  // The newest event of `type` (an event struct's kType), if any.
  boost::asio::awaitable<core::Result<std::optional<Event>>> LastEvent(std::string session_id, std::string type);
  // Events with seq > after_seq, oldest first; at most `limit` rows are read
  // (a row of deltas yields several events).
  boost::asio::awaitable<core::Result<std::vector<Event>>> EventsAfter(std::string session_id, std::int64_t after_seq,
                                                                       std::int64_t limit);

 private:
  std::string Now() const;

  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace salesboost::conversation
