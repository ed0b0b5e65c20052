// Stores for tests that run against both engines: a fresh SQLite file in the
// test's temporary directory, or a fresh database on a PostgreSQL server
// (tests/support/postgres_server.hpp) started once per test process. Used by
// the parameterised store and repository suites; the unit binary instantiates
// them with SQLite, the PostgreSQL integration binary with PostgreSQL.
// Header-only; for test binaries that link the app.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <ostream>
#include <string>

#include "core/blocking_pool.hpp"
#include "core/metrics.hpp"
#include "infra/postgres/postgres_store.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/store.hpp"
#include "support/postgres_server.hpp"
#include "support/server_process.hpp"

namespace salesboost::testing {

enum class TestEngine { kSqlite, kPostgres };

inline void PrintTo(TestEngine engine, std::ostream* os) {
  *os << (engine == TestEngine::kSqlite ? "sqlite" : "postgres");
}

inline std::string EngineName(const ::testing::TestParamInfo<TestEngine>& info) {
  return info.param == TestEngine::kSqlite ? "Sqlite" : "Postgres";
}

// The process's PostgreSQL server, launched on first use (throws when it cannot start).
inline PostgresServer& SharedPostgres() {
  static const std::unique_ptr<PostgresServer> server = PostgresServer::Launch();
  return *server;
}

inline infra::PostgresOptions TestPostgresOptions(std::string dsn) {
  return infra::PostgresOptions{.dsn = std::move(dsn),
                                .pool_size = 4,
                                .connect_timeout_ms = 5'000,
                                .statement_timeout_ms = 30'000,
                                .pool_wait_ms = 10'000};
}

// A new, empty store of `engine`; null (with a test failure) when it cannot be opened.
inline std::unique_ptr<storage::Store> OpenTestStore(TestEngine engine, const TempDir& dir, core::BlockingPool& pool,
                                                     core::MetricsRegistry* metrics = nullptr) {
  if (engine == TestEngine::kSqlite) {
    auto opened = infra::SqliteStore::Open(dir.path() / "test.db", {}, pool, metrics);
    EXPECT_TRUE(opened) << opened.error().message;
    if (!opened) return nullptr;
    return std::move(*opened);
  }
  static std::atomic<int> databases{0};
  const std::string dsn = SharedPostgres().CreateDatabase("t" + std::to_string(++databases));
  auto opened = infra::PostgresStore::Open(TestPostgresOptions(dsn), pool, metrics);
  EXPECT_TRUE(opened) << opened.error().message;
  if (!opened) return nullptr;
  return std::move(*opened);
}

}  // namespace salesboost::testing
