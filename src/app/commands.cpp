#include "app/commands.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/catalog_setup.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "build_info.hpp"
#include "core/clock.hpp"
#include "core/read_file.hpp"
#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "identity/auth_service.hpp"
#include "storage/migration.hpp"

namespace salesboost::app {

int RunMigrate(const ConfigInput& input) {
  auto config = LoadResolvedOrReport(input);  // store.postgres_dsn is a secret reference
  if (!config) return kExitConfigError;
  core::BlockingPool pool(1);
  auto store = OpenStore(*config, pool);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return kExitFailure;
  }
  auto applied = core::RunSync(storage::ApplyMigrations(**store, storage::BuiltinMigrations()));
  if (!applied) {
    std::fprintf(stderr, "error: %s\n", applied.error().message.c_str());
    return kExitFailure;
  }
  auto status = core::RunSync(storage::ReadSchemaStatus(**store, storage::BuiltinMigrations()));
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
  auto secrets =
      MakeSecretStore(loaded->config.secrets, input.environment, core::Logger::Stdout(core::LogLevel::kWarn));
  auto resolved_config = ResolveOrReport(*loaded, *secrets);
  std::map<std::string, bool> resolved;
  for (const auto& setting : AllSettings()) {
    if (setting.kind == SettingKind::kSecretRef) resolved[setting.key] = resolved_config.has_value();
  }
  fmt::print("{}", RenderConfig(*loaded, resolved));
  return resolved_config ? kExitOk : kExitConfigError;
}

int RunUserAdd(const ConfigInput& input, const UserAddFlags& flags) {
  auto config = LoadResolvedOrReport(input);
  if (!config) return kExitConfigError;

  std::string password;
  bool generated = false;
  if (flags.password_file) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (*flags.password_file != "-") {
      file.open(*flags.password_file);
      if (!file) {
        std::fprintf(stderr, "error: cannot read %s\n", flags.password_file->c_str());
        return kExitFailure;
      }
      in = &file;
    }
    std::getline(*in, password);
  } else {
    password = identity::GeneratePassword();
    generated = true;
  }

  core::BlockingPool pool(1);
  auto store = OpenMigratedStoreOrReport(*config, pool);
  if (!store) return kExitFailure;
  core::SystemClock clock;
  auto ids = core::MakeRandomIdGenerator();
  const identity::PasswordHasher hasher(
      {.memory_kib = config->auth.password_hash_memory_kib, .iterations = config->auth.password_hash_iterations});
  // Creating users needs no signing key; a throwaway one satisfies the service.
  const identity::TokenService tokens(std::string(32, 'x'), std::chrono::seconds(1), clock);
  identity::UserRepository users(*store, *ids, clock);
  identity::AuthService auth(users, hasher, tokens, pool);
  auto created = core::RunSync(
      auth.CreateUser(identity::NewUser{.tenant_id = "default",
                                        .username = flags.username,
                                        .display_name = flags.display_name,
                                        .password_hash = {},
                                        .role = flags.admin ? identity::Role::kAdmin : identity::Role::kTrainee},
                      password));
  if (!created) {
    std::fprintf(stderr, "error: %s\n", created.error().message.c_str());
    return created.error().code == core::ErrorCode::kInvalidArgument ? kExitConfigError : kExitFailure;
  }
  fmt::print("created {} \"{}\" (id {})\n", identity::RoleName(created->role), created->username, created->id);
  if (generated) fmt::print("password: {}\n", password);
  return kExitOk;
}

int RunCatalogImport(const ConfigInput& input, const std::vector<std::string>& paths) {
  auto config = LoadResolvedOrReport(input);  // store.postgres_dsn is a secret reference
  if (!config) return kExitConfigError;
  const auto files = CourseFiles(paths);
  if (files.empty()) {
    std::fprintf(stderr, "error: no course files (*.json) in the given paths\n");
    return kExitConfigError;
  }
  core::BlockingPool pool(1);
  auto store = OpenMigratedStoreOrReport(*config, pool);
  if (!store) return kExitFailure;
  core::SystemClock clock;
  catalog::CatalogRepository catalog(*store, clock);
  int failed = 0;
  for (const auto& file : files) {
    const auto text = core::ReadWholeFile(file);
    if (!text) {
      std::fprintf(stderr, "%s: cannot read\n", file.c_str());
      ++failed;
      continue;
    }
    auto report = core::RunSync(ImportCourse(catalog, "default", file.string(), *text));
    if (!report.errors.empty()) {
      for (const auto& line : report.errors) std::fprintf(stderr, "%s: %s\n", file.c_str(), line.c_str());
      ++failed;
      continue;
    }
    fmt::print("{}: imported course \"{}\" ({} scenarios, {} personas)\n", file.string(), report.course_id,
               report.scenarios, report.personas);
  }
  return failed == 0 ? kExitOk : kExitFailure;
}

int RunVersion() {
  fmt::print("salesboost {} (commit {}, {} build)\n", build_info::kVersion, build_info::kGitCommit,
             build_info::kBuildType);
  return kExitOk;
}

}  // namespace salesboost::app
