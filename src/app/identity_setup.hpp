// Start-up pieces of identity: the token signing key and the first users.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <optional>
#include <string>

#include "app/app_config.hpp"
#include "core/bounded_pool.hpp"
#include "identity/audit_log.hpp"
#include "identity/auth_service.hpp"
#include "identity/login_lockout.hpp"
#include "identity/password_policy.hpp"

namespace salesboost::app {

// The identity services over one store, configured from [auth]: password
// hashing on a pool of its own, the password policy, account lockout, the
// audit log and the AuthService over them. Built in place; not movable.
struct IdentityServices {
  IdentityServices(const AppConfig& config, storage::Store& store, core::IdGenerator& ids, const core::Clock& clock,
                   const core::Logger& logger, const identity::TokenService& tokens);
  IdentityServices(const IdentityServices&) = delete;
  IdentityServices& operator=(const IdentityServices&) = delete;

  identity::PasswordHasher hasher;
  identity::PasswordPolicy policy;
  core::BoundedPool hashing;
  identity::UserRepository users;
  identity::LoginLockout lockout;
  identity::AuditLog audit;
  identity::AuthService auth;
};

// auth.jwt_signing_key when configured (resolved, at least 32 bytes); else the
// key in <data.dir>/jwt-signing.key, created (mode 0600) on first use.
core::Result<std::string> LoadOrCreateSigningKey(const AppConfig& config);

// Creates "admin" from auth.bootstrap_admin_password when the tenant has no
// admin, and the demo trainee at first start (its generated password is kept
// in <data.dir>/demo-trainee.password, mode 0600). Returns that file when the
// demo trainee exists, so the caller can say how to log in.
boost::asio::awaitable<core::Result<std::optional<std::filesystem::path>>> BootstrapUsers(
    identity::AuthService& auth, identity::UserRepository& users, AppConfig config);

// Prints (to stderr) how to log in as the demo trainee.
void PrintDemoLogin(const std::filesystem::path& password_file, const std::string& base_url);

}  // namespace salesboost::app
