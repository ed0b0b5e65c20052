// SqliteStore: the Store port on one SQLite file in WAL mode.
//
// A writer connection, serialised by a mutex: every Transact runs on the
// BlockingPool and starts with BEGIN IMMEDIATE, so writers never deadlock on
// lock upgrades and concurrent processes wait up to busy_timeout_ms. Read()
// runs on a second, query-only connection with a deferred transaction, so a
// reader sees one snapshot and never waits for the writer (WAL readers run
// beside it); a write there fails with kFailedPrecondition.
// Thread-safe. The pool (and the registry, when given) must outlive the store.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "core/blocking_pool.hpp"
#include "core/metrics.hpp"
#include "infra/sqlite/sqlite_options.hpp"
#include "storage/store.hpp"
#include "storage/store_metrics.hpp"

struct sqlite3;

namespace salesboost::infra {

class SqliteStore final : public storage::Store {
 public:
  // Opens (creating the file and its directory if needed) and switches to WAL.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path,
                                                         const SqliteOptions& options, core::BlockingPool& pool,
                                                         core::MetricsRegistry* metrics = nullptr);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  std::string_view Engine() const override { return "sqlite"; }
  boost::asio::awaitable<core::Result<void>> Transact(storage::TransactionFn fn) override;
  boost::asio::awaitable<core::Result<void>> Read(storage::TransactionFn fn) override;

 private:
  SqliteStore(sqlite3* db, core::BlockingPool& pool) : db_(db), pool_(pool) {}
  core::Result<void> RunTransaction(const storage::TransactionFn& fn);
  core::Result<void> RunRead(const storage::TransactionFn& fn);
  void Observe(bool read_only, std::chrono::steady_clock::time_point start, const core::Result<void>& result);

  sqlite3* db_;
  sqlite3* reader_ = nullptr;  // query-only connection for Read(); set once by Open
  core::BlockingPool& pool_;
  std::optional<storage::StoreMetrics> metrics_;
  std::mutex mutex_;         // guards every use of db_
  std::mutex reader_mutex_;  // guards every use of reader_
};

}  // namespace salesboost::infra
