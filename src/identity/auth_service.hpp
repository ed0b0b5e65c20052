// AuthService: password login, bearer-token authentication and the account
// changes that revoke tokens.
//
// Password hashing runs on its own bounded pool (argon2id is slow on purpose):
// a flood of logins gets "busy" answers instead of queueing, and never delays
// the store's threads. Unknown users cost the same time as wrong passwords.
// Logins are locked per account after repeated failures (LoginLockout).
// Tokens carry the user's token version; a password change or a deletion bumps
// it, so Authenticate refuses every token issued before. Logins and account
// changes go to the audit log. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "core/bounded_pool.hpp"
#include "identity/audit_log.hpp"
#include "identity/login_lockout.hpp"
#include "identity/password_hasher.hpp"
#include "identity/password_policy.hpp"
#include "identity/token_service.hpp"
#include "identity/user_repository.hpp"

namespace salesboost::identity {

struct LoginRequest {
  std::string tenant_id = "default";
  std::string username;
  std::string password;
  std::string remote;  // the client's address, for the audit log
};

struct LoginResult {
  IssuedToken token;
  Principal principal;
  std::string display_name;
};

// Why a login failed: kUnauthenticated (one message for every wrong
// credential), kResourceExhausted (the account is locked; retry_after says
// for how long), kUnavailable (too many password checks at once, or the store).
struct LoginFailure {
  core::Error error;
  std::chrono::seconds retry_after{0};
};

// Who changes an account, for the audit log.
struct Actor {
  std::string id;  // a user id, or "cli" for the command line
  std::string remote;
};

struct AuthDeps {
  UserRepository& users;
  LoginLockout& lockout;
  AuditLog& audit;
  const PasswordHasher& hasher;
  const PasswordPolicy& policy;
  const TokenService& tokens;
  core::BoundedPool& hashing;
};

class AuthService {
 public:
  explicit AuthService(AuthDeps deps) : d_(deps) {}

  boost::asio::awaitable<tl::expected<LoginResult, LoginFailure>> Login(LoginRequest request);

  // The principal of "Bearer <token>" (or of a bare token): signature and
  // expiry only, no store access. For checks that must not wait (a request's
  // headers before its body is read); Authenticate is the full check.
  core::Result<Principal> VerifyToken(std::string_view credentials) const;
  // VerifyToken, and the user still exists with the token's version.
  boost::asio::awaitable<core::Result<Principal>> Authenticate(std::string credentials) const;

  // Creates a user; the password must pass the policy.
  boost::asio::awaitable<core::Result<User>> CreateUser(NewUser user, std::string password, Actor actor);
  // Sets a new password (policy checked) and revokes the user's tokens.
  boost::asio::awaitable<core::Result<User>> SetPassword(std::string tenant_id, std::string user_id,
                                                         std::string password, Actor actor);
  // Deletes the user and revokes its tokens.
  boost::asio::awaitable<core::Result<User>> DeleteUser(std::string tenant_id, std::string user_id, Actor actor);
  boost::asio::awaitable<core::Result<std::vector<User>>> ListUsers(std::string tenant_id) const;
  // By username, among users that exist.
  boost::asio::awaitable<core::Result<std::optional<User>>> FindUser(std::string tenant_id, std::string username) const;

  // Writes an audit record (a store failure is logged, not returned).
  boost::asio::awaitable<void> Audit(AuditEvent event);
  AuditLog& audit_log() { return d_.audit; }

 private:
  boost::asio::awaitable<core::Result<std::string>> HashPassword(std::string password, std::string_view username);

  AuthDeps d_;
};

}  // namespace salesboost::identity
