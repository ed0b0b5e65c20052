// A migrated SQLite store with one trainee (user "u1" of tenant "default"):
// where tests of sessions start. Header-only; for unit tests that link the app.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "core/blocking_pool.hpp"
#include "core/run_sync.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"

namespace salesboost::testing {

// Null (with a test failure) when the store cannot be opened or prepared.
inline std::unique_ptr<infra::SqliteStore> OpenStoreWithTrainee(const std::filesystem::path& file,
                                                                core::BlockingPool& pool) {
  auto opened = infra::SqliteStore::Open(file, {}, pool);
  EXPECT_TRUE(opened);
  if (!opened) return nullptr;
  auto store = std::move(*opened);
  if (!core::RunSync(storage::ApplyMigrations(*store, storage::BuiltinMigrations()))) {
    ADD_FAILURE() << "migrations failed";
    return nullptr;
  }
  storage::TransactionFn add_user = [](storage::Transaction& tx) -> core::Result<void> {
    auto done = tx.Execute(
        "INSERT INTO users (id, tenant_id, username, display_name, password_hash, role, created_at) "
        "VALUES ('u1', 'default', 'u', 'U', 'x', 'trainee', 'now')",
        {});
    return done ? core::Ok() : core::Fail(done.error());
  };
  if (!core::RunSync(store->Transact(add_user))) {
    ADD_FAILURE() << "the trainee could not be added";
    return nullptr;
  }
  return store;
}

}  // namespace salesboost::testing
