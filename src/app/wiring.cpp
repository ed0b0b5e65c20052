#include "app/wiring.hpp"

#include <cstdio>
#include <filesystem>

#include "app/run_sync.hpp"
#include "infra/secrets/env_secret_store.hpp"
#include "infra/secrets/file_secret_store.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"

namespace salesboost::app {
namespace {

void Report(const ConfigErrors& errors) {
  for (const auto& error : errors) std::fprintf(stderr, "config error: %s\n", error.ToString().c_str());
}

}  // namespace

std::optional<LoadedConfig> LoadOrReport(const ConfigInput& input) {
  auto loaded = LoadConfig(input);
  if (!loaded) {
    Report(loaded.error());
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::unique_ptr<core::SecretStore> MakeSecretStore(const SecretsOptions& options,
                                                   const std::map<std::string, std::string>& environment) {
  if (options.provider == "file") return std::make_unique<infra::FileSecretStore>(options.dir);
  return std::make_unique<infra::EnvSecretStore>(options.env_prefix, environment);
}

std::optional<AppConfig> ResolveOrReport(const LoadedConfig& loaded, core::SecretStore& secrets) {
  auto resolved = ResolveSecrets(loaded.config, secrets, loaded.origins);
  if (!resolved) {
    Report(resolved.error());
    return std::nullopt;
  }
  return std::move(*resolved);
}

core::Result<std::unique_ptr<storage::Store>> OpenStore(const AppConfig& config, core::BlockingPool& pool) {
  const std::filesystem::path data_dir(config.data.dir);
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "cannot create data directory " + data_dir.string() + ": " + ec.message());
  }
  const std::filesystem::path path = data_dir / config.store.sqlite.path;  // absolute paths stay absolute
  auto store = infra::SqliteStore::Open(path, config.store.sqlite, pool);
  if (!store) return core::Fail(store.error());
  return std::unique_ptr<storage::Store>(std::move(*store));
}

std::unique_ptr<storage::Store> OpenMigratedStoreOrReport(const AppConfig& config, core::BlockingPool& pool) {
  auto store = OpenStore(config, pool);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return nullptr;
  }
  if (auto applied = RunSync(storage::ApplyMigrations(**store, storage::BuiltinMigrations())); !applied) {
    std::fprintf(stderr, "error: %s\n", applied.error().message.c_str());
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace salesboost::app
