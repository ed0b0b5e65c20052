// PostgreSQL-only behaviour of PostgresStore against a real server
// (tests/support/postgres_server.hpp): migrating a database that holds data
// from the previous schema, the engine's own migration variants, the bounded
// pool, and an outage: kUnavailable while the server is down, nothing
// half-written, and recovery without a new store once it is back.
#include <gtest/gtest.h>

#include <future>
#include <latch>

#include "core/run_sync.hpp"
#include "infra/postgres/postgres_store.hpp"
#include "storage/migration.hpp"
#include "support/postgres_server.hpp"
#include "support/test_store.hpp"

namespace salesboost {
namespace {

using storage::Transaction;
using storage::TransactionFn;

class PostgresStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<infra::PostgresStore> Open(infra::PostgresOptions options) {
    auto store = infra::PostgresStore::Open(std::move(options), pool_, &metrics_);
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }
  std::unique_ptr<infra::PostgresStore> OpenFresh(const std::string& name) {
    return Open(testing::TestPostgresOptions(server_->CreateDatabase(name)));
  }
  static core::Result<void> Exec(storage::Store& store, const std::string& sql) {
    TransactionFn fn = [sql](Transaction& tx) -> core::Result<void> {
      auto done = tx.Execute(sql);
      return done ? core::Ok() : core::Fail(done.error());
    };
    return core::RunSync(store.Transact(std::move(fn)));
  }
  static std::int64_t Count(storage::Store& store, const std::string& table) {
    std::int64_t n = -1;
    TransactionFn fn = [&](Transaction& tx) -> core::Result<void> {
      auto rows = tx.Query("SELECT COUNT(*) FROM " + table);
      if (!rows) return core::Fail(rows.error());
      n = rows->front().Int(0);
      return core::Ok();
    };
    auto done = core::RunSync(store.Read(std::move(fn)));
    EXPECT_TRUE(done) << done.error().message;
    return n;
  }

  std::unique_ptr<testing::PostgresServer> server_ = testing::PostgresServer::Launch();
  core::MetricsRegistry metrics_;
  core::BlockingPool pool_{4};
};

TEST_F(PostgresStoreTest, MigratingFromThePreviousSchemaKeepsTheData) {
  auto store = OpenFresh("previous");
  ASSERT_NE(store, nullptr);
  auto all = storage::BuiltinMigrations();
  auto previous = all;
  previous.pop_back();
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, previous)));
  ASSERT_TRUE(Exec(*store,
                   "INSERT INTO knowledge_documents (id, tenant_id, collection, name, type, format, language, version, "
                   "bytes, pages, route, created_at, updated_at) VALUES ('d', 'default', 'c', 'n', 't', 'pdf', 'en', "
                   "'v', 5000000000, 3, '{}', 'a', 'b')"));
  ASSERT_TRUE(Exec(*store,
                   "INSERT INTO knowledge_chunks (id, document_id, parent_id, page, heading_path, begin_offset, "
                   "end_offset, tokens, text) VALUES ('k', 'd', NULL, 2, '[]', 0, 4, 1, 'text')"));
  auto applied = core::RunSync(storage::ApplyMigrations(*store, all));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(*applied, (std::vector<int>{all.back().version}));
  EXPECT_EQ(Count(*store, "knowledge_chunks WHERE page_end = 0 AND text = 'text'"), 1);
  EXPECT_EQ(Count(*store, "knowledge_documents WHERE bytes = 5000000000"), 1);
  // Each database records the checksum of the variant it ran.
  const std::string recorded = server_->Psql("SELECT checksum FROM schema_migrations WHERE version = 6", "previous");
  EXPECT_EQ(recorded, storage::MigrationChecksum(all[5], "postgres") + "\n");
  EXPECT_NE(storage::MigrationChecksum(all[5], "postgres"), storage::MigrationChecksum(all[5], "sqlite"));
  auto status = core::RunSync(storage::ReadSchemaStatus(*store, all));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_TRUE(status->IsCurrent());
}

TEST_F(PostgresStoreTest, AnEditedAppliedVariantIsRefused) {
  auto store = OpenFresh("edited");
  ASSERT_NE(store, nullptr);
  auto all = storage::BuiltinMigrations();
  ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store, all)));
  all[5].postgres_sql += "\n-- edited";
  auto status = core::RunSync(storage::ReadSchemaStatus(*store, all));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(status.error().message.find("migration 6 (knowledge) differs"), std::string::npos);
}

TEST_F(PostgresStoreTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  auto a = OpenFresh("racing");
  auto b = Open(testing::TestPostgresOptions(server_->Dsn("racing")));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto first = std::async(std::launch::async,
                          [&] { return core::RunSync(storage::ApplyMigrations(*a, storage::BuiltinMigrations())); });
  auto second = core::RunSync(storage::ApplyMigrations(*b, storage::BuiltinMigrations()));
  auto other = first.get();
  ASSERT_TRUE(other) << other.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(other->size() + second->size(), storage::BuiltinMigrations().size());
  EXPECT_EQ(Count(*a, "schema_migrations"), static_cast<std::int64_t>(storage::BuiltinMigrations().size()));
}

TEST_F(PostgresStoreTest, ThePoolIsBoundedAndAWaiterTimesOutUnavailable) {
  auto options = testing::TestPostgresOptions(server_->CreateDatabase("bounded"));
  options.pool_size = 1;
  options.pool_wait_ms = 200;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  std::promise<void> holding;
  std::promise<void> release;
  auto released = release.get_future().share();
  TransactionFn hold = [&](Transaction&) -> core::Result<void> {
    holding.set_value();
    released.wait();
    return core::Ok();
  };
  auto holder = std::async(std::launch::async, [&] { return core::RunSync(store->Transact(std::move(hold))); });
  holding.get_future().wait();
  TransactionFn nothing = [](Transaction&) -> core::Result<void> { return core::Ok(); };
  auto waited = core::RunSync(store->Read(nothing));
  release.set_value();
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(waited.error().message.find("store unavailable"), std::string::npos) << waited.error().message;
  ASSERT_TRUE(holder.get());
  EXPECT_EQ(store->OpenConnections(), 1);
  EXPECT_TRUE(core::RunSync(store->Read(nothing))) << "the connection is free again";
}

TEST_F(PostgresStoreTest, AnOutageIsUnavailableLeavesNothingHalfWrittenAndThePoolRecovers) {
  auto store = OpenFresh("outage");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Exec(*store, "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"));
  ASSERT_TRUE(Exec(*store, "INSERT INTO notes VALUES (1, 'before')"));

  // The server goes away in the middle of a transaction.
  TransactionFn cut = [&](Transaction& tx) -> core::Result<void> {
    auto wrote = tx.Execute("INSERT INTO notes VALUES (2, 'half')");
    if (!wrote) return core::Fail(wrote.error());
    server_->Stop();
    auto more = tx.Execute("INSERT INTO notes VALUES (3, 'half')");
    return more ? core::Ok() : core::Fail(more.error());
  };
  auto during = core::RunSync(store->Transact(std::move(cut)));
  ASSERT_FALSE(during);
  EXPECT_EQ(during.error().code, core::ErrorCode::kUnavailable) << during.error().message;
  EXPECT_TRUE(during.error().message.starts_with("store unavailable: postgres")) << during.error().message;

  // While it is down: every call fails fast and clearly.
  auto down = Exec(*store, "INSERT INTO notes VALUES (4, 'down')");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(down.error().message.find("store unavailable: postgres: cannot connect"), std::string::npos)
      << down.error().message;

  server_->Start();
  // The same store, no restart: stale connections are replaced.
  ASSERT_TRUE(Exec(*store, "INSERT INTO notes VALUES (5, 'after')"));
  EXPECT_EQ(Count(*store, "notes"), 2) << "only the committed rows: 1 and 5";
  EXPECT_EQ(Count(*store, "notes WHERE body = 'half'"), 0);
  const std::string text = metrics_.WritePrometheus();
  EXPECT_NE(text.find("salesboost_store_errors_total{engine=\"postgres\",code=\"unavailable\"}"), std::string::npos);

  // Several idle connections, all stale after a restart nobody saw: the next call still succeeds.
  std::latch together(3);
  std::vector<std::future<core::Result<void>>> readers;
  readers.reserve(3);
  for (int i = 0; i < 3; ++i) {
    readers.push_back(std::async(std::launch::async, [&] {
      TransactionFn meet = [&](Transaction&) -> core::Result<void> {
        together.arrive_and_wait();
        return core::Ok();
      };
      return core::RunSync(store->Read(std::move(meet)));
    }));
  }
  for (auto& reader : readers) ASSERT_TRUE(reader.get());
  EXPECT_GE(store->OpenConnections(), 3);
  server_->Stop();
  server_->Start();
  auto first = Exec(*store, "INSERT INTO notes VALUES (6, 'after a quiet restart')");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(Count(*store, "notes"), 3);
}

TEST_F(PostgresStoreTest, AWrongDsnFailsToOpenAsUnavailableWithoutTheSecret) {
  auto options = testing::TestPostgresOptions("host=127.0.0.1 port=1 user=postgres password=hunter2 dbname=x");
  options.connect_timeout_ms = 2'000;
  auto store = infra::PostgresStore::Open(options, pool_);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().message.find("hunter2"), std::string::npos) << store.error().message;
}

TEST_F(PostgresStoreTest, StatementsRunUnderTheConfiguredTimeout) {
  auto options = testing::TestPostgresOptions(server_->CreateDatabase("slow"));
  options.statement_timeout_ms = 100;
  auto store = Open(options);
  ASSERT_NE(store, nullptr);
  TransactionFn slow = [](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT pg_sleep(5)");
    return rows ? core::Ok() : core::Fail(rows.error());
  };
  auto result = core::RunSync(store->Read(std::move(slow)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kDeadlineExceeded) << result.error().message;
}

}  // namespace
}  // namespace salesboost
