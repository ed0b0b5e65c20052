// The layer around every secret provider: the TTL cache, stale values on
// provider errors, the audit record of each access, signing-key rotation.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <map>
#include <thread>

#include "app/secret_refresher.hpp"
#include "core/manual_clock.hpp"
#include "core/secret_access_listener.hpp"
#include "identity/token_service.hpp"
#include "infra/secrets/aws_secret_store.hpp"
#include "infra/secrets/caching_secret_store.hpp"

namespace salesboost {
namespace {

using std::chrono::seconds;

// A backend whose answers the test sets; counts the calls.
class FakeSecretStore final : public core::SecretStore {
 public:
  std::map<std::string, core::Result<std::string>, std::less<>> answers;
  int calls = 0;
  core::Result<std::string> Get(std::string_view name) override {
    ++calls;
    const auto it = answers.find(name);
    if (it == answers.end()) return core::Fail(core::ErrorCode::kNotFound, "no such secret");
    return it->second;
  }
  std::string Describe(std::string_view name) const override { return "fake " + std::string(name); }
};

struct Record {
  std::string name;
  std::string provider;
  core::SecretOutcome outcome;
  core::SecretSource source;
};

class RecordingListener final : public core::SecretAccessListener {
 public:
  std::vector<Record> records;
  void OnSecretAccess(const core::SecretAccess& access) noexcept override {
    records.push_back({std::string(access.name), std::string(access.provider), access.outcome, access.source});
  }
};

class SecretCache : public ::testing::Test {
 protected:
  SecretCache() {
    auto backend = std::make_unique<FakeSecretStore>();
    fake = backend.get();
    store = std::make_unique<infra::CachingSecretStore>(
        std::move(backend), infra::CachingSecretStoreOptions{.ttl = seconds(60), .provider = "vault"}, clock, listener,
        core::Logger::ToString(log, core::LogLevel::kDebug));
  }

  core::ManualClock clock{std::chrono::system_clock::time_point(seconds(1'800'000'000))};
  RecordingListener listener;
  std::string log;
  FakeSecretStore* fake = nullptr;
  std::unique_ptr<infra::CachingSecretStore> store;
};

TEST_F(SecretCache, ServesFromMemoryWithinTheTtlAndRereadsAfter) {
  fake->answers.emplace("llm/key", std::string("v1"));
  EXPECT_EQ(store->Get("llm/key").value(), "v1");
  fake->answers.insert_or_assign("llm/key", std::string("v2"));
  clock.Advance(seconds(59));
  EXPECT_EQ(store->Get("llm/key").value(), "v1");
  EXPECT_EQ(fake->calls, 1);
  clock.Advance(seconds(1));
  EXPECT_EQ(store->Get("llm/key").value(), "v2");
  EXPECT_EQ(fake->calls, 2);
  ASSERT_EQ(listener.records.size(), 3U);
  EXPECT_EQ(listener.records[0].source, core::SecretSource::kBackend);
  EXPECT_EQ(listener.records[1].source, core::SecretSource::kCache);
  EXPECT_EQ(listener.records[2].source, core::SecretSource::kBackend);
  EXPECT_EQ(listener.records[1].provider, "vault");
  EXPECT_EQ(listener.records[1].name, "llm/key");
}

TEST_F(SecretCache, ServesTheLastValueWhenTheProviderFailsAndWarnsWithoutTheValue) {
  fake->answers.emplace("auth/jwt", std::string("the-secret-value"));
  ASSERT_TRUE(store->Get("auth/jwt"));
  fake->answers.insert_or_assign(
      "auth/jwt", core::Result<std::string>(core::Fail(core::ErrorCode::kUnavailable, "vault is sealed")));
  clock.Advance(seconds(3600));
  auto stale = store->Get("auth/jwt");
  ASSERT_TRUE(stale);
  EXPECT_EQ(*stale, "the-secret-value");
  EXPECT_EQ(listener.records.back().source, core::SecretSource::kStale);
  EXPECT_EQ(listener.records.back().outcome, core::SecretOutcome::kOk);
  EXPECT_NE(log.find("secret_stale_served"), std::string::npos);
  EXPECT_EQ(log.find("the-secret-value"), std::string::npos);

  // A stale value does not count as a fresh read: the next Get asks the provider again.
  const int calls = fake->calls;
  EXPECT_TRUE(store->Get("auth/jwt"));
  EXPECT_EQ(fake->calls, calls + 1);
}

TEST_F(SecretCache, ErrorsWithoutACachedValueAndDeletedSecretsAreReported) {
  fake->answers.emplace("db/dsn", core::Result<std::string>(core::Fail(core::ErrorCode::kDeadlineExceeded, "slow")));
  auto failed = store->Get("db/dsn");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, core::ErrorCode::kDeadlineExceeded);
  EXPECT_EQ(listener.records.back().outcome, core::SecretOutcome::kFailed);

  fake->answers.insert_or_assign("db/dsn", std::string("dsn"));
  ASSERT_TRUE(store->Get("db/dsn"));
  fake->answers.erase("db/dsn");  // deleted in the provider: not served stale
  clock.Advance(seconds(61));
  auto gone = store->Get("db/dsn");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(listener.records.back().outcome, core::SecretOutcome::kNotFound);
  fake->answers.emplace("db/dsn", core::Result<std::string>(core::Fail(core::ErrorCode::kUnavailable, "down")));
  EXPECT_FALSE(store->Get("db/dsn"));  // and the dropped value is not served later either
}

TEST_F(SecretCache, ZeroTtlReadsEveryTimeButStillBacksErrors) {
  auto backend = std::make_unique<FakeSecretStore>();
  auto* raw = backend.get();
  infra::CachingSecretStore uncached(std::move(backend), {.ttl = seconds(0), .provider = "aws"}, clock, listener,
                                     core::Logger::ToString(log, core::LogLevel::kOff));
  raw->answers.emplace("k", std::string("v"));
  EXPECT_TRUE(uncached.Get("k"));
  EXPECT_TRUE(uncached.Get("k"));
  EXPECT_EQ(raw->calls, 2);
  raw->answers.insert_or_assign("k", core::Result<std::string>(core::Fail(core::ErrorCode::kUnavailable, "down")));
  EXPECT_EQ(uncached.Get("k").value(), "v");
}

TEST(SecretAccessLog, OneJsonLinePerAccessWithoutTheValue) {
  std::string out;
  core::LoggingSecretAccessListener listener(core::Logger::ToString(out, core::LogLevel::kInfo));
  listener.OnSecretAccess({.name = "llm/deepseek",
                           .provider = "vault",
                           .outcome = core::SecretOutcome::kOk,
                           .source = core::SecretSource::kCache,
                           .error = {}});
  const auto line = boost::json::parse(out).as_object();
  EXPECT_EQ(line.at("msg"), "secret_access");
  EXPECT_EQ(line.at("secret"), "llm/deepseek");
  EXPECT_EQ(line.at("provider"), "vault");
  EXPECT_EQ(line.at("outcome"), "ok");
  EXPECT_EQ(line.at("source"), "cache");
  EXPECT_EQ(line.at("level"), "info");
}

TEST(SecretName, SplitsPathFieldAndVersion) {
  auto full = core::SplitSecretName("llm/deepseek#api_key@3").value();
  EXPECT_EQ(full.path, "llm/deepseek");
  EXPECT_EQ(full.field, "api_key");
  EXPECT_EQ(full.version, "3");
  auto stage = core::SplitSecretName("db@AWSPREVIOUS").value();
  EXPECT_EQ(stage.path, "db");
  EXPECT_EQ(stage.field, "");
  EXPECT_EQ(stage.version, "AWSPREVIOUS");
  EXPECT_TRUE(core::ParseSecretRef("secret:a/b#f").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:a/b#").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:a/b@").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:a/b@1#f").has_value());  // field before version
  EXPECT_FALSE(core::ParseSecretRef("secret:../x#f").has_value());
}

TEST(AwsCredentialsFile, ReadsTheNamedProfile) {
  const std::string text =
      "[default]\naws_access_key_id = AKIA1\naws_secret_access_key = s1\n\n"
      "# comment\n[ci]\naws_access_key_id=AKIA2\r\naws_secret_access_key=s2\naws_session_token = t2\n";
  auto ci = infra::ParseCredentialsFile(text, "ci").value();
  EXPECT_EQ(ci.access_key_id, "AKIA2");
  EXPECT_EQ(ci.secret_access_key, "s2");
  EXPECT_EQ(ci.session_token, "t2");
  EXPECT_EQ(infra::ParseCredentialsFile(text, "default").value().session_token, "");
  EXPECT_EQ(infra::ParseCredentialsFile(text, "none").error().code, core::ErrorCode::kUnauthenticated);
}

const identity::Principal kAlice{"u1", "default", "alice", identity::Role::kTrainee};
const std::string kKeyA(40, 'a');
const std::string kKeyB(40, 'b');
const std::string kKeyC(40, 'c');

std::string HeaderOf(const std::string& token) {
  const std::string part = token.substr(0, token.find('.'));
  std::string padded = part;
  for (auto& c : padded) c = c == '-' ? '+' : (c == '_' ? '/' : c);
  while (padded.size() % 4 != 0) padded.push_back('=');
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  unsigned value = 0;
  for (char c : padded) {
    if (c == '=') break;
    value = (value << 6) | static_cast<unsigned>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

TEST(TokenRotation, TokensCarryTheKidOfTheKeyThatSignedThem) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  identity::TokenService tokens(kKeyA, seconds(1800), clock, seconds(600));
  const auto header = boost::json::parse(HeaderOf(tokens.Issue(kAlice).token)).as_object();
  EXPECT_EQ(header.at("alg"), "HS256");
  EXPECT_EQ(header.at("kid").as_string(), identity::TokenService::KeyId(kKeyA));
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyA));
  EXPECT_NE(identity::TokenService::KeyId(kKeyA), identity::TokenService::KeyId(kKeyB));
  EXPECT_EQ(identity::TokenService::KeyId(kKeyA).size(), 16U);
}

TEST(TokenRotation, ThePreviousKeyVerifiesWithinTheOverlapOnly) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  identity::TokenService tokens(kKeyA, seconds(1800), clock, seconds(600));
  const auto old_token = tokens.Issue(kAlice).token;
  EXPECT_FALSE(tokens.Rotate(kKeyA).value());  // the same key changes nothing
  EXPECT_TRUE(tokens.Rotate(kKeyB).value());
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyB));
  const auto new_token = tokens.Issue(kAlice).token;
  EXPECT_EQ(boost::json::parse(HeaderOf(new_token)).as_object().at("kid").as_string(),
            identity::TokenService::KeyId(kKeyB));
  EXPECT_TRUE(tokens.Verify(old_token));
  EXPECT_TRUE(tokens.Verify(new_token));
  clock.Advance(seconds(599));
  EXPECT_TRUE(tokens.Verify(old_token));
  clock.Advance(seconds(1));
  EXPECT_FALSE(tokens.Verify(old_token));  // overlap over, though the token itself has not expired
  EXPECT_TRUE(tokens.Verify(new_token));

  // Two rotations in a row: only the key just replaced is remembered.
  EXPECT_TRUE(tokens.Rotate(kKeyC).value());
  EXPECT_TRUE(tokens.Verify(new_token));
  const auto token_c = tokens.Issue(kAlice).token;
  EXPECT_TRUE(tokens.Rotate(kKeyA).value());
  EXPECT_FALSE(tokens.Verify(new_token));
  EXPECT_TRUE(tokens.Verify(token_c));
  EXPECT_EQ(tokens.Rotate("short").error().code, core::ErrorCode::kInvalidArgument);
}

TEST(TokenRotation, AForgedKidOrAnUnknownKeyIsRejected) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  identity::TokenService signer(kKeyB, seconds(1800), clock);
  identity::TokenService verifier(kKeyA, seconds(1800), clock);
  EXPECT_FALSE(verifier.Verify(signer.Issue(kAlice).token));
}

TEST(SecretRefresher, HandsRotatedKeysToTheTokenServiceThroughTheCache) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  RecordingListener listener;
  std::string log;
  auto backend = std::make_unique<FakeSecretStore>();
  auto* fake = backend.get();
  fake->answers.emplace("auth/jwt", kKeyA);
  infra::CachingSecretStore store(std::move(backend), {.ttl = seconds(30), .provider = "vault"}, clock, listener,
                                  core::Logger::ToString(log, core::LogLevel::kOff));
  identity::TokenService tokens(store.Get("auth/jwt").value(), seconds(1800), clock);
  app::SecretRefresher refresher(
      store, {{.name = "auth/jwt", .consume = [&tokens](std::string value) { (void)tokens.Rotate(std::move(value)); }}},
      core::Logger::ToString(log, core::LogLevel::kOff));
  fake->answers.insert_or_assign("auth/jwt", kKeyB);
  refresher.RefreshOnce();  // within the TTL: still the cached key
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyA));
  clock.Advance(seconds(30));
  refresher.RefreshOnce();
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyB));
  fake->answers.insert_or_assign("auth/jwt",
                                 core::Result<std::string>(core::Fail(core::ErrorCode::kUnavailable, "down")));
  clock.Advance(seconds(30));
  refresher.RefreshOnce();  // the provider is down: the stale key stays
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyB));
}

TEST_F(SecretCache, GetFreshAsksTheProviderWithinTheTtlAndStillFallsBack) {
  fake->answers.emplace("auth/jwt", std::string("v1"));
  ASSERT_TRUE(store->Get("auth/jwt"));
  fake->answers.insert_or_assign("auth/jwt", std::string("v2"));
  EXPECT_EQ(store->Get("auth/jwt").value(), "v1");
  EXPECT_EQ(store->GetFresh("auth/jwt").value(), "v2");
  EXPECT_EQ(store->Get("auth/jwt").value(), "v2");  // the fresh read refilled the cache
  fake->answers.insert_or_assign("auth/jwt",
                                 core::Result<std::string>(core::Fail(core::ErrorCode::kUnavailable, "down")));
  EXPECT_EQ(store->GetFresh("auth/jwt").value(), "v2");
  EXPECT_EQ(listener.records.back().source, core::SecretSource::kStale);
}

TEST(TokenRotation, ATokenOfAnUnknownKidAsksForARefresh) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  identity::TokenService rotated_elsewhere(kKeyB, seconds(1800), clock);
  identity::TokenService tokens(kKeyA, seconds(1800), clock);
  int asked = 0;
  tokens.OnUnknownKeyId([&asked] { ++asked; });
  EXPECT_TRUE(tokens.Verify(tokens.Issue(kAlice).token));
  EXPECT_EQ(asked, 0);
  const auto foreign = rotated_elsewhere.Issue(kAlice).token;
  EXPECT_FALSE(tokens.Verify(foreign));
  EXPECT_EQ(asked, 1);
  ASSERT_TRUE(tokens.Rotate(kKeyB));
  EXPECT_TRUE(tokens.Verify(foreign));
  EXPECT_EQ(asked, 1);
}

TEST(SecretRefresher, RefreshSoonReadsPastTheCacheOnTheRefresherThreadAtMostOncePerGap) {
  core::ManualClock clock(std::chrono::system_clock::time_point(seconds(1'800'000'000)));
  RecordingListener listener;
  std::string log;
  auto backend = std::make_unique<FakeSecretStore>();
  auto* fake = backend.get();
  fake->answers.emplace("auth/jwt", kKeyA);
  infra::CachingSecretStore store(std::move(backend), {.ttl = seconds(3600), .provider = "vault"}, clock, listener,
                                  core::Logger::ToString(log, core::LogLevel::kOff));
  identity::TokenService tokens(store.Get("auth/jwt").value(), seconds(1800), clock);
  app::SecretRefresher refresher(
      store, {{.name = "auth/jwt", .consume = [&tokens](std::string value) { (void)tokens.Rotate(std::move(value)); }}},
      core::Logger::ToString(log, core::LogLevel::kOff));
  tokens.OnUnknownKeyId([&refresher] { refresher.RefreshSoon(); });
  refresher.Start(std::chrono::hours(1));  // no periodic round during the test
  fake->answers.insert_or_assign("auth/jwt", kKeyB);
  identity::TokenService other(kKeyB, seconds(1800), clock);
  const auto foreign = other.Issue(kAlice).token;
  EXPECT_FALSE(tokens.Verify(foreign));  // asks for a refresh and is refused this time
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (tokens.CurrentKeyId() != identity::TokenService::KeyId(kKeyB) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(tokens.CurrentKeyId(), identity::TokenService::KeyId(kKeyB));
  EXPECT_TRUE(tokens.Verify(foreign));
  const int calls = fake->calls;
  identity::TokenService third(kKeyC, seconds(1800), clock);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(tokens.Verify(third.Issue(kAlice).token));
  refresher.Stop();
  EXPECT_EQ(fake->calls, calls) << "within the gap, forged kids cause no provider read";
}

}  // namespace
}  // namespace salesboost
