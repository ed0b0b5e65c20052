// PostgresStore: the Store port on PostgreSQL through libpq.
//
// A bounded pool of connections (opened on demand up to pool_size; a caller
// waits in FIFO order up to pool_wait_ms for a free one). Each transaction
// runs on the BlockingPool with one pooled connection: writes in
// `BEGIN ISOLATION LEVEL SERIALIZABLE` (the same guarantees as SQLite's
// serialised writers, so repositories' read-then-write checks hold), reads in
// `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` (one snapshot; never
// blocked by writers). '?' placeholders become $1..$n; parameters go with
// explicit types (int8, float8, text; NULL untyped). Result columns: int2/4/8
// and bool -> int64, float4/8 and numeric -> double, NULL -> nullptr,
// everything else text.
//
// Errors: no connection / lost connection / pool wait timed out ->
// kUnavailable ("store unavailable: postgres ..."); constraint violations ->
// kAlreadyExists (as SQLite); serialization failure or deadlock -> kAborted,
// not retried (callbacks may have effects outside the database); statement
// timeout -> kDeadlineExceeded; a write in a read-only transaction ->
// kFailedPrecondition. A failed callback or COMMIT rolls back (a connection
// lost during COMMIT itself leaves the outcome unknown: kUnavailable). A connection
// found broken is closed and replaced; a transaction whose BEGIN fails on a
// stale connection closes the idle ones too (they predate the same restart)
// and is retried once on a fresh connection (nothing of it ran yet).
//
// Thread-safe. The pool (and the registry, when given) must outlive the store.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/blocking_pool.hpp"
#include "core/metrics.hpp"
#include "infra/postgres/postgres_options.hpp"
#include "storage/store.hpp"
#include "storage/store_metrics.hpp"

struct pg_conn;

namespace salesboost::infra {

class PostgresStore final : public storage::Store {
 public:
  // Connects once to check the DSN and the server (kUnavailable when it cannot).
  static core::Result<std::unique_ptr<PostgresStore>> Open(PostgresOptions options, core::BlockingPool& pool,
                                                           core::MetricsRegistry* metrics = nullptr);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  std::string_view Engine() const override { return "postgres"; }
  boost::asio::awaitable<core::Result<void>> Transact(storage::TransactionFn fn) override;
  boost::asio::awaitable<core::Result<void>> Read(storage::TransactionFn fn) override;

  // Connections open now (idle plus busy), for tests.
  int OpenConnections() const;

 private:
  PostgresStore(PostgresOptions options, core::BlockingPool& pool, core::MetricsRegistry* metrics);

  core::Result<pg_conn*> Connect() const;
  core::Result<pg_conn*> Acquire();
  void Release(pg_conn* conn, bool broken);
  void DropIdle();      // closes every idle connection
  void UpdateGauges();  // mutex_ held
  core::Result<void> RunTransaction(const storage::TransactionFn& fn, bool read_only);
  core::Result<void> RunOnce(const storage::TransactionFn& fn, bool read_only, bool& retry);

  PostgresOptions options_;
  core::BlockingPool& pool_;
  std::optional<storage::StoreMetrics> metrics_;

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<pg_conn*> idle_;         // guarded by mutex_
  int open_ = 0;                       // connections open or being opened; guarded by mutex_
  std::deque<std::uint64_t> waiters_;  // tickets of callers waiting for a connection, FIFO; guarded by mutex_
  std::uint64_t next_ticket_ = 0;      // guarded by mutex_
};

}  // namespace salesboost::infra
