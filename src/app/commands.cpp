#include "app/commands.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/catalog_setup.hpp"
#include "app/identity_setup.hpp"
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

namespace {

// A password from `file` ("-": standard input), or nullopt after saying why not.
std::optional<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
      return std::nullopt;
    }
    in = &file;
  }
  std::string password;
  std::getline(*in, password);
  return password;
}

// The password from `file` when one is named, else a generated one; nullopt after saying why not.
std::optional<std::string> ChoosePassword(const std::optional<std::string>& file) {
  return file ? ReadPasswordFile(*file) : std::optional<std::string>(identity::GeneratePassword());
}

// Runs `fn` with the identity services over the configured store, as the
// command line (the actor "cli" in the audit log).
template <typename Fn>
int WithIdentity(const ConfigInput& input, Fn fn) {
  auto config = LoadResolvedOrReport(input);
  if (!config) return kExitConfigError;
  core::BlockingPool pool(1);
  auto store = OpenMigratedStoreOrReport(*config, pool);
  if (!store) return kExitFailure;
  core::SystemClock clock;
  auto ids = core::MakeRandomIdGenerator();
  // Account changes need no signing key; a throwaway one satisfies the service.
  const identity::TokenService tokens(std::string(32, 'x'), std::chrono::seconds(1), clock);
  IdentityServices identity(*config, *store, *ids, clock, core::Logger::Stdout(core::LogLevel::kOff), tokens);
  return fn(identity.auth);
}

int Report(const core::Error& error) {
  std::fprintf(stderr, "error: %s\n", error.message.c_str());
  return error.code == core::ErrorCode::kInvalidArgument ? kExitConfigError : kExitFailure;
}

const identity::Actor kCli{.id = "cli", .remote = {}};

// The user called `username`, or an error said.
std::optional<identity::User> FindOrReport(identity::AuthService& auth, const std::string& username) {
  auto found = core::RunSync(auth.FindUser("default", username));
  if (!found) {
    Report(found.error());
    return std::nullopt;
  }
  if (!found->has_value()) std::fprintf(stderr, "error: no user \"%s\"\n", username.c_str());
  return *found;
}

}  // namespace

int RunUserAdd(const ConfigInput& input, const UserAddFlags& flags) {
  const bool generated = !flags.password_file;
  const auto chosen = ChoosePassword(flags.password_file);
  if (!chosen) return kExitFailure;
  const std::string& password = *chosen;
  return WithIdentity(input, [&](identity::AuthService& auth) {
    auto created = core::RunSync(
        auth.CreateUser(identity::NewUser{.tenant_id = "default",
                                          .username = flags.username,
                                          .display_name = flags.display_name,
                                          .password_hash = {},
                                          .role = flags.admin ? identity::Role::kAdmin : identity::Role::kTrainee},
                        password, kCli));
    if (!created) return Report(created.error());
    fmt::print("created {} \"{}\" (id {})\n", identity::RoleName(created->role), created->username, created->id);
    if (generated) fmt::print("password: {}\n", password);
    return kExitOk;
  });
}

int RunUserList(const ConfigInput& input) {
  return WithIdentity(input, [&](identity::AuthService& auth) {
    auto users = core::RunSync(auth.ListUsers("default"));
    if (!users) return Report(users.error());
    fmt::print("{:<24} {:<8} {:<21} {}\n", "USERNAME", "ROLE", "CREATED", "DISPLAY NAME");
    for (const auto& user : *users) {
      fmt::print("{:<24} {:<8} {:<21} {}\n", user.username, identity::RoleName(user.role), user.created_at,
                 user.display_name);
    }
    return kExitOk;
  });
}

int RunUserPasswd(const ConfigInput& input, const UserPasswdFlags& flags) {
  const bool generated = !flags.password_file;
  const auto chosen = ChoosePassword(flags.password_file);
  if (!chosen) return kExitFailure;
  const std::string& password = *chosen;
  return WithIdentity(input, [&](identity::AuthService& auth) {
    auto user = FindOrReport(auth, flags.username);
    if (!user) return kExitFailure;
    auto changed = core::RunSync(auth.SetPassword("default", user->id, password, kCli));
    if (!changed) return Report(changed.error());
    fmt::print("password of \"{}\" changed; its earlier tokens no longer work\n", changed->username);
    if (generated) fmt::print("password: {}\n", password);
    return kExitOk;
  });
}

int RunUserDelete(const ConfigInput& input, const std::string& username) {
  return WithIdentity(input, [&](identity::AuthService& auth) {
    auto user = FindOrReport(auth, username);
    if (!user) return kExitFailure;
    auto deleted = core::RunSync(auth.DeleteUser("default", user->id, kCli));
    if (!deleted) return Report(deleted.error());
    fmt::print("deleted \"{}\" (id {}); its tokens no longer work, its sessions and reports are kept\n", user->username,
               user->id);
    return kExitOk;
  });
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
