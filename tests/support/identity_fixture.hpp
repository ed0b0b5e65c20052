// The identity services over a fresh SQLite store, for unit tests: cheap
// argon2 parameters, a manual clock, and helpers to create users and tokens.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/app_config.hpp"
#include "app/identity_setup.hpp"
#include "core/id_generator.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"
#include "support/server_process.hpp"

namespace salesboost::testing {

class IdentityFixture : public ::testing::Test {
 protected:
  static constexpr const char* kPassword = "correct horse battery staple";

  // `adjust` changes the [auth] options before the services are built.
  void Build(const std::function<void(app::AppConfig&)>& adjust = {}) {
    config_.auth.password_hash_memory_kib = 64;
    config_.auth.password_hash_iterations = 1;
    if (adjust) adjust(config_);
    auto opened = infra::SqliteStore::Open(dir_.path() / "a.db", {}, pool_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto migrated = core::RunSync(storage::ApplyMigrations(*store_, storage::BuiltinMigrations()));
    ASSERT_TRUE(migrated) << migrated.error().message;
    identity_ = std::make_unique<app::IdentityServices>(config_, *store_, *ids_, clock_,
                                                        core::Logger::ToString(log_, core::LogLevel::kInfo), tokens_);
  }
  void SetUp() override { Build(); }

  identity::AuthService& auth() { return identity_->auth; }

  identity::User CreateUser(const std::string& username, identity::Role role = identity::Role::kTrainee,
                            const std::string& password = kPassword) {
    auto created = core::RunSync(auth().CreateUser(
        identity::NewUser{
            .tenant_id = "default", .username = username, .display_name = {}, .password_hash = {}, .role = role},
        password, identity::Actor{.id = "test", .remote = {}}));
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : identity::User{};
  }

  tl::expected<identity::LoginResult, identity::LoginFailure> Login(const std::string& username,
                                                                    const std::string& password) {
    return core::RunSync(auth().Login(identity::LoginRequest{
        .tenant_id = "default", .username = username, .password = password, .remote = "10.0.0.1"}));
  }

  std::string Bearer(const identity::User& user) { return "Bearer " + tokens_.Issue(user.ToPrincipal()).token; }

  TempDir dir_;
  std::string log_;
  app::AppConfig config_;
  core::BlockingPool pool_{1};
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<core::IdGenerator> ids_ = core::MakeRandomIdGenerator();
  identity::TokenService tokens_{std::string(32, 'k'), std::chrono::seconds(600), clock_};
  std::unique_ptr<infra::SqliteStore> store_;
  std::unique_ptr<app::IdentityServices> identity_;
};

}  // namespace salesboost::testing
