// The Store port's contract, run against every engine: the unit binary
// instantiates it with SQLite, postgres_tests with PostgreSQL (a real server
// from tests/support/postgres_server.hpp).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/run_sync.hpp"
#include "storage/migration.hpp"
#include "storage/store_readiness.hpp"
#include "support/test_store.hpp"

namespace salesboost {
namespace {

using storage::Migration;
using storage::Transaction;
using storage::TransactionFn;
using testing::TestEngine;

class StoreContract : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    store_ = testing::OpenTestStore(GetParam(), dir_, pool_, &metrics_);
    ASSERT_NE(store_, nullptr);
  }

  core::Result<std::vector<storage::SqlRow>> Query(std::string sql) {
    core::Result<std::vector<storage::SqlRow>> rows;
    TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
      rows = tx.Query(sql);
      return core::Ok();
    };
    EXPECT_TRUE(core::RunSync(store_->Read(std::move(fn))));
    return rows;
  }
  std::int64_t Count(const std::string& table) {
    auto rows = Query("SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows ? rows->front().Int(0) : -1;
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  core::BlockingPool pool_{4};
  std::unique_ptr<storage::Store> store_;
};

// Engine-neutral: no rowid aliases, explicit keys.
const std::vector<Migration> kTwo = {
    {1, "notes", "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL UNIQUE);", {}},
    {2, "tags", "CREATE TABLE tags (note_id BIGINT NOT NULL, tag TEXT NOT NULL);", {}},
};

TEST_P(StoreContract, MigrationsApplyOnceInOrder) {
  auto empty = core::RunSync(storage::ReadSchemaStatus(*store_, kTwo));
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->current, 0);
  auto first = core::RunSync(storage::ApplyMigrations(*store_, kTwo));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, (std::vector<int>{1, 2}));
  auto again = core::RunSync(storage::ApplyMigrations(*store_, kTwo));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto status = core::RunSync(storage::ReadSchemaStatus(*store_, kTwo));
  ASSERT_TRUE(status);
  EXPECT_EQ(status->current, 2);
  EXPECT_TRUE(status->IsCurrent());
}

TEST_P(StoreContract, TheShippedMigrationsApplyAndTheirChecksumsAreRecorded) {
  const auto& migrations = storage::BuiltinMigrations();
  auto applied = core::RunSync(storage::ApplyMigrations(*store_, migrations));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->size(), migrations.size());
  auto rows = Query("SELECT version, checksum FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ((*rows)[i].Int(0), migrations[i].version);
    EXPECT_EQ((*rows)[i].Text(1), storage::MigrationChecksum(migrations[i], store_->Engine()));
  }
  auto status = core::RunSync(storage::ReadSchemaStatus(*store_, migrations));
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->IsCurrent());
}

TEST_P(StoreContract, FailingMigrationLeavesNothingBehind) {
  const std::vector<Migration> broken = {
      {1, "half", "CREATE TABLE half (id INTEGER); INSERT INTO nosuch VALUES (1);", {}}};
  auto result = core::RunSync(storage::ApplyMigrations(*store_, broken));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("migration 1 (half) failed"), std::string::npos) << result.error().message;
  TransactionFn probe = [](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT COUNT(*) FROM half");
    return rows ? core::Ok() : core::Fail(rows.error());
  };
  EXPECT_FALSE(core::RunSync(store_->Read(std::move(probe)))) << "the table was rolled back";
}

TEST_P(StoreContract, EditedOrUnknownAppliedMigrationsAreRefused) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  auto edited = kTwo;
  edited[1].sql += " -- changed";
  auto result = core::RunSync(storage::ApplyMigrations(*store_, edited));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(result.error().message.find("migration 2 (tags) differs"), std::string::npos);

  const std::vector<Migration> older = {kTwo[0]};
  auto downgrade = core::RunSync(storage::ReadSchemaStatus(*store_, older));
  ASSERT_FALSE(downgrade);
  EXPECT_NE(downgrade.error().message.find("schema version 2"), std::string::npos);
}

TEST_P(StoreContract, TransactionRollsBackWhenTheCallbackFails) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    if (auto ok = tx.Execute("INSERT INTO notes (id, body) VALUES (?, ?)", {std::int64_t{1}, std::string("kept?")});
        !ok) {
      return core::Fail(ok.error());
    }
    return core::Fail(core::ErrorCode::kInvalidArgument, "changed my mind");
  };
  auto result = core::RunSync(store_->Transact(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "changed my mind");
  EXPECT_EQ(Count("notes"), 0);
}

TEST_P(StoreContract, ParametersRoundTripAllTypesAndQuotedQuestionMarksStay) {
  std::vector<storage::SqlRow> rows;
  TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
    auto out = tx.Query("SELECT ?, ?, ?, ?, 'what?', ? + 1, COUNT(*) FROM (SELECT 1 AS \"x?\") AS t",
                        {std::int64_t{42}, 2.5, std::string("价格 'quoted'"), nullptr, std::int64_t{9'000'000'000}});
    if (!out) return core::Fail(out.error());
    rows = std::move(*out);
    return core::Ok();
  };
  auto done = core::RunSync(store_->Transact(std::move(fn)));
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 42);
  EXPECT_DOUBLE_EQ(rows[0].Real(1), 2.5);
  EXPECT_EQ(rows[0].Text(2), "价格 'quoted'");
  EXPECT_TRUE(rows[0].IsNull(3));
  EXPECT_EQ(rows[0].Text(4), "what?");
  EXPECT_EQ(rows[0].Int(5), 9'000'000'001);
  EXPECT_EQ(rows[0].Int(6), 1);
}

TEST_P(StoreContract, ExecuteCountsChangedRowsAndNullsBindInTypedColumns) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  std::int64_t changed = -1;
  TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
    for (std::int64_t id = 1; id <= 3; ++id) {
      auto ok = tx.Execute("INSERT INTO notes (id, body) VALUES (?, ?)", {id, "n" + std::to_string(id)});
      if (!ok) return core::Fail(ok.error());
    }
    auto updated = tx.Execute("UPDATE notes SET body = body || ? WHERE id >= ?", {std::string("!"), std::int64_t{2}});
    if (!updated) return core::Fail(updated.error());
    changed = *updated;
    auto tagged = tx.Execute("INSERT INTO tags (note_id, tag) SELECT id, ? FROM notes WHERE id > ?",
                             {std::string("t"), std::int64_t{0}});
    return tagged ? core::Ok() : core::Fail(tagged.error());
  };
  auto done = core::RunSync(store_->Transact(std::move(fn)));
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(changed, 2);
  EXPECT_EQ(Count("tags"), 3);
}

TEST_P(StoreContract, SqlErrorsAreValuesNotCrashes) {
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    auto bad = tx.Query("SELEC nonsense", {});
    if (!bad) return core::Fail(bad.error());
    return core::Ok();
  };
  auto result = core::RunSync(store_->Transact(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kInternal);
  auto still_usable = Query("SELECT 1");
  ASSERT_TRUE(still_usable);
  EXPECT_EQ(still_usable->front().Int(0), 1);
}

TEST_P(StoreContract, ConstraintViolationsAreAlreadyExistsAndRollBack) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    auto first = tx.Execute("INSERT INTO notes (id, body) VALUES (1, 'a')");
    if (!first) return core::Fail(first.error());
    auto second = tx.Execute("INSERT INTO notes (id, body) VALUES (2, 'a')");
    return second ? core::Ok() : core::Fail(second.error());
  };
  auto result = core::RunSync(store_->Transact(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kAlreadyExists) << result.error().message;
  EXPECT_EQ(Count("notes"), 0);
}

TEST_P(StoreContract, AReadOnlyTransactionRefusesAWrite) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  TransactionFn fn = [](Transaction& tx) -> core::Result<void> {
    auto wrote = tx.Execute("INSERT INTO notes (id, body) VALUES (1, 'sneaky')");
    return wrote ? core::Ok() : core::Fail(wrote.error());
  };
  auto result = core::RunSync(store_->Read(std::move(fn)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kFailedPrecondition) << result.error().message;
  EXPECT_EQ(Count("notes"), 0);
}

TEST_P(StoreContract, ReadersDoNotWaitBehindAnOpenWriteTransaction) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  std::promise<void> writing;
  std::promise<void> release;
  auto released = release.get_future().share();
  TransactionFn write = [&](Transaction& tx) -> core::Result<void> {
    auto wrote = tx.Execute("INSERT INTO notes (id, body) VALUES (1, 'uncommitted')");
    writing.set_value();
    released.wait();  // hold the write transaction open until the reader is done
    return wrote ? core::Ok() : core::Fail(wrote.error());
  };
  auto writer = std::async(std::launch::async, [&] { return core::RunSync(store_->Transact(std::move(write))); });
  writing.get_future().wait();
  auto reader = std::async(std::launch::async, [&] {
    std::int64_t seen = -1;
    TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
      auto rows = tx.Query("SELECT COUNT(*) FROM notes");
      if (!rows) return core::Fail(rows.error());
      seen = rows->front().Int(0);
      return core::Ok();
    };
    auto ok = core::RunSync(store_->Read(std::move(read)));
    return ok ? seen : -1;
  });
  // Generous: a reader queued behind the writer would wait until release, forever.
  const bool finished = reader.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  release.set_value();
  ASSERT_TRUE(finished) << "the read waited for the write transaction";
  EXPECT_EQ(reader.get(), 0) << "the reader sees the last commit, not the open write";
  auto committed = writer.get();
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_EQ(Count("notes"), 1);
}

TEST_P(StoreContract, ReadinessFollowsTheSchemaVersion) {
  storage::StoreReadiness probe(*store_, kTwo);
  const std::string engine(store_->Engine());
  auto before = core::RunSync(probe.Check());
  EXPECT_FALSE(before.ready);
  EXPECT_EQ(before.detail, engine + " schema version 0 of 2");
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  auto after = core::RunSync(probe.Check());
  EXPECT_TRUE(after.ready);
  EXPECT_EQ(after.detail, engine + " schema version 2 of 2");
}

TEST_P(StoreContract, TransactionsAndErrorsAreCountedByEngineAndKind) {
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, kTwo)));
  (void)Query("SELECT 1");
  TransactionFn bad = [](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELEC 1");
    return rows ? core::Ok() : core::Fail(rows.error());
  };
  EXPECT_FALSE(core::RunSync(store_->Transact(std::move(bad))));
  const std::string text = metrics_.WritePrometheus();
  const std::string engine(store_->Engine());
  EXPECT_NE(text.find("salesboost_store_transaction_duration_seconds_count{engine=\"" + engine + "\",kind=\"read\"}"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("salesboost_store_transaction_duration_seconds_count{engine=\"" + engine + "\",kind=\"write\"}"),
            std::string::npos);
  EXPECT_NE(text.find("salesboost_store_errors_total{engine=\"" + engine + "\",code=\"internal\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("salesboost_store_pool_connections{engine=\"" + engine + "\",state=\"busy\"} 0"),
            std::string::npos)
      << text;
}

#ifdef SALESBOOST_TEST_POSTGRES
INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::Values(TestEngine::kPostgres), testing::EngineName);
#else
INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::Values(TestEngine::kSqlite), testing::EngineName);
#endif

}  // namespace
}  // namespace salesboost
