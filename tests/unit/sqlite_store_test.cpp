#include "infra/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/run_sync.hpp"
#include "storage/migration.hpp"
#include "storage/store_readiness.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

using storage::Migration;
using storage::Transaction;
using storage::TransactionFn;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<infra::SqliteStore> Open() {
    auto store = infra::SqliteStore::Open(dir_.path() / "nested" / "test.db", {}, pool_);
    EXPECT_TRUE(store) << store.error().message;
    return std::move(*store);
  }

  core::Result<std::vector<storage::SqlRow>> Query(storage::Store& store, std::string sql) {
    core::Result<std::vector<storage::SqlRow>> rows;
    TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
      rows = tx.Query(sql);
      return core::Ok();
    };
    EXPECT_TRUE(core::RunSync(store.Transact(std::move(fn))));
    return rows;
  }

  testing::TempDir dir_;
  core::BlockingPool pool_{2};
};

const std::vector<Migration> kTwo = {
    {1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);", {}},
    {2, "tags", "CREATE TABLE tags (note_id INTEGER NOT NULL, tag TEXT NOT NULL);", {}},
};

TEST_F(SqliteStoreTest, OpensInWalModeCreatingDirectories) {
  auto store = Open();
  auto mode = Query(*store, "PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  EXPECT_EQ(mode->front().Text(0), "wal");
}

TEST_F(SqliteStoreTest, TheDatabaseAndItsJournalAreReadableByTheOwnerOnly) {
  namespace fs = std::filesystem;
  const auto path = dir_.path() / "nested" / "test.db";
  {
    auto first = Open();  // creates the database and its journal
    ASSERT_TRUE(first);
  }
  // As an earlier release left them: readable by everyone.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = path;
    file += suffix;
    if (fs::exists(file))
      fs::permissions(file,
                      fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  }
  auto store = Open();
  ASSERT_TRUE(store);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path file = path;
    file += suffix;
    if (!fs::exists(file)) continue;
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write) << file;
  }
}

TEST_F(SqliteStoreTest, MigrationsApplyOnceInOrder) {
  auto store = Open();
  auto first = core::RunSync(storage::ApplyMigrations(*store, kTwo));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, (std::vector<int>{1, 2}));
  auto again = core::RunSync(storage::ApplyMigrations(*store, kTwo));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto status = core::RunSync(storage::ReadSchemaStatus(*store, kTwo));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, 2);
  EXPECT_TRUE(status->IsCurrent());
}

TEST_F(SqliteStoreTest, FailingMigrationLeavesNothingBehind) {
  auto store = Open();
  const std::vector<Migration> broken = {
      {1, "half", "CREATE TABLE half (id INTEGER); INSERT INTO nosuch VALUES (1);", {}}};
  auto result = core::RunSync(storage::ApplyMigrations(*store, broken));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("migration 1 (half) failed"), std::string::npos) << result.error().message;
  auto tables = Query(*store, "SELECT name FROM sqlite_master WHERE name = 'half'");
  ASSERT_TRUE(tables);
  EXPECT_TRUE(tables->empty());
}

TEST_F(SqliteStoreTest, EditedOrUnknownAppliedMigrationsAreRefused) {
  auto store = Open();
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, kTwo)));
  auto edited = kTwo;
  edited[1].sql += " -- changed";
  auto result = core::RunSync(storage::ApplyMigrations(*store, edited));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(result.error().message.find("migration 2 (tags) differs"), std::string::npos);

  const std::vector<Migration> older = {kTwo[0]};
  auto downgrade = core::RunSync(storage::ReadSchemaStatus(*store, older));
  ASSERT_FALSE(downgrade);
  EXPECT_NE(downgrade.error().message.find("schema version 2"), std::string::npos);
}

TEST_F(SqliteStoreTest, TransactionRollsBackWhenTheCallbackFails) {
  auto store = Open();
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, kTwo)));
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    if (auto ok = tx.Execute("INSERT INTO notes (body) VALUES (?)", {std::string("kept?")}); !ok)
      return core::Fail(ok.error());
    return core::Fail(core::ErrorCode::kInvalidArgument, "changed my mind");
  };
  auto result = core::RunSync(store->Transact(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "changed my mind");
  auto rows = Query(*store, "SELECT COUNT(*) FROM notes");
  EXPECT_EQ(rows->front().Int(0), 0);
}

TEST_F(SqliteStoreTest, ParametersRoundTripAllTypes) {
  auto store = Open();
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, kTwo)));
  std::vector<storage::SqlRow> rows;
  TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
    auto out = tx.Query("SELECT ?, ?, ?, ?", {std::int64_t{42}, 2.5, std::string("价格 'quoted'"), nullptr});
    if (!out) return core::Fail(out.error());
    rows = std::move(*out);
    return core::Ok();
  };
  ASSERT_TRUE(core::RunSync(store->Transact(std::move(fn))));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 42);
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 2.5);
  EXPECT_EQ(rows[0].Text(2), "价格 'quoted'");
  EXPECT_TRUE(rows[0].IsNull(3));
}

TEST_F(SqliteStoreTest, SqlErrorsAreValuesNotCrashes) {
  auto store = Open();
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    auto bad = tx.Query("SELEC nonsense", {});
    if (!bad) return core::Fail(bad.error());
    return core::Ok();
  };
  auto result = core::RunSync(store->Transact(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInternal);
  auto still_usable = Query(*store, "SELECT 1");
  ASSERT_TRUE(still_usable);
  EXPECT_EQ(still_usable->front().Int(0), 1);
}

TEST_F(SqliteStoreTest, ReadinessFollowsTheSchemaVersion) {
  auto store = Open();
  storage::StoreReadiness probe(*store, kTwo);
  auto before = core::RunSync(probe.Check());
  EXPECT_FALSE(before.ready);
  EXPECT_EQ(before.detail, "sqlite schema version 0 of 2");
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, kTwo)));
  auto after = core::RunSync(probe.Check());
  EXPECT_TRUE(after.ready);
  EXPECT_EQ(after.detail, "sqlite schema version 2 of 2");
}

TEST_F(SqliteStoreTest, BuiltinMigrationsApplyCleanly) {
  auto store = Open();
  auto applied = core::RunSync(storage::ApplyMigrations(*store, storage::BuiltinMigrations()));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->size(), storage::BuiltinMigrations().size());
  auto tenants = Query(*store, "SELECT id FROM tenants");
  ASSERT_TRUE(tenants);
  EXPECT_EQ(tenants->front().Text(0), "default");
}

// Existing installs recorded these when they applied the shipped migrations; a
// changed SQLite checksum would stop them from starting. PostgreSQL variants
// (NNNN_name.postgres.sql) have checksums of their own and change none of these.
TEST(MigrationChecksums, TheShippedSqliteChecksumsNeverChange) {
  const std::vector<std::string> expected = {"f2b830760fa4bba4", "931d2681daf5a597", "2628a3dcf21e9a4d",
                                             "c4b6c166726c31a7", "628d0eaacb5a53e4", "fb12147c1961e81f",
                                             "1c03fffd2aa0bbb8", "b8a8b90d2920abad"};
  const auto& migrations = storage::BuiltinMigrations();
  ASSERT_GE(migrations.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(storage::MigrationChecksum(migrations[i]), expected[i]) << migrations[i].name;
    EXPECT_EQ(storage::MigrationChecksum(migrations[i], "sqlite"), expected[i]) << migrations[i].name;
  }
}

TEST_F(SqliteStoreTest, ReadsRunOnAQueryOnlyConnection) {
  auto store = Open();
  TransactionFn read = [](Transaction& tx) -> core::Result<void> {
    auto mode = tx.Query("PRAGMA query_only");
    if (!mode) return core::Fail(mode.error());
    return mode->front().Int(0) == 1 ? core::Ok() : core::Fail(core::ErrorCode::kInternal, "writable reader");
  };
  auto checked = core::RunSync(store->Read(std::move(read)));
  EXPECT_TRUE(checked) << checked.error().message;
}

}  // namespace
}  // namespace salesboost
