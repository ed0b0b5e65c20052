#include "app/commands.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "app/run_sync.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "build_info.hpp"
#include "storage/migration.hpp"

namespace salesboost::app {

int RunMigrate(const ConfigInput& input) {
  auto loaded = LoadOrReport(input);
  if (!loaded) return kExitConfigError;
  core::BlockingPool pool(1);
  auto store = OpenStore(loaded->config, pool);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return kExitFailure;
  }
  auto applied = RunSync(storage::ApplyMigrations(**store, storage::BuiltinMigrations()));
  if (!applied) {
    std::fprintf(stderr, "error: %s\n", applied.error().message.c_str());
    return kExitFailure;
  }
  auto status = RunSync(storage::ReadSchemaStatus(**store, storage::BuiltinMigrations()));
  if (!status) {
    std::fprintf(stderr, "error: %s\n", status.error().message.c_str());
    return kExitFailure;
  }
  if (applied->empty()) {
    fmt::print("schema is up to date at version {}\n", status->current);
  } else {
    fmt::print("applied {} migration(s); schema is now at version {}\n", applied->size(), status->current);
  }
  return kExitOk;
}

int RunConfigCheck(const ConfigInput& input) {
  auto loaded = LoadOrReport(input);
  if (!loaded) return kExitConfigError;
  auto secrets = MakeSecretStore(loaded->config.secrets, input.environment);
  auto resolved_config = ResolveOrReport(*loaded, *secrets);
  std::map<std::string, bool> resolved;
  for (const auto& setting : AllSettings()) {
    if (setting.kind == SettingKind::kSecretRef) resolved[setting.key] = resolved_config.has_value();
  }
  fmt::print("{}", RenderConfig(*loaded, resolved));
  return resolved_config ? kExitOk : kExitConfigError;
}

int RunVersion() {
  fmt::print("salesboost {} (commit {}, {} build)\n", build_info::kVersion, build_info::kGitCommit,
             build_info::kBuildType);
  return kExitOk;
}

}  // namespace salesboost::app
