#include "core/secret_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "infra/secrets/env_secret_store.hpp"
#include "infra/secrets/file_secret_store.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

TEST(SecretRef, ParsesNamesAndRefusesInlineValuesAndTraversal) {
  EXPECT_EQ(core::ParseSecretRef("secret:llm/deepseek").value(), "llm/deepseek");
  EXPECT_FALSE(core::ParseSecretRef("sk-live-123").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:../etc/passwd").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:a//b").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:/abs").has_value());
  EXPECT_FALSE(core::ParseSecretRef("secret:a b").has_value());
}

TEST(EnvSecretStore, MapsNamesToUpperCaseVariables) {
  infra::EnvSecretStore store("SALESBOOST_SECRET_", {{"SALESBOOST_SECRET_LLM_DEEP_SEEK", "sk-1"}});
  EXPECT_EQ(store.VariableFor("llm/deep-seek"), "SALESBOOST_SECRET_LLM_DEEP_SEEK");
  EXPECT_EQ(store.Get("llm/deep-seek").value(), "sk-1");
  auto missing = store.Get("llm/other");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST(FileSecretStore, ReadsFilesStripsOneNewlineAndSeesRotation) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "llm");
  std::ofstream(dir.path() / "llm" / "deepseek") << "sk-file\n";
  infra::FileSecretStore store(dir.path());
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-file");
  std::ofstream(dir.path() / "llm" / "deepseek", std::ios::trunc) << "sk-rotated";
  EXPECT_EQ(store.Get("llm/deepseek").value(), "sk-rotated");
  EXPECT_EQ(store.Get("llm/none").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(store.Get("../outside").error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace salesboost
