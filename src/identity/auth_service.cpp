#include "identity/auth_service.hpp"

namespace salesboost::identity {
namespace {

core::Error BadCredentials() { return core::Error{core::ErrorCode::kUnauthenticated, "invalid username or password"}; }

}  // namespace

boost::asio::awaitable<core::Result<LoginResult>> AuthService::Login(std::string tenant_id, std::string username,
                                                                     std::string password) {
  auto user = co_await users_.FindByUsername(tenant_id, username);
  if (!user) co_return core::Fail(user.error());
  const std::string hash = user->has_value() ? (*user)->password_hash : std::string();
  auto check = [this, hash, password]() -> bool {
    if (hash.empty()) {
      hasher_.VerifyDummy(password);
      return false;
    }
    return hasher_.Verify(hash, password);
  };
  const bool ok = co_await blocking_.Run(std::move(check));
  if (!ok) co_return core::Fail(BadCredentials());
  const User& found = **user;
  co_return LoginResult{tokens_.Issue(found.ToPrincipal()), found.ToPrincipal(), found.display_name};
}

core::Result<Principal> AuthService::Authenticate(std::string_view credentials) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (credentials.starts_with(kBearer)) credentials.remove_prefix(kBearer.size());
  if (credentials.empty()) return core::Fail(core::ErrorCode::kUnauthenticated, "a bearer token is required");
  return tokens_.Verify(credentials);
}

boost::asio::awaitable<core::Result<User>> AuthService::CreateUser(NewUser user, std::string password) {
  if (password.size() < 8)
    co_return core::Fail(core::ErrorCode::kInvalidArgument, "password must be at least 8 characters");
  auto hash_it = [this, password]() { return hasher_.Hash(password); };
  auto hash = co_await blocking_.Run(std::move(hash_it));
  if (!hash) co_return core::Fail(hash.error());
  user.password_hash = std::move(*hash);
  co_return co_await users_.Create(std::move(user));
}

}  // namespace salesboost::identity
