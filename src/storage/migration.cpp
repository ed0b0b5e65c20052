#include "storage/migration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>

#include "core/clock.hpp"

namespace salesboost::storage {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

std::string NowIso8601() { return core::IsoSeconds(std::chrono::system_clock::now()); }

// Whether schema_migrations exists (a read-only transaction cannot create it).
core::Result<bool> HasMigrationsTable(Transaction& tx, std::string_view engine) {
  auto rows = engine == "postgres"
                  ? tx.Query(
                        "SELECT COUNT(*) FROM information_schema.tables "
                        "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'")
                  : tx.Query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!rows) return core::Fail(rows.error());
  return !rows->empty() && rows->front().Int(0) > 0;
}

// version -> checksum of what the database has applied.
core::Result<std::map<int, std::string>> Applied(Transaction& tx, bool create = true) {
  if (create) {
    if (auto created = tx.Execute(kCreateTable); !created) return core::Fail(created.error());
  }
  auto rows = tx.Query("SELECT version, checksum FROM schema_migrations ORDER BY version");
  if (!rows) return core::Fail(rows.error());
  std::map<int, std::string> applied;
  for (const auto& row : *rows) applied.emplace(static_cast<int>(row.Int(0)), row.Text(1));
  return applied;
}

core::Result<void> CheckCompatible(const std::map<int, std::string>& applied, const std::vector<Migration>& migrations,
                                   std::string_view engine) {
  std::map<int, const Migration*> known;
  for (const auto& m : migrations) known.emplace(m.version, &m);
  for (const auto& [version, checksum] : applied) {
    const auto it = known.find(version);
    if (it == known.end()) {
      return core::Fail(core::ErrorCode::kFailedPrecondition,
                        fmt::format("database has schema version {} which this binary does not know; "
                                    "upgrade salesboost",
                                    version));
    }
    if (MigrationChecksum(*it->second, engine) != checksum) {
      return core::Fail(
          core::ErrorCode::kFailedPrecondition,
          fmt::format("migration {} ({}) differs from the one applied to this database", version, it->second->name));
    }
  }
  return core::Ok();
}

int Latest(const std::vector<Migration>& migrations) {
  int latest = 0;
  for (const auto& m : migrations) latest = std::max(latest, m.version);
  return latest;
}

}  // namespace

const std::string& MigrationSql(const Migration& migration, std::string_view engine) {
  return engine == "postgres" && !migration.postgres_sql.empty() ? migration.postgres_sql : migration.sql;
}

std::string MigrationChecksum(const Migration& migration, std::string_view engine) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : MigrationSql(migration, engine)) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

boost::asio::awaitable<core::Result<SchemaStatus>> ReadSchemaStatus(Store& store, std::vector<Migration> migrations) {
  SchemaStatus status{.current = 0, .latest = Latest(migrations)};
  const std::string engine(store.Engine());
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto exists = HasMigrationsTable(tx, engine);
    if (!exists) return core::Fail(exists.error());
    if (!*exists) return core::Ok();  // an empty database
    auto applied = Applied(tx, false);
    if (!applied) return core::Fail(applied.error());
    if (auto ok = CheckCompatible(*applied, migrations, engine); !ok) return ok;
    status.current = applied->empty() ? 0 : applied->rbegin()->first;
    return core::Ok();
  };
  auto result = co_await store.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return status;
}

boost::asio::awaitable<core::Result<std::vector<int>>> ApplyMigrations(Store& store,
                                                                       std::vector<Migration> migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  std::vector<int> applied_now;
  const std::string engine(store.Engine());
  const bool postgres = engine == "postgres";
  for (const auto& migration : migrations) {
    // One transaction per migration; re-reading the applied set inside it makes
    // concurrent migrators safe (the store serialises writers; on PostgreSQL an advisory lock does).
    TransactionFn apply = [&](Transaction& tx) -> core::Result<void> {
      if (postgres) {
        // PostgreSQL runs writers side by side: one migrator at a time, across processes. Read
        // committed, so that what the previous holder of the lock committed is seen once we hold it.
        if (auto rc = tx.Execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"); !rc) return core::Fail(rc.error());
        if (auto locked = tx.Query("SELECT pg_advisory_xact_lock(7420135)"); !locked) return core::Fail(locked.error());
      }
      auto applied = Applied(tx);
      if (!applied) return core::Fail(applied.error());
      if (auto ok = CheckCompatible(*applied, migrations, engine); !ok) return ok;
      if (applied->contains(migration.version)) return core::Ok();
      if (auto ran = tx.ExecuteScript(MigrationSql(migration, engine)); !ran) {
        return core::Fail(ran.error().code, fmt::format("migration {} ({}) failed: {}", migration.version,
                                                        migration.name, ran.error().message));
      }
      auto recorded = tx.Execute(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
          "VALUES (?, ?, ?, ?)",
          {std::int64_t{migration.version}, migration.name, MigrationChecksum(migration, engine), NowIso8601()});
      if (!recorded) return core::Fail(recorded.error());
      applied_now.push_back(migration.version);
      return core::Ok();
    };
    auto result = co_await store.Transact(std::move(apply));
    if (!result) co_return core::Fail(result.error());
  }
  co_return applied_now;
}

}  // namespace salesboost::storage
