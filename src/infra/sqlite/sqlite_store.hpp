// SqliteStore: the Store port on one SQLite file in WAL mode.
//
// One connection, serialised by a mutex; every transaction runs on the
// BlockingPool and starts with BEGIN IMMEDIATE, so writers never deadlock on
// lock upgrades and concurrent processes wait up to busy_timeout_ms.
// Thread-safe. The pool must outlive the store.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "core/blocking_pool.hpp"
#include "infra/sqlite/sqlite_options.hpp"
#include "storage/store.hpp"

struct sqlite3;

namespace salesboost::infra {

class SqliteStore final : public storage::Store {
 public:
  // Opens (creating the file and its directory if needed) and switches to WAL.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path,
                                                         const SqliteOptions& options, core::BlockingPool& pool);
  ~SqliteStore() override;

  std::string_view Engine() const override { return "sqlite"; }
  boost::asio::awaitable<core::Result<void>> Transact(storage::TransactionFn fn) override;

 private:
  SqliteStore(sqlite3* db, core::BlockingPool& pool) : db_(db), pool_(pool) {}
  core::Result<void> RunTransaction(const storage::TransactionFn& fn);

  sqlite3* db_;
  core::BlockingPool& pool_;
  std::mutex mutex_;  // guards every use of db_
};

}  // namespace salesboost::infra
