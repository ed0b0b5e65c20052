// The Vault and AWS Secrets Manager stores against tools/mock-secrets, which
// speaks each provider's HTTP API (token and AppRole auth, KV v2 responses,
// SigV4 checked with the same secret key) and injects faults on request.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/manual_clock.hpp"
#include "core/system_clock.hpp"
#include "infra/secrets/aws_secret_store.hpp"
#include "infra/secrets/caching_secret_store.hpp"
#include "infra/secrets/vault_secret_store.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class Recorder final : public core::SecretAccessListener {
 public:
  std::vector<core::SecretSource> sources;
  void OnSecretAccess(const core::SecretAccess& access) noexcept override { sources.push_back(access.source); }
};

infra::VaultOptions VaultAt(const std::string& address, const std::string& ca_file = {}) {
  infra::VaultOptions options;
  options.address = address;
  options.token = "root-t";
  options.ca_file = ca_file;
  options.timeout = milliseconds(2000);
  return options;
}

core::ErrorCode CodeOf(const core::Result<std::string>& result) {
  EXPECT_FALSE(result.has_value()) << "expected an error, got a value";
  return result ? core::ErrorCode::kInternal : result.error().code;
}

class VaultStore : public ::testing::Test {
 protected:
  void SetUp() override {
    vault_ = testing::MockSecretsProcess::Start(
        "vault", {"--token", "root-t", "--role-id", "role-a", "--secret-id", "sid-a", "--approle-ttl-s", "600"});
    vault_->PutSecret(R"({"name":"llm/deepseek","data":{"value":"sk-v1","api_key":"k-v1"}})");
    vault_->PutSecret(R"({"name":"llm/deepseek","data":{"value":"sk-v2"}})");
  }
  infra::VaultOptions Options() const { return VaultAt(vault_->Url()); }

  core::ManualClock clock_{std::chrono::system_clock::time_point(seconds(1'800'000'000))};
  std::unique_ptr<testing::MockSecretsProcess> vault_;
};

TEST_F(VaultStore, ReadsTheLatestVersionAVersionAndAField) {
  infra::VaultSecretStore store(Options(), clock_);
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  EXPECT_EQ(store.Get("llm/deepseek@1").value(), "sk-v1");
  EXPECT_EQ(store.Get("llm/deepseek#api_key@1").value(), "k-v1");
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek#api_key")), core::ErrorCode::kNotFound);  // not in version 2
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek@9")), core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(store.Get("llm/none")), core::ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek@AWSCURRENT")), core::ErrorCode::kInvalidArgument);
  EXPECT_NE(store.Describe("llm/deepseek#api_key@1").find("/v1/secret/data/llm/deepseek"), std::string::npos);
}

TEST_F(VaultStore, AWrongOrMissingTokenIsRefused) {
  auto options = Options();
  options.token = "wrong";
  infra::VaultSecretStore wrong(options, clock_);
  auto denied = wrong.Get("llm/deepseek");
  EXPECT_EQ(CodeOf(denied), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(denied.error().message.find("permission denied"), std::string::npos);
  EXPECT_EQ(denied.error().message.find("wrong"), std::string::npos) << "the token must not be in messages";
  options.token.clear();
  infra::VaultSecretStore none(options, clock_);
  EXPECT_EQ(CodeOf(none.Get("llm/deepseek")), core::ErrorCode::kUnauthenticated);
}

TEST_F(VaultStore, TheTokenFileIsReadAgainForEachRead) {
  testing::TempDir dir;
  const auto file = dir.path() / "token";
  std::ofstream(file) << "wrong\n";
  auto options = Options();
  options.token.clear();
  options.token_file = file.string();
  infra::VaultSecretStore store(options, clock_);
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek")), core::ErrorCode::kPermissionDenied);
  std::ofstream(file, std::ios::trunc) << "root-t\n";
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
}

TEST_F(VaultStore, AppRoleLogsInOnceAndAgainWhenRevokedOrNearExpiry) {
  auto options = Options();
  options.auth = "approle";
  options.token.clear();
  options.role_id = "role-a";
  options.secret_id = "sid-a";
  infra::VaultSecretStore store(options, clock_);
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  EXPECT_EQ(store.Get("llm/deepseek@1").value(), "sk-v1");
  EXPECT_EQ(vault_->Counter("logins"), 1);

  vault_->Control("revoke", "{}");  // the token stops working: 403, then one login and a retry
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  EXPECT_EQ(vault_->Counter("logins"), 2);

  clock_.Advance(seconds(539));  // before 90% of the 600 s lease: the token is kept
  EXPECT_TRUE(store.Get("llm/deepseek"));
  EXPECT_EQ(vault_->Counter("logins"), 2);
  clock_.Advance(seconds(1));  // 90%: renewed by logging in again before the read
  EXPECT_TRUE(store.Get("llm/deepseek"));
  EXPECT_EQ(vault_->Counter("logins"), 3);
}

TEST_F(VaultStore, AWrongSecretIdIsUnauthenticated) {
  auto options = Options();
  options.auth = "approle";
  options.role_id = "role-a";
  options.secret_id = "not-it";
  infra::VaultSecretStore store(options, clock_);
  auto refused = store.Get("llm/deepseek");
  EXPECT_EQ(CodeOf(refused), core::ErrorCode::kUnauthenticated);
  EXPECT_NE(refused.error().message.find("invalid role or secret ID"), std::string::npos);
}

TEST_F(VaultStore, ServerErrorsDropsAndTimeoutsAreUnavailableOrDeadline) {
  auto options = Options();
  options.timeout = milliseconds(300);
  infra::VaultSecretStore store(options, clock_);
  vault_->Control("fault", R"({"status":503,"times":1})");
  auto sealed = store.Get("llm/deepseek");
  EXPECT_EQ(CodeOf(sealed), core::ErrorCode::kUnavailable);
  EXPECT_NE(sealed.error().message.find("injected failure"), std::string::npos);
  EXPECT_TRUE(store.Get("llm/deepseek"));        // the fault was for one request
  vault_->Control("fault", R"({"drop":true})");  // every attempt: the client retries a reused connection once
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek")), core::ErrorCode::kUnavailable);
  vault_->Control("fault", R"({"delay_ms":1500,"times":1})");
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek")), core::ErrorCode::kDeadlineExceeded);
  EXPECT_TRUE(store.Get("llm/deepseek"));
}

TEST_F(VaultStore, ATimeoutServesTheCachedValueAsStale) {
  auto options = Options();
  options.timeout = milliseconds(300);
  Recorder recorder;
  std::string log;
  infra::CachingSecretStore store(std::make_unique<infra::VaultSecretStore>(options, clock_),
                                  {.ttl = seconds(60), .provider = "vault"}, clock_, recorder,
                                  core::Logger::ToString(log, core::LogLevel::kWarn));
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  vault_->Control("fault", R"({"delay_ms":1500})");
  clock_.Advance(seconds(61));
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  vault_->Control("fault", R"({"status":500})");
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v2");
  EXPECT_EQ(recorder.sources,
            (std::vector{core::SecretSource::kBackend, core::SecretSource::kStale, core::SecretSource::kStale}));
  EXPECT_NE(log.find("secret_stale_served"), std::string::npos);
  EXPECT_EQ(log.find("sk-v2"), std::string::npos);
  vault_->Control("fault", "{}");
  vault_->PutSecret(R"({"name":"llm/deepseek","data":{"value":"sk-v3"}})");
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-v3");  // a stale value is not cached as fresh
}

TEST(VaultNamespace, ReadsCarryTheConfiguredNamespaceAndAnotherMount) {
  auto vault =
      testing::MockSecretsProcess::Start("vault", {"--token", "root-t", "--namespace", "team-a", "--mount", "kv"});
  vault->PutSecret(R"({"name":"llm/key","data":{"value":"sk-ns"}})");
  core::SystemClock clock;
  auto options = VaultAt(vault->Url());
  options.mount = "kv";
  infra::VaultSecretStore outside(options, clock);
  EXPECT_EQ(CodeOf(outside.Get("llm/key")), core::ErrorCode::kNotFound);
  options.namespace_name = "team-a";
  infra::VaultSecretStore inside(options, clock);
  EXPECT_EQ(inside.Get("llm/key").value(), "sk-ns");
}

TEST(VaultTls, AnHttpsVaultIsTrustedThroughTheCaFileOnly) {
  testing::TempDir dir;
  const auto d = dir.path().string();
  const std::string script =
      "set -e; cd '" + d +
      "'; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca "
      "2>/dev/null; openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 "
      "2>/dev/null; printf 'subjectAltName=IP:127.0.0.1\\n' > ext.cnf; openssl x509 -req -in server.csr -CA ca.pem "
      "-CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null";
  ASSERT_EQ(std::system(script.c_str()), 0) << "openssl could not make the test certificates";
  auto vault = testing::MockSecretsProcess::Start(
      "vault", {"--token", "root-t", "--tls-cert", d + "/server.pem", "--tls-key", d + "/server.key"});
  core::SystemClock clock;
  const std::string address = "https://127.0.0.1:" + std::to_string(vault->port());
  infra::VaultSecretStore untrusted(VaultAt(address), clock);
  EXPECT_EQ(CodeOf(untrusted.Get("db/dsn")), core::ErrorCode::kFailedPrecondition);
  infra::VaultSecretStore trusted(VaultAt(address, d + "/ca.pem"), clock);
  // The double's control routes speak HTTPS too, so nothing is stored: a 404 proves the exchange went through.
  auto missing = trusted.Get("db/dsn");
  EXPECT_EQ(CodeOf(missing), core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("HTTP 404"), std::string::npos);
}

const aws::Credentials kAwsCredentials{
    .access_key_id = "AKIATESTKEY", .secret_access_key = "test/secret+key", .session_token = {}};

class AwsStore : public ::testing::Test {
 protected:
  void SetUp() override {
    aws_ = testing::MockSecretsProcess::Start("aws", {"--access-key", kAwsCredentials.access_key_id, "--secret-key",
                                                      kAwsCredentials.secret_access_key, "--region", "eu-west-1"});
    first_ = std::string(aws_->PutSecret(R"({"name":"llm/deepseek","string":"sk-old"})").at("version_id").as_string());
    aws_->PutSecret(R"({"name":"llm/deepseek","string":"sk-new"})");
    aws_->PutSecret(R"({"name":"db/creds","string":"{\"username\":\"app\",\"password\":\"pw\"}"})");
    aws_->PutSecret(R"({"name":"tls/key","binary":"AAECA/8="})");
  }
  infra::AwsSecretsOptions Options() const {
    infra::AwsSecretsOptions options;
    options.region = "eu-west-1";
    options.endpoint = aws_->Url();
    options.credentials = kAwsCredentials;
    options.timeout = milliseconds(2000);
    return options;
  }

  core::ManualClock clock_{std::chrono::system_clock::time_point(seconds(1'800'000'000))};
  std::unique_ptr<testing::MockSecretsProcess> aws_;
  std::string first_;
};

TEST_F(AwsStore, ReadsStagesVersionIdsJsonFieldsAndBinary) {
  infra::AwsSecretStore store(Options(), clock_);
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-new");
  EXPECT_EQ(store.Get("llm/deepseek@AWSCURRENT").value(), "sk-new");
  EXPECT_EQ(store.Get("llm/deepseek@AWSPREVIOUS").value(), "sk-old");
  EXPECT_EQ(store.Get("llm/deepseek@" + first_).value(), "sk-old");
  EXPECT_EQ(store.Get("db/creds#password").value(), "pw");
  EXPECT_EQ(CodeOf(store.Get("db/creds#token")), core::ErrorCode::kNotFound);
  EXPECT_EQ(store.Get("tls/key").value(), std::string("\x00\x01\x02\x03\xff", 5));
  EXPECT_EQ(aws_->Counter("bad_signatures"), 0);
}

TEST_F(AwsStore, AMissingSecretOrVersionIsNotFound) {
  infra::AwsSecretStore store(Options(), clock_);
  auto missing = store.Get("llm/none");
  EXPECT_EQ(CodeOf(missing), core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("ResourceNotFoundException"), std::string::npos);
  EXPECT_EQ(CodeOf(store.Get("llm/deepseek@AWSPENDING")), core::ErrorCode::kNotFound);
}

TEST_F(AwsStore, AWrongSecretKeyFailsTheSignatureCheck) {
  auto options = Options();
  options.credentials.secret_access_key = "not-the-key";
  infra::AwsSecretStore store(options, clock_);
  auto refused = store.Get("llm/deepseek");
  EXPECT_EQ(CodeOf(refused), core::ErrorCode::kUnauthenticated);
  EXPECT_NE(refused.error().message.find("InvalidSignatureException"), std::string::npos);
  EXPECT_EQ(aws_->Counter("bad_signatures"), 1);
  options = Options();
  options.region = "us-west-2";  // signed for another region
  infra::AwsSecretStore elsewhere(options, clock_);
  EXPECT_EQ(CodeOf(elsewhere.Get("llm/deepseek")), core::ErrorCode::kUnauthenticated);
  options = Options();
  options.credentials = {};
  infra::AwsSecretStore anonymous(options, clock_);
  EXPECT_EQ(CodeOf(anonymous.Get("llm/deepseek")), core::ErrorCode::kUnauthenticated);
}

TEST_F(AwsStore, CredentialsComeFromTheSharedFileWhenConfigured) {
  testing::TempDir dir;
  const auto file = dir.path() / "credentials";
  std::ofstream(file) << "[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n"
                      << "[salesboost]\naws_access_key_id = " << kAwsCredentials.access_key_id
                      << "\naws_secret_access_key = " << kAwsCredentials.secret_access_key << "\n";
  auto options = Options();
  options.credentials = {};
  options.credentials_file = file.string();
  options.profile = "salesboost";
  infra::AwsSecretStore store(options, clock_);
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-new");
  options.profile = "default";
  infra::AwsSecretStore other(options, clock_);
  EXPECT_EQ(CodeOf(other.Get("llm/deepseek")), core::ErrorCode::kUnauthenticated);  // UnrecognizedClientException
}

TEST_F(AwsStore, ServerErrorsAndTimeoutsFallBackToTheCachedValue) {
  auto options = Options();
  options.timeout = milliseconds(300);
  Recorder recorder;
  std::string log;
  auto backend = std::make_unique<infra::AwsSecretStore>(options, clock_);
  auto* raw = backend.get();
  infra::CachingSecretStore store(std::move(backend), {.ttl = seconds(10), .provider = "aws"}, clock_, recorder,
                                  core::Logger::ToString(log, core::LogLevel::kWarn));
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-new");
  aws_->Control("fault", R"({"status":500})");
  auto failed = raw->Get("llm/deepseek");
  EXPECT_EQ(CodeOf(failed), core::ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().message.find("InternalServiceError"), std::string::npos);
  clock_.Advance(seconds(10));
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-new");
  aws_->Control("fault", R"({"delay_ms":1500})");
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-new");
  EXPECT_EQ(recorder.sources.back(), core::SecretSource::kStale);
  aws_->Control("fault", R"({"drop":true})");
  EXPECT_EQ(CodeOf(store.Get("llm/unknown")), core::ErrorCode::kUnavailable);  // nothing cached to fall back on
}

}  // namespace
}  // namespace salesboost
