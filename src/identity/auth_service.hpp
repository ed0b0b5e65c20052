// AuthService: password login and bearer-token authentication.
// Password checks run on the blocking pool (argon2id is slow on purpose).
// Unknown users cost the same time as wrong passwords. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "core/blocking_pool.hpp"
#include "identity/password_hasher.hpp"
#include "identity/token_service.hpp"
#include "identity/user_repository.hpp"

namespace salesboost::identity {

struct LoginResult {
  IssuedToken token;
  Principal principal;
  std::string display_name;
};

class AuthService {
 public:
  AuthService(UserRepository& users, const PasswordHasher& hasher, const TokenService& tokens,
              core::BlockingPool& blocking)
      : users_(users), hasher_(hasher), tokens_(tokens), blocking_(blocking) {}

  // kUnauthenticated with one message for every kind of wrong credential.
  boost::asio::awaitable<core::Result<LoginResult>> Login(std::string tenant_id, std::string username,
                                                          std::string password);
  // The principal of "Bearer <token>" (or of a bare token).
  core::Result<Principal> Authenticate(std::string_view credentials) const;

  // Creates a user with a freshly hashed password.
  boost::asio::awaitable<core::Result<User>> CreateUser(NewUser user, std::string password);

 private:
  UserRepository& users_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
  core::BlockingPool& blocking_;
};

}  // namespace salesboost::identity
