// Accounts: the password policy, per-account lockout with back-off, token
// revocation on password change and deletion, the bounded hashing pool and the
// audit records of logins.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <mutex>

#include "app/secret_audit.hpp"
#include "core/bounded_pool.hpp"
#include "core/run_sync.hpp"
#include "identity/password_policy.hpp"
#include "support/identity_fixture.hpp"

namespace salesboost::identity {
namespace {

using salesboost::testing::IdentityFixture;

TEST(PasswordPolicy, RefusesWeakPasswordsSayingWhy) {
  const PasswordPolicy policy({.min_length = 10});
  const std::vector<std::pair<std::string, std::string>> weak = {
      {"password", "at least 10 characters"},
      {"12345678", "at least 10 characters"},
      {"        ", "at least 10 characters"},
      {"          ", "only spaces"},
      {"\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80"
       "\xe3\x80\x80",
       "only spaces"},
      {"0123456789", "run like 12345678"},
      {"zzzzzzzzzzzz", "run like 12345678"},
      {"abcdefghijk", "run like 12345678"},
      {"password123", "too common"},
      {"Qwerty123456", "too common"},
      {"5201314520", "too common"},
      {"ann.example", "not be the username"},
      {"tab\there-and-long", "control characters"},
      {std::string("nul\0inside-long", 15), "control characters"},
      {"\xff\xfe-not-utf8-at-all", "valid UTF-8"},
      {std::string(1025, 'x'), "at most 1024 bytes"},
  };
  for (const auto& [password, why] : weak) {
    auto checked = policy.Check(password, "ann.example");
    ASSERT_FALSE(checked) << password;
    EXPECT_EQ(checked.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_NE(checked.error().message.find(why), std::string::npos) << password << ": " << checked.error().message;
  }
  for (const std::string strong : {"correct horse battery staple", "销售训练每天都要练习", "Tr0ub4dor&3-xyz"}) {
    EXPECT_TRUE(policy.Check(strong, "ann.example")) << strong;
  }
}

TEST(PasswordPolicy, TheCommonListIsLoadedAndCaseInsensitive) {
  EXPECT_TRUE(IsCommonPassword("password"));
  EXPECT_TRUE(IsCommonPassword("PASSWORD1"));
  EXPECT_TRUE(IsCommonPassword("88888888"));
  EXPECT_FALSE(IsCommonPassword("correct horse battery staple"));
}

TEST(BoundedPool, RefusesBeyondItsQueueAndRunsAgainAfter) {
  core::BoundedPool pool(1, 1);
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  boost::asio::io_context io;
  std::vector<std::optional<int>> results(3);
  auto blocker = [&]() -> int {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return release; });
    return 1;
  };
  for (int i = 0; i < 3; ++i) {
    boost::asio::co_spawn(
        io, [&, i]() -> boost::asio::awaitable<void> { results[i] = co_await pool.TryRun(blocker); },
        boost::asio::detached);
  }
  io.run_for(std::chrono::milliseconds(50));  // all three started: one runs, one waits, one refused
  EXPECT_EQ(pool.InFlight(), 2);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  io.restart();
  io.run();
  int ran = 0;
  int refused = 0;
  for (const auto& result : results) (result ? ran : refused) += 1;
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(pool.InFlight(), 0);
  EXPECT_EQ(core::RunSync(pool.TryRun([] { return 7; })), std::optional<int>(7));
}

class AccountsTest : public IdentityFixture {};

TEST_F(AccountsTest, CreatingAUserEnforcesThePolicy) {
  auto created = core::RunSync(auth().CreateUser(
      NewUser{
          .tenant_id = "default", .username = "bob", .display_name = {}, .password_hash = {}, .role = Role::kTrainee},
      "password", Actor{.id = "test", .remote = {}}));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(AccountsTest, AnAccountLocksAfterRepeatedFailuresWithDoublingBackOff) {
  CreateUser("ann");
  for (int i = 0; i < 4; ++i) {
    auto failed = Login("ann", "wrong password " + std::to_string(i));
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().error.code, core::ErrorCode::kUnauthenticated);
  }
  EXPECT_FALSE(Login("ann", "wrong again"));  // the fifth failure starts a 30 s lock
  auto locked = Login("ann", kPassword);      // even the right password waits
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(locked.error().retry_after, std::chrono::seconds(30));
  EXPECT_NE(locked.error().error.message.find("retry in 30 s"), std::string::npos);

  clock_.Advance(std::chrono::seconds(31));
  EXPECT_FALSE(Login("ann", "still wrong"));  // the sixth: 60 s
  auto longer = Login("ann", kPassword);
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().retry_after, std::chrono::seconds(60));

  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(Login("ann", kPassword));  // success clears the count
  EXPECT_FALSE(Login("ann", "wrong once more"));
  EXPECT_TRUE(Login("ann", kPassword));
}

TEST_F(AccountsTest, UnknownUsernamesLockLikeRealOnes) {
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(Login("nobody", "guess " + std::to_string(i)));
  auto locked = Login("nobody", "guess 6");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().error.code, core::ErrorCode::kResourceExhausted);
}

TEST_F(AccountsTest, LockLengthIsCappedAndOffAtThresholdZero) {
  const LoginLockout lockout(*store_, clock_, {.threshold = 3, .base_s = 10, .max_s = 100, .forget_s = 60});
  EXPECT_EQ(lockout.LockLength(2).count(), 0);
  EXPECT_EQ(lockout.LockLength(3).count(), 10);
  EXPECT_EQ(lockout.LockLength(5).count(), 40);
  EXPECT_EQ(lockout.LockLength(50).count(), 100);
  Build([](app::AppConfig& c) { c.auth.lockout_threshold = 0; });
  CreateUser("ann");
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(Login("ann", "wrong"));
  EXPECT_TRUE(Login("ann", kPassword));
}

TEST_F(AccountsTest, APasswordChangeRevokesOldTokens) {
  const auto ann = CreateUser("ann");
  const auto old_token = Bearer(ann);
  ASSERT_TRUE(core::RunSync(auth().Authenticate(old_token)));
  auto changed = core::RunSync(auth().SetPassword("default", ann.id, "another long passphrase", {}));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->token_version, 1);
  auto refused = core::RunSync(auth().Authenticate(old_token));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_FALSE(Login("ann", kPassword));
  EXPECT_TRUE(Login("ann", "another long passphrase"));
}

TEST_F(AccountsTest, DeletingAUserRevokesItsTokensAndFreesTheUsername) {
  const auto ann = CreateUser("ann");
  const auto token = Bearer(ann);
  ASSERT_TRUE(core::RunSync(auth().DeleteUser("default", ann.id, {})));
  EXPECT_FALSE(core::RunSync(auth().Authenticate(token)));
  EXPECT_FALSE(Login("ann", kPassword));
  auto again = core::RunSync(auth().DeleteUser("default", ann.id, {}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
  auto listed = core::RunSync(auth().ListUsers("default"));
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  const auto reborn = CreateUser("ann");  // a new account: the old tokens stay dead
  EXPECT_NE(reborn.id, ann.id);
  EXPECT_FALSE(core::RunSync(auth().Authenticate(token)));
  EXPECT_TRUE(core::RunSync(auth().Authenticate(Bearer(reborn))));
}

TEST_F(AccountsTest, LoginsAreAuditedWithoutPasswords) {
  CreateUser("ann");
  clock_.Advance(std::chrono::milliseconds(1));  // records are ordered by time
  EXPECT_FALSE(Login("ann", "my secret guess"));
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(Login("ann", kPassword));
  auto entries = core::RunSync(auth().audit_log().List("default", 10));
  ASSERT_TRUE(entries);
  ASSERT_GE(entries->size(), 3u);  // user.create, failed, ok
  EXPECT_EQ((*entries)[0].event.action, "login");
  EXPECT_EQ((*entries)[0].event.outcome, "ok");
  EXPECT_EQ((*entries)[0].event.remote, "10.0.0.1");
  EXPECT_EQ((*entries)[1].event.outcome, "failed");
  EXPECT_EQ((*entries)[2].event.action, "user.create");
  for (const auto& entry : *entries) {
    EXPECT_EQ(entry.event.detail.find("guess"), std::string::npos);
    EXPECT_EQ(entry.event.detail.find(kPassword), std::string::npos);
  }
  EXPECT_EQ(log_.find("my secret guess"), std::string::npos);
  EXPECT_NE(log_.find("\"audit\""), std::string::npos);
}

TEST_F(AccountsTest, AFullHashingPoolAnswersBusyAndLeavesTheStoreFree) {
  Build([](app::AppConfig& c) {
    c.auth.password_hash_threads = 1;
    c.auth.password_hash_queue = 0;
  });
  CreateUser("ann");
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  boost::asio::io_context io;
  std::optional<bool> held;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        held = co_await identity_->hashing.TryRun([&] {
          std::unique_lock lock(mutex);
          cv.wait(lock, [&] { return release; });
          return true;
        });
      },
      boost::asio::detached);
  io.run_for(std::chrono::milliseconds(50));
  auto busy = Login("ann", kPassword);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().error.code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(busy.error().retry_after, std::chrono::seconds(1));
  EXPECT_TRUE(core::RunSync(auth().ListUsers("default")));  // the store's threads are not the hashing pool's
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  io.restart();
  io.run();
  EXPECT_EQ(held, std::optional<bool>(true));
  EXPECT_TRUE(Login("ann", kPassword));
}

TEST_F(AccountsTest, SecretReadsReachTheAuditLogOnceItIsAttachedWithoutValues) {
  app::SecretAuditTrail trail(core::Logger::ToString(log_, core::LogLevel::kInfo));
  // Read at start, before the store is open: kept.
  trail.OnSecretAccess(core::SecretAccess{.name = "auth/jwt",
                                          .provider = "vault",
                                          .outcome = core::SecretOutcome::kOk,
                                          .source = core::SecretSource::kBackend,
                                          .error = {}});
  boost::asio::io_context io;
  trail.Attach(identity_->audit, io.get_executor());
  trail.OnSecretAccess(core::SecretAccess{.name = "llm/deepseek#api_key",
                                          .provider = "vault",
                                          .outcome = core::SecretOutcome::kFailed,
                                          .source = core::SecretSource::kStale,
                                          .error = "vault unreachable"});
  io.run();
  auto entries = core::RunSync(auth().audit_log().List("default", 10));
  ASSERT_TRUE(entries);
  std::vector<std::string> reads;
  for (const auto& entry : *entries) {
    if (entry.event.action == "secret.read") {
      reads.push_back(entry.event.target + " " + entry.event.outcome + " " + entry.event.detail);
    }
  }
  std::sort(reads.begin(), reads.end());
  EXPECT_EQ(reads,
            (std::vector<std::string>{"auth/jwt ok vault, backend", "llm/deepseek#api_key failed vault, stale"}));
  EXPECT_NE(log_.find("\"secret_access\""), std::string::npos);
}

}  // namespace
}  // namespace salesboost::identity
