#include "conversation/session_store.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <unordered_map>

#include "core/clock.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;
using storage::SqlRow;
using storage::SqlValue;
using storage::Transaction;
using storage::TransactionFn;

constexpr std::string_view kSessionColumns =
    "id, tenant_id, user_id, course_id, scenario_id, persona_id, language, status, last_seq, turn_count, "
    "created_at, ended_at, reserved_seq, running_turn_id";

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
  s.reserved_seq = row.Int(12);
  if (!row.IsNull(13)) s.running_turn_id = row.Text(13);
  return s;
}

constexpr std::string_view kEventColumns = "seq, type, turn_id, payload, created_at, seq_end";
core::Error Corrupt() { return core::Error{core::ErrorCode::kInternal, "stored event is corrupt"}; }

// Appends the events of one row of kEventColumns to `out`: one event, or for a
// row of deltas (seq .. seq_end) one per stored chunk, cut at the stored byte
// lengths so the replay is byte-identical to the live stream.
core::Result<void> EventsFromRow(const SqlRow& row, std::vector<Event>& out) {
  boost::system::error_code ec;
  auto parsed = json::parse(row.Text(3), ec);
  if (ec || !parsed.is_object()) return core::Fail(Corrupt());
  const auto& members = parsed.get_object();
  const std::string& type = row.Text(1);
  const std::string turn_id = row.IsNull(2) ? "" : row.Text(2);
  const std::string& created_at = row.Text(4);
  if (row.IsNull(5)) {
    auto body = DecodeBody(type, members);
    if (!body) return core::Fail(Corrupt());
    out.push_back(Event{.seq = row.Int(0), .turn_id = turn_id, .body = std::move(*body), .created_at = created_at});
    return core::Ok();
  }
  const auto* text = members.if_contains("text");
  const auto* chunks = members.if_contains("chunks");
  if (type != NpcDelta::kType || text == nullptr || !text->is_string() || chunks == nullptr || !chunks->is_array()) {
    return core::Fail(Corrupt());
  }
  const std::string_view all = text->get_string();
  std::int64_t seq = row.Int(0);
  const std::int64_t count = row.Int(5) - seq + 1;
  if (count != static_cast<std::int64_t>(chunks->as_array().size())) return core::Fail(Corrupt());
  std::size_t offset = 0;
  for (const auto& length : chunks->as_array()) {
    if (!length.is_int64() || length.get_int64() < 0 ||
        offset + static_cast<std::size_t>(length.get_int64()) > all.size()) {
      return core::Fail(Corrupt());
    }
    const auto size = static_cast<std::size_t>(length.get_int64());
    out.push_back(Event{.seq = seq++,
                        .turn_id = turn_id,
                        .body = NpcDelta{.text = std::string(all.substr(offset, size))},
                        .created_at = created_at});
    offset += size;
  }
  return core::Ok();
}

core::Result<void> InsertRow(Transaction& tx, const std::string& session_id, const Event& first, std::int64_t seq_end,
                             const json::object& members) {
  auto done = tx.Execute(
      "INSERT INTO session_events (session_id, seq, type, turn_id, payload, created_at, seq_end) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {session_id, first.seq, std::string(first.Type()),
       first.turn_id.empty() ? SqlValue(nullptr) : SqlValue(first.turn_id), json::serialize(members), first.created_at,
       seq_end == first.seq ? SqlValue(nullptr) : SqlValue(seq_end)});
  return done ? core::Ok() : core::Fail(done.error());
}

// Writes `events` (consecutive seqs); a run of deltas of one turn is one row
// holding the whole text and the chunks' byte lengths.
core::Result<void> Insert(Transaction& tx, const std::string& session_id, const std::vector<Event>& events) {
  for (std::size_t i = 0; i < events.size();) {
    const Event& first = events[i];
    std::size_t end = i + 1;
    if (first.Is<NpcDelta>()) {
      while (end < events.size() && events[end].Is<NpcDelta>() && events[end].turn_id == first.turn_id) ++end;
    }
    if (end - i == 1) {
      if (auto done = InsertRow(tx, session_id, first, first.seq, EncodeBody(first.body)); !done) return done;
    } else {
      std::string text;
      json::array chunks;
      for (std::size_t k = i; k < end; ++k) {
        const std::string& piece = events[k].As<NpcDelta>()->text;
        text += piece;
        chunks.push_back(static_cast<std::int64_t>(piece.size()));
      }
      const json::object members{{"text", std::move(text)}, {"chunks", std::move(chunks)}};
      if (auto done = InsertRow(tx, session_id, first, events[end - 1].seq, members); !done) return done;
    }
    i = end;
  }
  return core::Ok();
}

}  // namespace

std::string SessionStore::Now() const { return core::IsoSeconds(clock_.Now()); }

boost::asio::awaitable<core::Result<Session>> SessionStore::Create(Session session, std::vector<NewEvent> initial) {
  session.created_at = Now();
  session.last_seq = static_cast<std::int64_t>(initial.size());
  session.turn_count = 0;
  session.reserved_seq = session.last_seq;
  session.status = SessionStatus::kActive;
  TransactionFn create = [&](Transaction& tx) -> core::Result<void> {
    auto inserted = tx.Execute(
        fmt::format("INSERT INTO sessions ({}) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, 0, ?, NULL, ?, NULL)",
                    kSessionColumns),
        {session.id, session.tenant_id, session.user_id, session.course_id, session.scenario_id, session.persona_id,
         session.language, session.last_seq, session.created_at, session.last_seq});
    if (!inserted) return core::Fail(inserted.error());
    std::vector<Event> events;
    events.reserve(initial.size());
    std::int64_t seq = 0;
    for (auto& e : initial) {
      events.push_back(Event{
          .seq = ++seq, .turn_id = std::move(e.turn_id), .body = std::move(e.body), .created_at = session.created_at});
    }
    return Insert(tx, session.id, events);
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
  auto result = co_await store_.Read(std::move(read));
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
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return page;
}

boost::asio::awaitable<core::Result<std::vector<ReportedSession>>> SessionStore::WithReports(std::string tenant_id,
                                                                                             ReportFilter filter) {
  std::vector<ReportedSession> out;
  std::string since;
  if (filter.days > 0) since = core::IsoSeconds(clock_.Now() - std::chrono::hours(24) * filter.days);
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    std::string where = "s.tenant_id = ?";
    std::vector<SqlValue> params = {tenant_id};
    if (!filter.course_id.empty()) {
      where += " AND s.course_id = ?";
      params.emplace_back(filter.course_id);
    }
    if (!since.empty()) {
      where += " AND s.created_at >= ?";
      params.emplace_back(since);
    }
    auto rows = tx.Query(
        fmt::format("SELECT {} FROM sessions s WHERE {} ORDER BY s.created_at, s.id", kSessionColumns, where), params);
    if (!rows) return core::Fail(rows.error());
    std::unordered_map<std::string, std::size_t> index;
    for (const auto& row : *rows) {
      out.push_back(ReportedSession{.session = SessionFromRow(row), .report = std::nullopt});
      index.emplace(out.back().session.id, out.size() - 1);
    }
    std::vector<SqlValue> report_params = {std::string(ReportReady::kType)};
    report_params.insert(report_params.end(), params.begin(), params.end());
    auto reports = tx.Query(fmt::format("SELECT e.session_id, e.payload FROM session_events e JOIN sessions s ON "
                                        "s.id = e.session_id WHERE e.type = ? AND {} ORDER BY e.seq",
                                        where),
                            report_params);
    if (!reports) return core::Fail(reports.error());
    for (const auto& row : *reports) {
      const auto found = index.find(row.Text(0));
      if (found == index.end()) continue;
      boost::system::error_code ec;
      auto parsed = json::parse(row.Text(1), ec);
      if (ec || !parsed.is_object()) return core::Fail(Corrupt());
      auto body = DecodeBody(ReportReady::kType, parsed.get_object());
      if (!body || !std::holds_alternative<ReportReady>(*body)) return core::Fail(Corrupt());
      out[found->second].report = std::move(std::get<ReportReady>(*body).report);
    }
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return out;
}

boost::asio::awaitable<core::Result<std::vector<Event>>> SessionStore::Append(std::string session_id, Commit commit) {
  const std::string now = Now();
  for (auto& event : commit.events) event.created_at = now;
  TransactionFn append = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT status, last_seq FROM sessions WHERE id = ?", {session_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no such session");
    if (rows->front().Text(0) != "active") {
      return core::Fail(core::ErrorCode::kFailedPrecondition, "the session has ended");
    }
    if (rows->front().Int(1) != commit.expected_last_seq) {
      return core::Fail(core::ErrorCode::kAborted, "the session changed concurrently");
    }
    std::int64_t expected = commit.expected_last_seq;
    for (const auto& event : commit.events) {
      if (event.seq != ++expected)
        return core::Fail(core::ErrorCode::kInternal, "events to commit are not consecutive");
    }
    if (auto inserted = Insert(tx, session_id, commit.events); !inserted) return inserted;
    auto updated = tx.Execute(
        "UPDATE sessions SET last_seq = ?, reserved_seq = ?, running_turn_id = NULL, turn_count = turn_count + ?, "
        "status = ?, ended_at = ? WHERE id = ?",
        {expected, expected, commit.turns, commit.ends ? "ended" : "active",
         commit.ends ? SqlValue(now) : SqlValue(nullptr), session_id});
    return updated ? core::Ok() : core::Fail(updated.error());
  };
  auto result = co_await store_.Transact(std::move(append));
  if (!result) co_return core::Fail(result.error());
  co_return std::move(commit.events);
}

boost::asio::awaitable<core::Result<void>> SessionStore::Reserve(std::string session_id, std::string turn_id,
                                                                 std::int64_t expected_last_seq,
                                                                 std::int64_t reserved_seq) {
  TransactionFn reserve = [&](Transaction& tx) -> core::Result<void> {
    auto updated = tx.Execute(
        "UPDATE sessions SET reserved_seq = ?, running_turn_id = ? WHERE id = ? AND status = 'active' AND last_seq = ?",
        {reserved_seq, turn_id, session_id, expected_last_seq});
    if (!updated) return core::Fail(updated.error());
    if (*updated == 0) {
      return core::Fail(core::ErrorCode::kAborted, "the session changed: another writer took it over");
    }
    return core::Ok();
  };
  co_return co_await store_.Transact(std::move(reserve));
}

boost::asio::awaitable<core::Result<std::vector<SessionStore::TurnMark>>> SessionStore::TurnMarks(
    std::string session_id, std::string turn_id) {
  std::vector<TurnMark> marks;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT seq, type FROM session_events WHERE session_id = ? AND turn_id = ? "
        "AND type IN (?, ?, ?) ORDER BY seq",
        {session_id, turn_id, std::string(TurnStarted::kType), std::string(TurnDone::kType),
         std::string(TurnAborted::kType)});
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) marks.push_back(TurnMark{.seq = row.Int(0), .type = row.Text(1)});
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return marks;
}

boost::asio::awaitable<core::Result<std::vector<Event>>> SessionStore::EventsAfter(std::string session_id,
                                                                                   std::int64_t after_seq,
                                                                                   std::int64_t limit) {
  std::vector<Event> events;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(fmt::format("SELECT {} FROM session_events WHERE session_id = ? AND (seq > ? OR seq_end > ?) "
                                     "ORDER BY seq LIMIT ?",
                                     kEventColumns),
                         {session_id, after_seq, after_seq, limit});
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) {
      if (auto expanded = EventsFromRow(row, events); !expanded) return expanded;
    }
    std::erase_if(events, [after_seq](const Event& e) { return e.seq <= after_seq; });
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return events;
}

boost::asio::awaitable<core::Result<std::optional<Event>>> SessionStore::LastEvent(std::string session_id,
                                                                                   std::string type) {
  std::optional<Event> found;
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(fmt::format("SELECT {} FROM session_events WHERE session_id = ? AND type = ? "
                                     "ORDER BY seq DESC LIMIT 1",
                                     kEventColumns),
                         {session_id, type});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Ok();
    std::vector<Event> events;
    if (auto expanded = EventsFromRow(rows->front(), events); !expanded) return expanded;
    found = std::move(events.back());
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return found;
}

}  // namespace salesboost::conversation
