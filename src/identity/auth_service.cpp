#include "identity/auth_service.hpp"

#include <fmt/format.h>

namespace salesboost::identity {
namespace {

core::Error BadCredentials() { return core::Error{core::ErrorCode::kUnauthenticated, "invalid username or password"}; }

core::Error Busy() {
  return core::Error{core::ErrorCode::kUnavailable, "too many password checks in progress; retry in a moment"};
}

LoginFailure Failed(core::Error error, std::chrono::seconds retry_after = std::chrono::seconds(0)) {
  return LoginFailure{std::move(error), retry_after};
}

// The key failed logins are counted under: the normalised username, or what
// was typed (lower-cased) when it cannot be a username at all.
std::string LockoutKey(std::string_view username) {
  if (auto normalized = NormalizeUsername(username)) return *normalized;
  std::string out(username.substr(0, 64));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

boost::asio::awaitable<void> AuthService::Audit(AuditEvent event) {
  co_await d_.audit.Record(std::move(event));  // a failure is logged by the audit log itself
}

boost::asio::awaitable<tl::expected<LoginResult, LoginFailure>> AuthService::Login(LoginRequest request) {
  const std::string key = LockoutKey(request.username);
  // Named before awaiting: g++ 12 mishandles non-trivial temporaries inside co_await.
  auto login_event = [&](std::string outcome, std::string detail = {}) {
    return AuditEvent{.tenant_id = request.tenant_id,
                      .actor = key,
                      .action = "login",
                      .target = key,
                      .outcome = std::move(outcome),
                      .remote = request.remote,
                      .detail = std::move(detail)};
  };
  auto locked = co_await d_.lockout.LockedFor(request.tenant_id, key);
  if (!locked) co_return tl::unexpected(Failed(locked.error()));
  if (locked->has_value()) {
    const auto wait = **locked;
    auto event = login_event("locked", fmt::format("{} s left", wait.count()));
    co_await Audit(std::move(event));
    co_return tl::unexpected(
        Failed(core::Error{core::ErrorCode::kResourceExhausted,
                           fmt::format("too many failed logins for this account; retry in {} s", wait.count())},
               wait));
  }

  auto user = co_await d_.users.FindByUsername(request.tenant_id, request.username);
  if (!user) co_return tl::unexpected(Failed(user.error()));
  const std::string hash = user->has_value() ? (*user)->password_hash : std::string();
  auto check = [&hasher = d_.hasher, hash, password = request.password]() -> bool {
    if (hash.empty()) {
      hasher.VerifyDummy(password);
      return false;
    }
    return hasher.Verify(hash, password);
  };
  const auto ok = co_await d_.hashing.TryRun(std::move(check));
  if (!ok) co_return tl::unexpected(Failed(Busy(), std::chrono::seconds(1)));
  if (!*ok) {
    auto lock = co_await d_.lockout.RecordFailure(request.tenant_id, key);
    const bool now_locked = lock && lock->has_value();
    auto event = login_event("failed", now_locked ? fmt::format("locked for {} s", (*lock)->count()) : std::string());
    co_await Audit(std::move(event));
    co_return tl::unexpected(Failed(BadCredentials()));
  }
  co_await d_.lockout.Clear(request.tenant_id, key);  // a stale count only locks sooner: not worth failing for
  auto event = login_event("ok");
  co_await Audit(std::move(event));
  const User& found = **user;
  co_return LoginResult{.token = d_.tokens.Issue(found.ToPrincipal()),
                        .principal = found.ToPrincipal(),
                        .display_name = found.display_name};
}

core::Result<Principal> AuthService::VerifyToken(std::string_view credentials) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (credentials.starts_with(kBearer)) credentials.remove_prefix(kBearer.size());
  if (credentials.empty()) return core::Fail(core::ErrorCode::kUnauthenticated, "a bearer token is required");
  return d_.tokens.Verify(credentials);
}

boost::asio::awaitable<core::Result<Principal>> AuthService::Authenticate(std::string credentials) const {
  auto principal = VerifyToken(credentials);
  if (!principal) co_return core::Fail(principal.error());
  auto user = co_await d_.users.FindById(principal->tenant_id, principal->user_id);
  if (!user) co_return core::Fail(user.error());
  if (!user->has_value() || (*user)->Deleted() || (*user)->token_version != principal->token_version) {
    co_return core::Fail(core::ErrorCode::kUnauthenticated, "token revoked; sign in again");
  }
  principal->role = (*user)->role;  // the current role, not the one at sign-in
  co_return principal;
}

boost::asio::awaitable<core::Result<std::string>> AuthService::HashPassword(std::string password,
                                                                            std::string_view username) {
  if (auto allowed = d_.policy.Check(password, username); !allowed) co_return core::Fail(allowed.error());
  auto hash_it = [&hasher = d_.hasher, password = std::move(password)]() { return hasher.Hash(password); };
  auto hash = co_await d_.hashing.TryRun(std::move(hash_it));
  if (!hash) co_return core::Fail(Busy());
  co_return std::move(*hash);
}

boost::asio::awaitable<core::Result<User>> AuthService::CreateUser(NewUser user, std::string password, Actor actor) {
  auto username = NormalizeUsername(user.username);
  if (!username) co_return core::Fail(username.error());
  auto hash = co_await HashPassword(std::move(password), *username);
  if (!hash) co_return core::Fail(hash.error());
  user.password_hash = std::move(*hash);
  const std::string tenant_id = user.tenant_id;
  const std::string role(RoleName(user.role));
  auto created = co_await d_.users.Create(std::move(user));
  AuditEvent event{.tenant_id = tenant_id,
                   .actor = actor.id,
                   .action = "user.create",
                   .target = *username,
                   .outcome = created ? "ok" : std::string(core::ErrorCodeName(created.error().code)),
                   .remote = actor.remote,
                   .detail = "role " + role};
  co_await Audit(std::move(event));
  co_return created;
}

boost::asio::awaitable<core::Result<User>> AuthService::SetPassword(std::string tenant_id, std::string user_id,
                                                                    std::string password, Actor actor) {
  auto user = co_await d_.users.FindById(tenant_id, user_id);
  if (!user) co_return core::Fail(user.error());
  if (!user->has_value() || (*user)->Deleted()) {
    co_return core::Fail(core::ErrorCode::kNotFound, "no user with id '" + user_id + "'");
  }
  auto hash = co_await HashPassword(std::move(password), (*user)->username);
  if (!hash) co_return core::Fail(hash.error());
  auto changed = co_await d_.users.SetPasswordHash(tenant_id, user_id, std::move(*hash));
  AuditEvent event{.tenant_id = tenant_id,
                   .actor = actor.id,
                   .action = "user.password",
                   .target = (*user)->username,
                   .outcome = changed ? "ok" : std::string(core::ErrorCodeName(changed.error().code)),
                   .remote = actor.remote,
                   .detail = "tokens revoked"};
  co_await Audit(std::move(event));
  co_return changed;
}

boost::asio::awaitable<core::Result<User>> AuthService::DeleteUser(std::string tenant_id, std::string user_id,
                                                                   Actor actor) {
  auto deleted = co_await d_.users.Delete(tenant_id, user_id);
  AuditEvent event{
      .tenant_id = tenant_id,
      .actor = actor.id,
      .action = "user.delete",
      .target = user_id,
      .outcome = deleted ? "ok" : std::string(core::ErrorCodeName(deleted.error().code)),
      .remote = actor.remote,
      .detail = deleted ? "was " + deleted->username.substr(0, deleted->username.find('~')) : std::string()};
  co_await Audit(std::move(event));
  co_return deleted;
}

boost::asio::awaitable<core::Result<std::vector<User>>> AuthService::ListUsers(std::string tenant_id) const {
  co_return co_await d_.users.List(std::move(tenant_id));
}

boost::asio::awaitable<core::Result<std::optional<User>>> AuthService::FindUser(std::string tenant_id,
                                                                                std::string username) const {
  co_return co_await d_.users.FindByUsername(std::move(tenant_id), std::move(username));
}

}  // namespace salesboost::identity
