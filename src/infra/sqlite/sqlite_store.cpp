#include "infra/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/check.hpp"

namespace salesboost::infra {
namespace {

using core::ErrorCode;
using storage::SqlRow;
using storage::SqlValue;

core::Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xFF;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    code = ErrorCode::kUnavailable;
  } else if (primary == SQLITE_CONSTRAINT) {
    code = ErrorCode::kAlreadyExists;
  } else if (primary == SQLITE_FULL || primary == SQLITE_NOMEM) {
    code = ErrorCode::kResourceExhausted;
  } else if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_READONLY) {
    code = ErrorCode::kUnavailable;
  }
  return core::Error{code, fmt::format("sqlite {}: {}", what, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc))};
}

// Owns a prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  static core::Result<std::unique_ptr<Statement>> Prepare(sqlite3* db, std::string_view sql,
                                                          const std::vector<SqlValue>& params) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return core::Fail(SqliteError(db, rc, "prepare"));
    auto owned = std::make_unique<Statement>(db, stmt);
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      return core::Fail(ErrorCode::kInternal, fmt::format("sqlite bind: statement has {} parameters, {} given",
                                                          sqlite3_bind_parameter_count(stmt), params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const int brc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, index);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(stmt, index, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(stmt, index, v);
            } else {
              return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            }
          },
          params[i]);
      if (brc != SQLITE_OK) return core::Fail(SqliteError(db, brc, "bind"));
    }
    return owned;
  }

  // Steps to completion, collecting rows.
  core::Result<std::vector<SqlRow>> Run() {
    std::vector<SqlRow> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_DONE) return rows;
      if (rc != SQLITE_ROW) return core::Fail(SqliteError(db_, rc, "step"));
      SqlRow row;
      const int n = sqlite3_column_count(stmt_);
      row.columns.reserve(static_cast<std::size_t>(n));
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt_, c)) {
          case SQLITE_INTEGER:
            row.columns.emplace_back(std::int64_t{sqlite3_column_int64(stmt_, c)});
            break;
          case SQLITE_FLOAT:
            row.columns.emplace_back(sqlite3_column_double(stmt_, c));
            break;
          case SQLITE_NULL:
            row.columns.emplace_back(nullptr);
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
            const int bytes = sqlite3_column_bytes(stmt_, c);
            row.columns.emplace_back(std::string(text != nullptr ? text : "", static_cast<std::size_t>(bytes)));
          }
        }
      }
      rows.push_back(std::move(row));
    }
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteTransaction final : public storage::Transaction {
 public:
  explicit SqliteTransaction(sqlite3* db, bool read_only = false) : db_(db), read_only_(read_only) {}

  core::Result<void> ExecuteScript(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      core::Error error = SqliteError(db_, rc, "exec");
      if (message != nullptr) error.message = fmt::format("sqlite exec: {}", message);
      sqlite3_free(message);
      return core::Fail(Refine(std::move(error)));
    }
    return core::Ok();
  }

  core::Result<std::int64_t> Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto stmt = Statement::Prepare(db_, sql, params);
    if (!stmt) return core::Fail(Refine(stmt.error()));
    if (auto run = (*stmt)->Run(); !run) return core::Fail(Refine(run.error()));
    return std::int64_t{sqlite3_changes(db_)};
  }

  core::Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto stmt = Statement::Prepare(db_, sql, params);
    if (!stmt) return core::Fail(Refine(stmt.error()));
    auto rows = (*stmt)->Run();
    if (!rows) return core::Fail(Refine(rows.error()));
    return rows;
  }

 private:
  // A write refused by a query-only connection is the caller's mistake, not an outage.
  core::Error Refine(core::Error error) const {
    if (read_only_ && (sqlite3_errcode(db_) & 0xFF) == SQLITE_READONLY) error.code = ErrorCode::kFailedPrecondition;
    return error;
  }

  sqlite3* db_;
  bool read_only_;
};

core::Result<void> Exec(sqlite3* db, const char* sql) {
  SqliteTransaction tx(db);
  return tx.ExecuteScript(sql);
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::filesystem::path& path,
                                                             const SqliteOptions& options, core::BlockingPool& pool,
                                                             core::MetricsRegistry* metrics) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      return core::Fail(ErrorCode::kUnavailable,
                        fmt::format("cannot create directory {}: {}", path.parent_path().string(), ec.message()));
    }
  }
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    core::Error error = SqliteError(db, rc, "open " + path.string());
    sqlite3_close(db);
    return core::Fail(std::move(error));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, pool));
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout_ms));
  sqlite3_extended_result_codes(db, 1);
  {
    SqliteTransaction tx(db);
    auto mode = tx.Query("PRAGMA journal_mode=WAL", {});
    if (!mode) return core::Fail(mode.error());
    if (mode->empty() || mode->front().Text(0) != "wal") {
      return core::Fail(ErrorCode::kUnavailable, "sqlite: cannot switch " + path.string() + " to WAL mode");
    }
  }
  if (auto ok = Exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !ok) return core::Fail(ok.error());
  // The database and its journal hold password hashes and transcripts: owner
  // only, also for files an earlier release created readable by all.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::path file = path;
    file += suffix;
    std::error_code perms_ec;
    if (std::filesystem::exists(file, perms_ec)) {
      std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                   perms_ec);
    }
  }

  // The reader: opened after the switch to WAL, so it reads beside the writer.
  const int rrc = sqlite3_open_v2(path.c_str(), &store->reader_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rrc != SQLITE_OK) return core::Fail(SqliteError(store->reader_, rrc, "open reader " + path.string()));
  sqlite3_busy_timeout(store->reader_, static_cast<int>(options.busy_timeout_ms));
  sqlite3_extended_result_codes(store->reader_, 1);
  if (auto ok = Exec(store->reader_, "PRAGMA query_only=ON; PRAGMA foreign_keys=ON;"); !ok) {
    return core::Fail(ok.error());
  }
  if (metrics != nullptr) {
    store->metrics_.emplace(*metrics, "sqlite");
    store->metrics_->Idle().Set(2);  // the writer and the reader
  }
  return store;
}

SqliteStore::~SqliteStore() {
  if (metrics_) metrics_->Idle().Set(0);
  const int reader_rc = sqlite3_close(reader_);  // no-op on null
  const int rc = sqlite3_close(db_);
  SB_CHECK(rc == SQLITE_OK && reader_rc == SQLITE_OK);  // every statement is finalised by Statement's destructor
}

void SqliteStore::Observe(bool read_only, std::chrono::steady_clock::time_point start,
                          const core::Result<void>& result) {
  if (!metrics_) return;
  metrics_->ObserveTransaction(read_only,
                               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!result) metrics_->CountError(result.error().code);
}

core::Result<void> SqliteStore::RunTransaction(const storage::TransactionFn& fn) {
  std::lock_guard lock(mutex_);
  const auto start = std::chrono::steady_clock::now();
  if (metrics_) {
    metrics_->Idle().Dec();
    metrics_->Busy().Inc();
  }
  auto result = [&]() -> core::Result<void> {
    if (auto begun = Exec(db_, "BEGIN IMMEDIATE"); !begun) return begun;
    SqliteTransaction tx(db_);
    auto done = fn(tx);
    if (done) {
      if (auto committed = Exec(db_, "COMMIT"); !committed) {
        (void)Exec(db_, "ROLLBACK");
        return committed;
      }
      return done;
    }
    (void)Exec(db_, "ROLLBACK");
    return done;
  }();
  if (metrics_) {
    metrics_->Busy().Dec();
    metrics_->Idle().Inc();
  }
  Observe(false, start, result);
  return result;
}

core::Result<void> SqliteStore::RunRead(const storage::TransactionFn& fn) {
  std::lock_guard lock(reader_mutex_);
  const auto start = std::chrono::steady_clock::now();
  if (metrics_) {
    metrics_->Idle().Dec();
    metrics_->Busy().Inc();
  }
  auto result = [&]() -> core::Result<void> {
    if (auto begun = Exec(reader_, "BEGIN DEFERRED"); !begun) return begun;
    SqliteTransaction tx(reader_, true);
    auto done = fn(tx);
    // Nothing to keep: a read-only transaction ends the same either way.
    (void)Exec(reader_, "ROLLBACK");
    return done;
  }();
  if (metrics_) {
    metrics_->Busy().Dec();
    metrics_->Idle().Inc();
  }
  Observe(true, start, result);
  return result;
}

boost::asio::awaitable<core::Result<void>> SqliteStore::Transact(storage::TransactionFn fn) {
  // Named before the co_await: g++ 12 destroys non-trivial temporaries in a co_await expression twice.
  auto task = [this, fn = std::move(fn)] { return RunTransaction(fn); };
  auto result = co_await pool_.Run(std::move(task));
  co_return result;
}

boost::asio::awaitable<core::Result<void>> SqliteStore::Read(storage::TransactionFn fn) {
  auto task = [this, fn = std::move(fn)] { return RunRead(fn); };
  auto result = co_await pool_.Run(std::move(task));
  co_return result;
}

}  // namespace salesboost::infra
