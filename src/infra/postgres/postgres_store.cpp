#include "infra/postgres/postgres_store.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>

namespace salesboost::infra {
namespace {

using core::ErrorCode;
using storage::SqlRow;
using storage::SqlValue;

// Type OIDs (catalog/pg_type_d.h is a server header).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Owns a PGresult.
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool IsBroken(PGconn* conn) { return PQstatus(conn) != CONNECTION_OK; }

// Server notices ("relation already exists, skipping") are not errors and not for stderr.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

std::string Trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// libpq's first line says what failed; the hints after it are for a terminal.
std::string FirstLine(const char* text) {
  std::string s = Trimmed(text);
  if (const auto end = s.find('\n'); end != std::string::npos) s.resize(end);
  return s;
}

core::Error Unavailable(std::string_view detail) {
  return core::Error{ErrorCode::kUnavailable, fmt::format("store unavailable: postgres: {}", detail)};
}

// The error of a failed command: by SQLSTATE, or kUnavailable when the connection is gone.
core::Error PgError(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = FirstLine(
      result != nullptr && *PQresultErrorMessage(result) != '\0' ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  const std::string_view sqlstate = state != nullptr ? state : "";
  if (IsBroken(conn) || sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return Unavailable(fmt::format("{}: {}", what, message));
  }
  ErrorCode code = ErrorCode::kInternal;
  if (sqlstate.starts_with("23")) {
    code = ErrorCode::kAlreadyExists;  // what SQLite gives for every constraint violation
  } else if (sqlstate == "40001" || sqlstate == "40P01") {
    code = ErrorCode::kAborted;
  } else if (sqlstate == "57014") {
    code = ErrorCode::kDeadlineExceeded;
  } else if (sqlstate == "25006") {
    code = ErrorCode::kFailedPrecondition;
  } else if (sqlstate.starts_with("53")) {
    code = ErrorCode::kResourceExhausted;
  }
  return core::Error{code, fmt::format("postgres {}: {}", what, message)};
}

// Runs a command without parameters; ok when it succeeded.
core::Result<ResultPtr> Exec(PGconn* conn, const char* sql, std::string_view what) {
  ResultPtr result(PQexec(conn, sql));
  const auto status = result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return core::Fail(PgError(conn, result.get(), what));
  return result;
}

// '?' -> $1..$n, leaving quoted strings, quoted identifiers and comments alone.
std::string NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      const std::size_t end = sql.find(c, i + 1);  // a doubled quote reads as two quoted runs
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      out += fmt::format("${}", ++next);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

SqlValue Cell(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column) != 0) return nullptr;
  const char* text = PQgetvalue(result, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t value = 0;
      std::from_chars(text, text + length, value);
      return value;
    }
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid:
      return std::strtod(text, nullptr);
    default:
      return std::string(text, length);
  }
}

class PostgresTransaction final : public storage::Transaction {
 public:
  explicit PostgresTransaction(PGconn* conn) : conn_(conn) {}

  core::Result<void> ExecuteScript(std::string_view sql) override {
    const std::string text(sql);
    // PQexec runs several statements in one call; the result is the last one's.
    auto done = Exec(conn_, text.c_str(), "exec");
    return done ? core::Ok() : core::Fail(done.error());
  }

  core::Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto result = Run(sql, params);
    if (!result) return core::Fail(result.error());
    const char* changed = PQcmdTuples(result->get());
    std::int64_t count = 0;
    if (changed != nullptr) std::from_chars(changed, changed + std::char_traits<char>::length(changed), count);
    return count;
  }

  core::Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto result = Run(sql, params);
    if (!result) return core::Fail(result.error());
    const PGresult* r = result->get();
    const int rows = PQntuples(r);
    const int columns = PQnfields(r);
    std::vector<SqlRow> out;
    out.reserve(static_cast<std::size_t>(rows));
    for (int i = 0; i < rows; ++i) {
      SqlRow row;
      row.columns.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) row.columns.push_back(Cell(r, i, c));
      out.push_back(std::move(row));
    }
    return out;
  }

 private:
  core::Result<ResultPtr> Run(std::string_view sql, const std::vector<SqlValue>& params) {
    const std::string text = NumberPlaceholders(sql);
    std::vector<Oid> types;
    std::vector<std::string> values;
    std::vector<const char*> pointers;
    types.reserve(params.size());
    values.reserve(params.size());
    for (const auto& param : params) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              types.push_back(0);  // unknown: the server infers it from the context
              values.emplace_back();
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              types.push_back(kInt8Oid);
              values.push_back(fmt::format("{}", v));
            } else if constexpr (std::is_same_v<T, double>) {
              types.push_back(kFloat8Oid);
              values.push_back(fmt::format("{}", v));
            } else {
              types.push_back(kTextOid);
              values.push_back(v);
            }
          },
          param);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      pointers.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr : values[i].c_str());
    }
    ResultPtr result(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(), pointers.data(),
                                  nullptr, nullptr, 0));
    const auto status = result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return core::Fail(PgError(conn_, result.get(), "query"));
    }
    return result;
  }

  PGconn* conn_;
};

}  // namespace

PostgresStore::PostgresStore(PostgresOptions options, core::BlockingPool& pool, core::MetricsRegistry* metrics)
    : options_(std::move(options)), pool_(pool) {
  if (metrics != nullptr) metrics_.emplace(*metrics, "postgres");
}

core::Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(PostgresOptions options, core::BlockingPool& pool,
                                                                 core::MetricsRegistry* metrics) {
  if (options.pool_size < 1) return core::Fail(ErrorCode::kInvalidArgument, "postgres pool size must be at least 1");
  std::unique_ptr<PostgresStore> store(new PostgresStore(std::move(options), pool, metrics));
  auto conn = store->Connect();
  if (!conn) return core::Fail(conn.error());
  std::lock_guard lock(store->mutex_);
  store->idle_.push_back(*conn);
  store->open_ = 1;
  store->UpdateGauges();
  return store;
}

PostgresStore::~PostgresStore() {
  std::lock_guard lock(mutex_);
  for (PGconn* conn : idle_) PQfinish(conn);
  if (metrics_) {
    metrics_->Idle().Set(0);
    metrics_->Busy().Set(0);
  }
}

int PostgresStore::OpenConnections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

core::Result<PGconn*> PostgresStore::Connect() const {
  const std::string timeout = fmt::format("{}", std::max<std::int64_t>(1, (options_.connect_timeout_ms + 999) / 1000));
  const char* keys[] = {"dbname", "connect_timeout", "client_encoding", "application_name", nullptr};
  const char* values[] = {options_.dsn.c_str(), timeout.c_str(), "UTF8", "salesboost", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) return core::Fail(Unavailable("cannot connect: out of memory"));
  if (IsBroken(conn)) {
    core::Error error = Unavailable(fmt::format("cannot connect: {}", FirstLine(PQerrorMessage(conn))));
    PQfinish(conn);
    return core::Fail(std::move(error));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  const std::string setup = fmt::format("SET statement_timeout = {}", options_.statement_timeout_ms);
  if (auto set = Exec(conn, setup.c_str(), "connect"); !set) {
    PQfinish(conn);
    return core::Fail(set.error());
  }
  return conn;
}

void PostgresStore::UpdateGauges() {
  if (!metrics_) return;
  metrics_->Idle().Set(static_cast<std::int64_t>(idle_.size()));
  metrics_->Busy().Set(open_ - static_cast<std::int64_t>(idle_.size()));
}

core::Result<PGconn*> PostgresStore::Acquire() {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  waiters_.push_back(ticket);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.pool_wait_ms);
  const auto my_turn = [&] { return waiters_.front() == ticket && (!idle_.empty() || open_ < options_.pool_size); };
  if (!freed_.wait_until(lock, deadline, my_turn)) {
    std::erase(waiters_, ticket);
    freed_.notify_all();  // the next in line may be able to go now
    return core::Fail(Unavailable(
        fmt::format("no free connection within {} ms ({} in the pool)", options_.pool_wait_ms, options_.pool_size)));
  }
  waiters_.pop_front();
  PGconn* conn = nullptr;
  if (!idle_.empty()) {
    conn = idle_.back();
    idle_.pop_back();
  } else {
    ++open_;
  }
  UpdateGauges();
  freed_.notify_all();
  lock.unlock();
  if (conn != nullptr && !IsBroken(conn)) return conn;
  if (conn != nullptr) PQfinish(conn);  // broken while idle: replace it
  auto fresh = Connect();
  if (!fresh) {
    lock.lock();
    --open_;
    UpdateGauges();
    freed_.notify_all();
    return core::Fail(fresh.error());
  }
  return *fresh;
}

void PostgresStore::DropIdle() {
  std::vector<PGconn*> stale;
  {
    std::lock_guard lock(mutex_);
    stale.swap(idle_);
    open_ -= static_cast<int>(stale.size());
    UpdateGauges();
    freed_.notify_all();
  }
  for (PGconn* conn : stale) PQfinish(conn);
}

void PostgresStore::Release(PGconn* conn, bool broken) {
  if (broken || IsBroken(conn) || PQtransactionStatus(conn) != PQTRANS_IDLE) {
    PQfinish(conn);
    conn = nullptr;
  }
  std::lock_guard lock(mutex_);
  if (conn != nullptr) {
    idle_.push_back(conn);
  } else {
    --open_;
  }
  UpdateGauges();
  freed_.notify_all();
}

core::Result<void> PostgresStore::RunOnce(const storage::TransactionFn& fn, bool read_only, bool& retry) {
  retry = false;
  auto conn = Acquire();
  if (!conn) return core::Fail(conn.error());
  PGconn* c = *conn;
  // Snapshot isolation: a row two writers both change (a session's last seq)
  // fails the second with a serialization error (kAborted), unique keys catch
  // concurrent inserts, and unrelated writers never fail each other (under
  // SERIALIZABLE, predicate locks on shared index pages aborted concurrent
  // session starts under load).
  const char* begin =
      read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL REPEATABLE READ";
  if (auto begun = Exec(c, begin, "begin"); !begun) {
    const bool broken = IsBroken(c);
    Release(c, broken);
    if (broken) {
      // A stale connection (the server restarted): the idle ones are as old, so they go too, and
      // the transaction is tried once more on a fresh connection (nothing of it ran yet).
      DropIdle();
      retry = true;
    }
    return core::Fail(begun.error());
  }
  PostgresTransaction tx(c);
  auto result = fn(tx);
  if (!result) {
    if (!IsBroken(c)) (void)Exec(c, "ROLLBACK", "rollback");
    // A callback may turn a lost connection into another code; the connection says what happened.
    if (IsBroken(c) && result.error().code != ErrorCode::kUnavailable) {
      result = core::Fail(Unavailable(fmt::format("connection lost: {}", result.error().message)));
    }
    Release(c, false);
    return result;
  }
  auto committed = Exec(c, "COMMIT", "commit");
  if (!committed) {
    if (!IsBroken(c)) (void)Exec(c, "ROLLBACK", "rollback");
    Release(c, false);
    return core::Fail(committed.error());
  }
  // COMMIT of a transaction that failed earlier (an error the callback ignored) rolls back.
  const std::string_view status = PQcmdStatus(committed->get());
  Release(c, false);
  if (status == "ROLLBACK") {
    return core::Fail(ErrorCode::kAborted, "postgres commit: the transaction was rolled back after an earlier error");
  }
  return core::Ok();
}

core::Result<void> PostgresStore::RunTransaction(const storage::TransactionFn& fn, bool read_only) {
  const auto start = std::chrono::steady_clock::now();
  bool retry = false;
  auto result = RunOnce(fn, read_only, retry);
  if (!result && retry) result = RunOnce(fn, read_only, retry);
  if (metrics_) {
    metrics_->ObserveTransaction(read_only,
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!result) metrics_->CountError(result.error().code);
  }
  return result;
}

boost::asio::awaitable<core::Result<void>> PostgresStore::Transact(storage::TransactionFn fn) {
  // Named before the co_await: g++ 12 destroys non-trivial temporaries in a co_await expression twice.
  auto task = [this, fn = std::move(fn)] { return RunTransaction(fn, false); };
  auto result = co_await pool_.Run(std::move(task));
  co_return result;
}

boost::asio::awaitable<core::Result<void>> PostgresStore::Read(storage::TransactionFn fn) {
  auto task = [this, fn = std::move(fn)] { return RunTransaction(fn, true); };
  auto result = co_await pool_.Run(std::move(task));
  co_return result;
}

}  // namespace salesboost::infra
