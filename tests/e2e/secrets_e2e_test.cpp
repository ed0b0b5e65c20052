// The real binary with its secrets in the Vault double: the signing key is
// read from Vault at start, re-read while serving, and a rotated key signs
// new tokens (a new kid) while tokens of the previous key keep working.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sstream>
#include <thread>

#include "support/server_process.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

const std::string kKeyOne(48, '1');
const std::string kKeyTwo(48, '2');

// The JSON header of a JWT (base64url, no padding).
json::object JwtHeader(const std::string& token) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (char c : token.substr(0, token.find('.'))) {
    value = (value << 6) | static_cast<unsigned>(kAlphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return json::parse(out).as_object();
}

std::string Kid(const std::string& token) { return std::string(JwtHeader(token).at("kid").as_string()); }

int MeStatus(const testing::ServerProcess& server, const std::string& token) {
  auto me = Fetch(server.endpoint(), "GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + token}});
  return me ? me->status : -1;
}

// The JSON log lines of `server` whose "msg" is `msg`.
std::vector<json::object> LogLines(const testing::ServerProcess& server, std::string_view msg) {
  std::vector<json::object> out;
  std::istringstream in(server.LogOutput());
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto value = json::parse(line, ec);
    if (!ec && value.is_object() && value.as_object().contains("msg") && value.at("msg").as_string() == msg) {
      out.push_back(value.as_object());
    }
  }
  return out;
}

std::vector<std::string> VaultFlags(const testing::MockSecretsProcess& vault) {
  return {"--set", "secrets.provider=vault",
          "--set", "secrets.vault_address=" + vault.Url(),
          "--set", "auth.jwt_signing_key=secret:auth/jwt",
          "--set", "secrets.cache_ttl_s=0",
          "--set", "secrets.refresh_interval_s=1",
          "--set", "auth.previous_key_overlap_ms=600000"};
}

TEST(SecretsE2e, ARotatedSigningKeySignsNewTokensWhileOldTokensStillVerify) {
  auto vault = testing::MockSecretsProcess::Start("vault", {"--token", "vault-root"});
  vault->PutSecret(json::serialize(json::object{{"name", "auth/jwt"}, {"data", json::object{{"value", kKeyOne}}}}));
  auto server = testing::ServerProcess::Start(VaultFlags(*vault), {{"VAULT_TOKEN", "vault-root"}});

  const std::string old_token = server->DemoTraineeToken();
  ASSERT_FALSE(old_token.empty()) << server->Output();
  const std::string old_kid = Kid(old_token);
  const auto started = LogLines(*server, "signing_key");
  ASSERT_EQ(started.size(), 1U);
  EXPECT_EQ(started[0].at("kid").as_string(), old_kid);
  EXPECT_EQ(MeStatus(*server, old_token), 200);

  vault->PutSecret(json::serialize(json::object{{"name", "auth/jwt"}, {"data", json::object{{"value", kKeyTwo}}}}));
  std::string new_token;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    new_token = server->DemoTraineeToken();
    if (!new_token.empty() && Kid(new_token) != old_kid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_FALSE(new_token.empty());
  ASSERT_NE(Kid(new_token), old_kid) << "the rotated key was not picked up:\n" << server->Output();
  EXPECT_EQ(MeStatus(*server, new_token), 200);
  EXPECT_EQ(MeStatus(*server, old_token), 200) << "a token of the previous key verifies within the overlap";
  const auto rotated = LogLines(*server, "signing_key_rotated");
  ASSERT_FALSE(rotated.empty());
  EXPECT_EQ(rotated.back().at("kid").as_string(), Kid(new_token));

  // Every read of the key is audited, and no log line carries a key.
  const auto accesses = LogLines(*server, "secret_access");
  ASSERT_GE(accesses.size(), 2U);
  EXPECT_EQ(accesses[0].at("secret").as_string(), "auth/jwt");
  EXPECT_EQ(accesses[0].at("provider").as_string(), "vault");
  EXPECT_EQ(accesses[0].at("outcome").as_string(), "ok");
  EXPECT_EQ(server->Output().find(kKeyOne), std::string::npos);
  EXPECT_EQ(server->Output().find(kKeyTwo), std::string::npos);

  // Vault down: the server keeps signing with the key it has, and counts the stale reads.
  vault->Control("fault", R"({"status":503})");
  const std::string stale_series = R"(salesboost_secret_reads_total{provider="vault",source="stale",outcome="ok"})";
  std::optional<double> stale;
  const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!stale && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto exposition = Fetch(server->endpoint(), "GET", "/metrics");
    if (exposition && exposition->status == 200) stale = testing::MetricValue(exposition->body, stale_series);
  }
  ASSERT_TRUE(stale.has_value()) << "no stale read counted";
  EXPECT_GE(*stale, 1);
  EXPECT_FALSE(LogLines(*server, "secret_stale_served").empty());
  const std::string during_outage = server->DemoTraineeToken();
  ASSERT_FALSE(during_outage.empty());
  EXPECT_EQ(Kid(during_outage), Kid(new_token));
}

TEST(SecretsE2e, StartUpFailsWithOneClearLineWhenVaultRefuses) {
  auto vault = testing::MockSecretsProcess::Start("vault", {"--token", "vault-root"});
  vault->PutSecret(json::serialize(json::object{{"name", "auth/jwt"}, {"data", json::object{{"value", kKeyOne}}}}));
  std::vector<std::string> args = {"serve", "--port", "0"};
  for (const auto& flag : VaultFlags(*vault)) args.push_back(flag);
  const auto result = testing::RunCommand(args, {{"VAULT_TOKEN", "not-the-token"}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("auth.jwt_signing_key"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("permission denied"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("vault"), std::string::npos) << result.err;
}

TEST(SecretsE2e, TheSigningKeyComesFromAwsSecretsManager) {
  auto aws = testing::MockSecretsProcess::Start(
      "aws", {"--access-key", "AKIAE2E", "--secret-key", "e2e/secret", "--region", "eu-central-1"});
  aws->PutSecret(json::serialize(json::object{{"name", "salesboost/jwt"}, {"string", kKeyTwo}}));
  auto server = testing::ServerProcess::Start(
      {"--set", "secrets.provider=aws", "--set", "secrets.aws_region=eu-central-1", "--set",
       "secrets.aws_endpoint=" + aws->Url(), "--set", "auth.jwt_signing_key=secret:salesboost/jwt"},
      {{"AWS_ACCESS_KEY_ID", "AKIAE2E"}, {"AWS_SECRET_ACCESS_KEY", "e2e/secret"}});
  const std::string token = server->DemoTraineeToken();
  ASSERT_FALSE(token.empty()) << server->Output();
  EXPECT_EQ(MeStatus(*server, token), 200);
  EXPECT_GE(aws->Counter("reads"), 1);
  EXPECT_EQ(aws->Counter("bad_signatures"), 0);
  const auto accesses = LogLines(*server, "secret_access");
  ASSERT_FALSE(accesses.empty());
  EXPECT_EQ(accesses[0].at("provider").as_string(), "aws");
  EXPECT_EQ(server->Output().find(kKeyTwo), std::string::npos);
}

}  // namespace
}  // namespace salesboost
