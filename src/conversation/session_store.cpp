#include "conversation/session_store.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;
using storage::SqlRow;
using storage::SqlValue;
using storage::Transaction;
using storage::TransactionFn;

constexpr std::string_view kSessionColumns =
    "id, tenant_id, user_id, course_id, scenario_id, persona_id, language, status, last_seq, turn_count, "
    "created_at, ended_at";

Session SessionFromRow(const SqlRow& row) {
  Session s;
  s.id = row.Text(0);
  s.tenant_id = row.Text(1);
  s.user_id = row.Text(2);
  s.course_id = row.Text(3);
  s.scenario_id = row.Text(4);
  s.persona_id = row.Text(5);
  s.language = row.Text(6);
  s.status = row.Text(7) == "active" ? SessionStatus::kActive : SessionStatus::kEnded;
  s.last_seq = row.Int(8);
  s.turn_count = row.Int(9);
  s.created_at = row.Text(10);
  if (!row.IsNull(11)) s.ended_at = row.Text(11);
  return s;
}

// Rows of "SELECT seq, type, turn_id, payload, created_at FROM session_events".
core::Result<Event> EventFromRow(const SqlRow& row) {
  boost::system::error_code ec;
  auto payload = json::parse(row.Text(3), ec);
  if (ec || !payload.is_object()) return core::Fail(core::ErrorCode::kInternal, "stored event is corrupt");
  return Event{.seq = row.Int(0),
               .type = row.Text(1),
               .turn_id = row.IsNull(2) ? "" : row.Text(2),
               .payload = std::move(payload.as_object()),
               .created_at = row.Text(4)};
}

core::Result<std::vector<Event>> Insert(Transaction& tx, const std::string& session_id, std::int64_t last_seq,
                                        std::vector<NewEvent>& events, const std::string& now) {
  std::vector<Event> written;
  written.reserve(events.size());
  for (auto& e : events) {
    Event event{.seq = ++last_seq,
                .type = std::move(e.type),
                .turn_id = std::move(e.turn_id),
                .payload = std::move(e.payload),
                .created_at = now};
    auto done = tx.Execute(
        "INSERT INTO session_events (session_id, seq, type, turn_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {session_id, event.seq, event.type, event.turn_id.empty() ? SqlValue(nullptr) : SqlValue(event.turn_id),
         json::serialize(event.payload), now});
    if (!done) return core::Fail(done.error());
    written.push_back(std::move(event));
  }
  return written;
}

}  // namespace

std::string SessionStore::Now() const {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(clock_.Now()));
}

boost::asio::awaitable<core::Result<Session>> SessionStore::Create(Session session, std::vector<NewEvent> initial) {
  session.created_at = Now();
  session.last_seq = static_cast<std::int64_t>(initial.size());
  session.turn_count = 0;
  session.status = SessionStatus::kActive;
  TransactionFn create = [&](Transaction& tx) -> core::Result<void> {
    auto inserted = tx.Execute(
        fmt::format("INSERT INTO sessions ({}) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, 0, ?, NULL)", kSessionColumns),
        {session.id, session.tenant_id, session.user_id, session.course_id, session.scenario_id, session.persona_id,
         session.language, session.last_seq, session.created_at});
    if (!inserted) return core::Fail(inserted.error());
    auto events = Insert(tx, session.id, 0, initial, session.created_at);
    if (!events) return core::Fail(events.error());
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(create));
  if (!result) co_return core::Fail(result.error());
  co_return session;
}

boost::asio::awaitable<core::Result<Session>> SessionStore::Get(std::string tenant_id, std::string session_id) {
  std::optional<Session> found;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(fmt::format("SELECT {} FROM sessions WHERE tenant_id = ? AND id = ?", kSessionColumns),
                         {tenant_id, session_id});
    if (!rows) return core::Fail(rows.error());
    if (!rows->empty()) found = SessionFromRow(rows->front());
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(read));
  if (!result) co_return core::Fail(result.error());
  if (!found) co_return core::Fail(core::ErrorCode::kNotFound, "no such session");
  co_return std::move(*found);
}

boost::asio::awaitable<core::Result<SessionPage>> SessionStore::List(std::string tenant_id, std::string user_id,
                                                                     std::int64_t offset, std::int64_t limit) {
  SessionPage page;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    const std::string filter = user_id.empty() ? "tenant_id = ?" : "tenant_id = ? AND user_id = ?";
    std::vector<SqlValue> params = {tenant_id};
    if (!user_id.empty()) params.emplace_back(user_id);
    auto total = tx.Query("SELECT COUNT(*) FROM sessions WHERE " + filter, params);
    if (!total) return core::Fail(total.error());
    page.total = total->front().Int(0);
    params.emplace_back(limit);
    params.emplace_back(offset);
    auto rows = tx.Query(fmt::format("SELECT {} FROM sessions WHERE {} ORDER BY created_at DESC, id DESC "
                                     "LIMIT ? OFFSET ?",
                                     kSessionColumns, filter),
                         params);
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) page.sessions.push_back(SessionFromRow(row));
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return page;
}

boost::asio::awaitable<core::Result<std::vector<Event>>> SessionStore::Append(std::string session_id,
                                                                              std::vector<NewEvent> events, bool ends) {
  const std::string now = Now();
  std::vector<Event> written;
  TransactionFn append = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT status, last_seq FROM sessions WHERE id = ?", {session_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no such session");
    if (rows->front().Text(0) != "active") {
      return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has ended");
    }
    const std::int64_t last_seq = rows->front().Int(1);
    auto inserted = Insert(tx, session_id, last_seq, events, now);
    if (!inserted) return core::Fail(inserted.error());
    written = std::move(*inserted);
    const std::int64_t new_last = last_seq + static_cast<std::int64_t>(written.size());
    auto updated = ends ? tx.Execute("UPDATE sessions SET last_seq = ?, status = 'ended', ended_at = ? WHERE id = ?",
                                     {new_last, now, session_id})
                        : tx.Execute("UPDATE sessions SET last_seq = ? WHERE id = ?", {new_last, session_id});
    if (!updated) return core::Fail(updated.error());
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(append));
  if (!result) co_return core::Fail(result.error());
  co_return written;
}

boost::asio::awaitable<core::Result<std::vector<Event>>> SessionStore::EventsAfter(std::string session_id,
                                                                                   std::int64_t after_seq,
                                                                                   std::int64_t limit) {
  std::vector<Event> events;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT seq, type, turn_id, payload, created_at FROM session_events WHERE session_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?",
        {session_id, after_seq, limit});
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) {
      auto event = EventFromRow(row);
      if (!event) return core::Fail(event.error());
      events.push_back(std::move(*event));
    }
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return events;
}

boost::asio::awaitable<core::Result<std::optional<Event>>> SessionStore::LastEvent(std::string session_id,
                                                                                   std::string type) {
  std::optional<Event> found;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT seq, type, turn_id, payload, created_at FROM session_events WHERE session_id = ? AND type = ? "
        "ORDER BY seq DESC LIMIT 1",
        {session_id, type});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Ok();
    auto event = EventFromRow(rows->front());
    if (!event) return core::Fail(event.error());
    found = std::move(*event);
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return found;
}

}  // namespace salesboost::conversation
