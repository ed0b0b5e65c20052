#include "app/config_loader.hpp"

#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <fstream>

#include "app/settings.hpp"
#include "infra/secrets/env_secret_store.hpp"
#include "infra/secrets/file_secret_store.hpp"
#include "support/server_process.hpp"

namespace salesboost::app {
namespace {

std::filesystem::path WriteToml(const testing::TempDir& dir, const std::string& text) {
  auto path = dir.path() / "salesboost.toml";
  std::ofstream(path) << text;
  return path;
}

std::string Messages(const ConfigErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.ToString() + "\n";
  return out;
}

TEST(Config, EmbeddedDefaultsNeedNoInput) {
  auto loaded = LoadConfig({});
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  EXPECT_EQ(loaded->config.server.port, 8000);
  EXPECT_EQ(loaded->config.server.host, "127.0.0.1");
  EXPECT_EQ(loaded->config.server.body_limit_bytes, 1 << 20);
  EXPECT_EQ(loaded->config.server.websocket.max_message_bytes, 64 * 1024);
  EXPECT_FALSE(loaded->file.has_value());
  EXPECT_TRUE(loaded->origins.empty());
}

TEST(Config, FileThenEnvironmentThenFlagsEachWin) {
  testing::TempDir dir;
  const auto file = WriteToml(dir, "[server]\nport = 9001\nhost = \"0.0.0.0\"\n[log]\nlevel = \"debug\"\n");
  ConfigInput input;
  input.file = file;
  input.environment = {{"SALESBOOST_SERVER__PORT", "9002"}, {"SALESBOOST_LOG__LEVEL", "warn"}};
  input.overrides = {{"log.level", "error"}};
  auto loaded = LoadConfig(input);
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  EXPECT_EQ(loaded->config.server.host, "0.0.0.0");  // file
  EXPECT_EQ(loaded->config.server.port, 9002);       // env beats file
  EXPECT_EQ(loaded->config.log.level, "error");      // flag beats env
  EXPECT_EQ(loaded->origins.at("server.host"), "file " + file.string());
  EXPECT_EQ(loaded->origins.at("server.port"), "environment SALESBOOST_SERVER__PORT");
  EXPECT_EQ(loaded->origins.at("log.level"), "flag");
}

TEST(Config, ConfigFileMayComeFromTheEnvironment) {
  testing::TempDir dir;
  const auto file = WriteToml(dir, "[server]\nport = 9100\n");
  auto loaded =
      LoadConfig(ConfigInput{.file = {}, .environment = {{"SALESBOOST_CONFIG", file.string()}}, .overrides = {}});
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  EXPECT_EQ(loaded->config.server.port, 9100);
}

TEST(Config, EveryBadFieldIsReportedWithItsKeyAndOrigin) {
  testing::TempDir dir;
  const auto file = WriteToml(dir, "[server]\nprot = 1\nport = \"eighty\"\n[nosuch]\nx = 1\n");
  ConfigInput input;
  input.file = file;
  input.environment = {{"SALESBOOST_SERVER__IO_THREADS", "many"}, {"SALESBOOST_BOGUS__KEY", "1"}};
  input.overrides = {{"websocket.max_message_bytes", "1"}, {"log.access_log", "perhaps"}};
  auto loaded = LoadConfig(input);
  ASSERT_FALSE(loaded);
  const auto text = Messages(loaded.error());
  EXPECT_EQ(loaded.error().size(), 7u) << text;
  EXPECT_NE(text.find("server.prot: unknown key (file"), std::string::npos) << text;
  EXPECT_NE(text.find("server.port: must be an integer (file"), std::string::npos) << text;
  EXPECT_NE(text.find("nosuch.x: unknown key"), std::string::npos) << text;
  EXPECT_NE(
      text.find("server.io_threads: must be an integer (got \"many\") (environment SALESBOOST_SERVER__IO_THREADS)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("SALESBOOST_BOGUS__KEY: unknown configuration variable"), std::string::npos) << text;
  EXPECT_NE(text.find("websocket.max_message_bytes: must be between 128 and"), std::string::npos) << text;
  EXPECT_NE(text.find("log.access_log: must be true or false"), std::string::npos) << text;
}

TEST(Config, SyntaxErrorNamesTheFileAndLine) {
  testing::TempDir dir;
  const auto file = WriteToml(dir, "[server]\nport = = 3\n");
  auto loaded = LoadConfig(ConfigInput{.file = file, .environment = {}, .overrides = {}});
  ASSERT_FALSE(loaded);
  EXPECT_NE(Messages(loaded.error()).find("line 2"), std::string::npos) << Messages(loaded.error());
}

TEST(Config, MissingFileIsAnError) {
  auto loaded = LoadConfig(ConfigInput{.file = "/nonexistent/salesboost.toml", .environment = {}, .overrides = {}});
  ASSERT_FALSE(loaded);
  EXPECT_NE(Messages(loaded.error()).find("/nonexistent/salesboost.toml"), std::string::npos);
}

TEST(Config, InlineSecretsAreRefused) {
  auto loaded =
      LoadConfig(ConfigInput{.file = {}, .environment = {}, .overrides = {{"server.metrics_token", "hunter2"}}});
  ASSERT_FALSE(loaded);
  EXPECT_NE(Messages(loaded.error()).find("server.metrics_token: secrets must be referenced"), std::string::npos);
}

TEST(Config, CrossFieldRulesAreChecked) {
  auto loaded = LoadConfig(
      ConfigInput{.file = {}, .environment = {}, .overrides = {{"secrets.provider", "file"}, {"secrets.dir", ""}}});
  ASSERT_FALSE(loaded);
  EXPECT_NE(Messages(loaded.error()).find("secrets.dir: must be set"), std::string::npos);
}

TEST(Config, SecretReferencesResolveAndAreMaskedWhenRendered) {
  ConfigInput input;
  input.overrides = {{"server.metrics_token", "secret:metrics/token"}};
  auto loaded = LoadConfig(input);
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  infra::EnvSecretStore secrets("SALESBOOST_SECRET_", {{"SALESBOOST_SECRET_METRICS_TOKEN", "s3cr3t-value"}});
  auto resolved = ResolveSecrets(loaded->config, secrets, loaded->origins);
  ASSERT_TRUE(resolved) << Messages(resolved.error());
  EXPECT_EQ(resolved->server.metrics_token, "s3cr3t-value");
  const auto rendered = RenderConfig(*loaded, {{"server.metrics_token", true}});
  EXPECT_EQ(rendered.find("s3cr3t-value"), std::string::npos);
  EXPECT_NE(rendered.find("metrics_token = \"secret:metrics/token\"  # flag; value ***"), std::string::npos)
      << rendered;
}

TEST(Config, UnresolvableSecretNamesWhereItWasLookedUp) {
  auto loaded = LoadConfig(
      ConfigInput{.file = {}, .environment = {}, .overrides = {{"server.metrics_token", "secret:metrics/token"}}});
  ASSERT_TRUE(loaded);
  infra::EnvSecretStore secrets("SALESBOOST_SECRET_", {});
  auto resolved = ResolveSecrets(loaded->config, secrets, loaded->origins);
  ASSERT_FALSE(resolved);
  EXPECT_NE(Messages(resolved.error()).find("environment variable SALESBOOST_SECRET_METRICS_TOKEN"), std::string::npos);
}

TEST(Config, RemoteSecretProvidersNeedTheirAddressRegionAndRole) {
  auto vault = LoadConfig(ConfigInput{.file = std::nullopt,
                                      .environment = {},
                                      .overrides = {{"secrets.provider", "vault"}, {"secrets.vault_auth", "approle"}}});
  ASSERT_FALSE(vault);
  EXPECT_NE(Messages(vault.error()).find("secrets.vault_address"), std::string::npos);
  EXPECT_NE(Messages(vault.error()).find("secrets.vault_role_id"), std::string::npos);
  auto aws = LoadConfig(
      ConfigInput{.file = std::nullopt, .environment = {{"SALESBOOST_SECRETS__PROVIDER", "aws"}}, .overrides = {}});
  ASSERT_FALSE(aws);
  EXPECT_NE(Messages(aws.error()).find("secrets.aws_region"), std::string::npos);
  auto ok = LoadConfig(ConfigInput{.file = std::nullopt,
                                   .environment = {},
                                   .overrides = {{"secrets.provider", "vault"},
                                                 {"secrets.vault_address", "https://vault:8200"},
                                                 {"auth.jwt_signing_key", "secret:auth/jwt#key@2"}}});
  ASSERT_TRUE(ok) << Messages(ok.error());
  EXPECT_EQ(ok->config.auth.jwt_signing_key, "secret:auth/jwt#key@2");
}

TEST(Config, FieldsAndVersionsAreRefusedByTheEnvAndFileProviders) {
  infra::EnvSecretStore env("SALESBOOST_SECRET_", {{"SALESBOOST_SECRET_AUTH_JWT_KEY", "x"}});
  EXPECT_EQ(env.Get("auth/jwt#key").error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(env.Get("auth/jwt@2").error().code, core::ErrorCode::kInvalidArgument);
  infra::FileSecretStore file("/nonexistent");
  EXPECT_EQ(file.Get("auth/jwt#key").error().code, core::ErrorCode::kInvalidArgument);
}

// The shipped config/salesboost.toml must document every option with its default.
TEST(Config, ShippedFileListsEveryOptionWithItsDefault) {
  const std::filesystem::path shipped = std::filesystem::path(SALESBOOST_SOURCE_DIR) / "config" / "salesboost.toml";
  const toml::table table = toml::parse_file(shipped.string());
  std::size_t documented = 0;
  for (const auto& [section, node] : table) documented += node.as_table()->size();
  EXPECT_EQ(documented, AllSettings().size());

  auto loaded = LoadConfig(ConfigInput{.file = shipped, .environment = {}, .overrides = {}});
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  const AppConfig defaults;
  for (const auto& setting : AllSettings()) {
    EXPECT_TRUE(loaded->origins.contains(setting.key)) << setting.key << " is not in " << shipped;
    EXPECT_EQ(setting.read(loaded->config), setting.read(defaults)) << setting.key << " differs from its default";
  }
}

TEST(Config, RenderedConfigurationLoadsBackUnchanged) {
  ConfigInput input;
  input.overrides = {{"server.port", "9555"}, {"data.dir", "/tmp/with \"quotes\""}};
  auto loaded = LoadConfig(input);
  ASSERT_TRUE(loaded);
  testing::TempDir dir;
  const auto file = WriteToml(dir, RenderConfig(*loaded, {}));
  auto reloaded = LoadConfig(ConfigInput{.file = file, .environment = {}, .overrides = {}});
  ASSERT_TRUE(reloaded) << Messages(reloaded.error());
  EXPECT_EQ(reloaded->config.server.port, 9555);
  EXPECT_EQ(reloaded->config.data.dir, "/tmp/with \"quotes\"");
}

TEST(Config, ProvidersComeFromTablesEnvironmentAndFlags) {
  testing::TempDir dir;
  const auto file = WriteToml(dir,
                              "[llm]\nnpc = \"deepseek, local\"\n"
                              "[providers.deepseek]\nbase_url = \"https://api.deepseek.com/v1\"\n"
                              "model = \"deepseek-chat\"\napi_key = \"secret:deepseek/key\"\ncost_input_per_1k = 0.27\n"
                              "[providers.local]\nbase_url = \"http://127.0.0.1:8000/v1\"\nmodel = \"qwen\"\n");
  auto loaded = LoadConfig(ConfigInput{.file = file,
                                       .environment = {{"SALESBOOST_PROVIDERS__LOCAL__MAX_CONCURRENCY", "8"}},
                                       .overrides = {{"providers.deepseek.total_timeout_ms", "9000"}}});
  ASSERT_TRUE(loaded) << Messages(loaded.error());
  const auto& providers = loaded->config.providers;
  ASSERT_EQ(providers.size(), 2U);
  EXPECT_EQ(providers.at("deepseek").model, "deepseek-chat");
  EXPECT_EQ(providers.at("deepseek").api_key, "secret:deepseek/key");
  EXPECT_DOUBLE_EQ(providers.at("deepseek").cost_input_per_1k, 0.27);
  EXPECT_EQ(providers.at("deepseek").total_timeout_ms, 9000);
  EXPECT_EQ(providers.at("local").max_concurrency, 8);
  EXPECT_EQ(loaded->origins.at("providers.local.max_concurrency"),
            "environment SALESBOOST_PROVIDERS__LOCAL__MAX_CONCURRENCY");

  // What config check prints loads back the same.
  const auto rendered = WriteToml(dir, RenderConfig(*loaded, {}));
  auto reloaded = LoadConfig(ConfigInput{.file = rendered, .environment = {}, .overrides = {}});
  ASSERT_TRUE(reloaded) << Messages(reloaded.error());
  EXPECT_EQ(reloaded->config.providers.at("deepseek").total_timeout_ms, 9000);
  EXPECT_DOUBLE_EQ(reloaded->config.providers.at("deepseek").cost_input_per_1k, 0.27);
}

TEST(Config, BadProvidersAreReportedOneLineEach) {
  testing::TempDir dir;
  const auto file = WriteToml(dir,
                              "[llm]\nnpc = \"missing, offline\"\n"
                              "[providers.nourl]\nmodel = \"m\"\n"
                              "[providers.ftp]\nbase_url = \"ftp://x\"\nmodel = \"m\"\n"
                              "[providers.Bad-Name]\nmodel = \"m\"\n"
                              "[providers.typo]\nbase_url = \"http://x\"\nmodel = \"m\"\nmodle = \"m\"\n");
  auto loaded = LoadConfig(
      ConfigInput{.file = file, .environment = {}, .overrides = {{"providers.typo.cost_input_per_1k", "-1"}}});
  ASSERT_FALSE(loaded);
  const auto text = Messages(loaded.error());
  EXPECT_NE(text.find("providers.Bad-Name: a provider name is"), std::string::npos) << text;
  EXPECT_NE(text.find("providers.typo.modle: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("providers.typo.cost_input_per_1k: must be between 0 and"), std::string::npos) << text;
  // Cross-field checks run once each field is valid.
  auto cross = LoadConfig(ConfigInput{.file = WriteToml(dir,
                                                        "[llm]\nnpc = \"missing, offline\"\n"
                                                        "[providers.nourl]\nmodel = \"m\"\n"
                                                        "[providers.ftp]\nbase_url = \"ftp://x\"\nmodel = \"m\"\n"),
                                      .environment = {},
                                      .overrides = {}});
  ASSERT_FALSE(cross);
  const auto lines = Messages(cross.error());
  EXPECT_NE(lines.find("providers.nourl.base_url: must be set for every provider"), std::string::npos) << lines;
  EXPECT_NE(lines.find("providers.ftp.base_url: must start with http:// or https://"), std::string::npos) << lines;
  EXPECT_NE(lines.find("llm.npc: no provider named \"missing\""), std::string::npos) << lines;
  EXPECT_NE(lines.find("llm.npc: the offline engine is always last"), std::string::npos) << lines;
}

}  // namespace
}  // namespace salesboost::app
