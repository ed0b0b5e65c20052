// Versioned schema migrations: SQL files under src/storage/migrations, named
// NNNN_name.sql, embedded into the binary at build time. Applied in version
// order, each in its own transaction, recorded in schema_migrations with a
// checksum so an edited, already-applied migration is detected.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/store.hpp"

namespace salesboost::storage {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;           // portable SQL (SQLite, and PostgreSQL unless postgres_sql is set)
  std::string postgres_sql;  // NNNN_name.postgres.sql: what PostgreSQL runs instead; empty: `sql`
};

// The SQL `engine` ("sqlite" or "postgres") runs for `migration`.
const std::string& MigrationSql(const Migration& migration, std::string_view engine);

// The migrations shipped with this binary, in version order.
const std::vector<Migration>& BuiltinMigrations();

struct SchemaStatus {
  int current = 0;  // highest applied version, 0 for an empty database
  int latest = 0;   // highest version this binary knows
  bool IsCurrent() const { return current == latest; }
};

// 64-bit FNV-1a of the SQL text `engine` runs as 16 hex characters (change
// detection, not security). Each database records the checksum of the variant
// it applied, so SQLite checksums never change when a PostgreSQL variant is added.
std::string MigrationChecksum(const Migration& migration, std::string_view engine = "sqlite");

boost::asio::awaitable<core::Result<SchemaStatus>> ReadSchemaStatus(Store& store, std::vector<Migration> migrations);

// Applies pending migrations; returns the versions applied now (empty when up
// to date). Fails with kFailedPrecondition when the database is newer than
// this binary or an applied migration was edited.
boost::asio::awaitable<core::Result<std::vector<int>>> ApplyMigrations(Store& store, std::vector<Migration> migrations);

}  // namespace salesboost::storage
