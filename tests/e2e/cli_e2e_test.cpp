// The salesboost command line: version, config check, migrate, bad configuration.
#include <gtest/gtest.h>

#include <filesystem>

#include <fstream>

#include "storage/migration.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

using testing::RunCommand;
using testing::TempDir;

TEST(Cli, WhatTheServerWritesIsReadableByItsOwnerOnly) {
  namespace fs = std::filesystem;
  testing::TempDir scratch;
  const auto data = scratch.path() / "fresh";  // the server creates it
  {
    auto server = testing::ServerProcess::Start({"--set", "data.dir=" + data.string()});
    // Logging in reads the database the server created, beside its journal and the demo password.
    ASSERT_FALSE(server->Login("trainee", testing::DemoTraineePasswordIn(data)).empty());
  }
  EXPECT_EQ(fs::status(data).permissions() & fs::perms::all, fs::perms::owner_all);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    ++files;
    EXPECT_EQ(entry.status().permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none)
        << entry.path();
  }
  EXPECT_GT(files, 2);
}

TEST(Cli, VersionPrintsTheVersion) {
  const auto result = RunCommand({"version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("salesboost 0.", 0), 0u) << result.out;
}

TEST(Cli, EverySubcommandHasHelp) {
  for (std::vector<std::string> args : {std::vector<std::string>{"serve", "--help"},
                                        {"migrate", "--help"},
                                        {"config", "check", "--help"},
                                        {"chat", "--help"},
                                        {"train-classifier", "--help"},
                                        {"classify", "--help"},
                                        {"version", "--help"}}) {
    const auto result = RunCommand(args);
    EXPECT_EQ(result.exit_code, 0) << args[0];
    EXPECT_NE(result.out.find("Usage:"), std::string::npos) << args[0] << ": " << result.out;
  }
}

TEST(Cli, ClassifyAndTrainAClassifier) {
  const auto open = RunCommand({"classify", "--model", "sales", "How do you follow up with leads today?"});
  EXPECT_EQ(open.exit_code, 0) << open.err;
  EXPECT_EQ(open.out.substr(0, open.out.find('\t')), "open_question") << open.out;
  EXPECT_EQ(RunCommand({"classify", "--model", "weather", "x"}).exit_code, 2);

  TempDir dir;
  const auto data = dir.path() / "tiny.tsv";
  std::ofstream(data) << "# two labels\nyes\tsure, let's do it\nno\tno thanks\nyes\tok fine\nno\tnot now\n"
                         "yes\tgreat\nno\tnever\nyes\tdeal\nno\tnope\nyes\tabsolutely\nno\tno way\n";
  const auto out = dir.path() / "tiny.model";
  const auto trained =
      RunCommand({"train-classifier", "--model", "sales", "--data", data.string(), "--out", out.string()});
  EXPECT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_NE(trained.out.find("held-out template groups"), std::string::npos) << trained.out;
  EXPECT_NE(trained.out.find("rules + model"), std::string::npos) << trained.out;
  EXPECT_TRUE(std::filesystem::exists(out));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "tiny.eval.json"));

  std::ofstream(data) << "no tab here\n";
  const auto broken = RunCommand({"train-classifier", "--data", data.string(), "--out", out.string()});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
}

TEST(Cli, ConfigCheckMasksSecretsAndShowsOrigins) {
  const auto result =
      RunCommand({"config", "check", "--set", "server.metrics_token=secret:metrics/token"},
                 {{"SALESBOOST_SECRET_METRICS_TOKEN", "tok-e2e-very-secret"}, {"SALESBOOST_SERVER__PORT", "9123"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("tok-e2e-very-secret"), std::string::npos);
  EXPECT_NE(result.out.find("metrics_token = \"secret:metrics/token\"  # flag; value ***"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("port = 9123  # environment SALESBOOST_SERVER__PORT"), std::string::npos) << result.out;
}

TEST(Cli, ConfigCheckExitsNonZeroWithOneLinePerBadField) {
  TempDir dir;
  const auto result = RunCommand({"config", "check", "--set", "server.port=70000", "--set", "log.level=loud"},
                                 {{"SALESBOOST_WEBSOCKET__NOPE", "1"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("config error: server.port: must be between 0 and 65535 (got 70000) (flag)\n"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("config error: log.level:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("config error: SALESBOOST_WEBSOCKET__NOPE: unknown configuration variable"),
            std::string::npos)
      << result.err;
}

TEST(Cli, ServeRefusesToStartOnBadConfigurationNamingTheField) {
  TempDir dir;
  const auto result =
      RunCommand({"serve", "--set", "data.dir=" + dir.path().string(), "--set", "websocket.ping_interval_ms=-5"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("websocket.ping_interval_ms"), std::string::npos) << result.err;
}

TEST(Cli, ServeRefusesAnUnresolvableSecret) {
  TempDir dir;
  const auto result = RunCommand(
      {"serve", "--set", "data.dir=" + dir.path().string(), "--set", "server.metrics_token=secret:metrics/missing"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("server.metrics_token: secret 'metrics/missing' is not set"), std::string::npos)
      << result.err;
}

TEST(Cli, MigrateAppliesOnceThenReportsUpToDate) {
  TempDir dir;
  const std::string data = "data.dir=" + dir.path().string();
  const auto first = RunCommand({"migrate", "--set", data});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  const auto latest = storage::BuiltinMigrations().back().version;
  EXPECT_NE(first.out.find("applied " + std::to_string(storage::BuiltinMigrations().size()) +
                           " migration(s); schema is now at version " + std::to_string(latest)),
            std::string::npos)
      << first.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "salesboost.db"));
  const auto second = RunCommand({"migrate", "--set", data});
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("schema is up to date at version " + std::to_string(latest)), std::string::npos)
      << second.out;
}

TEST(Cli, ConfigFileFromTheEnvironmentIsUsed) {
  TempDir dir;
  const auto file = dir.path() / "sb.toml";
  std::ofstream(file) << "[server]\nport = 9444\n";
  const auto result = RunCommand({"config", "check"}, {{"SALESBOOST_CONFIG", file.string()}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("port = 9444  # file " + file.string()), std::string::npos) << result.out;
}

}  // namespace
}  // namespace salesboost
