#include "app/identity_setup.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/read_file.hpp"
#include "identity/password_hasher.hpp"

namespace salesboost::app {
namespace {

constexpr std::size_t kMinKeyBytes = 32;

// Writes `content` to a new file readable only by its owner.
core::Result<void> WritePrivateFile(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return core::Fail(core::ErrorCode::kUnavailable, "cannot create " + path.string());
  const auto written = ::write(fd, content.data(), content.size());
  const bool ok = written == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::Fail(core::ErrorCode::kUnavailable, "cannot write " + path.string());
  return core::Ok();
}

std::optional<std::string> ReadTrimmed(const std::filesystem::path& path) {
  auto read = core::ReadWholeFile(path);
  if (!read) return std::nullopt;
  std::string text = std::move(*read);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

IdentityServices::IdentityServices(const AppConfig& config, storage::Store& store, core::IdGenerator& ids,
                                   const core::Clock& clock, const core::Logger& logger,
                                   const identity::TokenService& tokens)
    : hasher({.memory_kib = config.auth.password_hash_memory_kib, .iterations = config.auth.password_hash_iterations}),
      policy({.min_length = config.auth.password_min_length}),
      hashing(static_cast<int>(config.auth.password_hash_threads), static_cast<int>(config.auth.password_hash_queue)),
      users(store, ids, clock),
      lockout(store, clock,
              {.threshold = config.auth.lockout_threshold,
               .base_s = config.auth.lockout_base_s,
               .max_s = config.auth.lockout_max_s,
               .forget_s = identity::LockoutOptions{}.forget_s}),
      audit(store, ids, clock, logger),
      auth({.users = users,
            .lockout = lockout,
            .audit = audit,
            .hasher = hasher,
            .policy = policy,
            .tokens = tokens,
            .hashing = hashing}) {}

core::Result<std::string> LoadOrCreateSigningKey(const AppConfig& config) {
  if (!config.auth.jwt_signing_key.empty()) {
    if (config.auth.jwt_signing_key.size() < kMinKeyBytes) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        "auth.jwt_signing_key: the secret must be at least 32 bytes");
    }
    return config.auth.jwt_signing_key;
  }
  const auto path = std::filesystem::path(config.data.dir) / "jwt-signing.key";
  if (auto existing = ReadTrimmed(path)) {
    if (existing->size() < kMinKeyBytes) {
      return core::Fail(core::ErrorCode::kInvalidArgument, path.string() + " holds fewer than 32 bytes");
    }
    return *existing;
  }
  if (sodium_init() < 0) return core::Fail(core::ErrorCode::kInternal, "libsodium failed to initialise");
  unsigned char raw[32];
  randombytes_buf(raw, sizeof(raw));
  char hex[2 * sizeof(raw) + 1];
  sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
  const std::string key(hex);
  if (auto written = WritePrivateFile(path, key + "\n"); !written) return core::Fail(written.error());
  return key;
}

boost::asio::awaitable<core::Result<std::optional<std::filesystem::path>>> BootstrapUsers(
    identity::AuthService& auth, identity::UserRepository& users, AppConfig config) {
  using Found = std::optional<std::filesystem::path>;
  const std::string tenant = "default";
  if (!config.auth.bootstrap_admin_password.empty()) {
    auto admins = co_await users.CountByRole(tenant, identity::Role::kAdmin);
    if (!admins) co_return core::Fail(admins.error());
    if (*admins == 0) {
      identity::NewUser admin{.tenant_id = tenant,
                              .username = "admin",
                              .display_name = "Administrator",
                              .password_hash = {},
                              .role = identity::Role::kAdmin};
      identity::Actor system{.id = "system", .remote = {}};
      auto created =
          co_await auth.CreateUser(std::move(admin), config.auth.bootstrap_admin_password, std::move(system));
      if (!created) co_return core::Fail(created.error().code, "bootstrap admin: " + created.error().message);
      std::fprintf(stderr, "Created the admin user \"admin\" from auth.bootstrap_admin_password.\n");
    }
  }
  if (!config.auth.demo_trainee) co_return Found();
  const auto password_file = std::filesystem::path(config.data.dir) / "demo-trainee.password";
  auto trainee = co_await users.FindByUsername(tenant, "trainee");
  if (!trainee) co_return core::Fail(trainee.error());
  if (!trainee->has_value()) {
    const std::string password = identity::GeneratePassword();
    identity::NewUser trainee_user{.tenant_id = tenant,
                                   .username = "trainee",
                                   .display_name = "Demo Trainee",
                                   .password_hash = {},
                                   .role = identity::Role::kTrainee};
    identity::Actor system{.id = "system", .remote = {}};
    auto created = co_await auth.CreateUser(std::move(trainee_user), password, std::move(system));
    if (!created) co_return core::Fail(created.error().code, "demo trainee: " + created.error().message);
    std::error_code ec;
    std::filesystem::remove(password_file, ec);
    if (auto written = WritePrivateFile(password_file, password + "\n"); !written)
      co_return core::Fail(written.error());
  }
  co_return std::filesystem::exists(password_file) ? Found(password_file) : Found();
}

void PrintDemoLogin(const std::filesystem::path& password_file, const std::string& base_url) {
  std::fprintf(stderr,
               "\nDemo trainee: username \"trainee\", password in %s\n"
               "Log in:  curl -s -X POST %s/api/v1/auth/login "
               "-d \"{\\\"username\\\":\\\"trainee\\\",\\\"password\\\":\\\"$(cat %s)\\\"}\"\n\n",
               password_file.c_str(), base_url.c_str(), password_file.c_str());
}

}  // namespace salesboost::app
