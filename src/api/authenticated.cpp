#include "api/authenticated.hpp"

#include <utility>

#include "api/auth_routes.hpp"

namespace salesboost::api {

using server::HttpRequest;
using server::HttpResponse;

namespace {

core::Error AdministratorsOnly() { return core::Error{core::ErrorCode::kPermissionDenied, "administrators only"}; }

}  // namespace

server::Handler Authenticated(identity::AuthService& auth, PrincipalHandler handler) {
  return Authenticated(auth, identity::Role::kTrainee, std::move(handler));
}

server::Handler Authenticated(identity::AuthService& auth, identity::Role role, PrincipalHandler handler) {
  return [&auth, role, handler = std::move(handler)](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    std::string credentials(request.Header("authorization").value_or(""));
    auto principal = co_await auth.Authenticate(std::move(credentials));
    if (!principal) {
      if (principal.error().code != core::ErrorCode::kUnauthenticated) {
        co_return server::ErrorResponse(principal.error(), request.request_id);  // the store is down
      }
      co_return Unauthenticated(principal.error(), request);
    }
    if (role == identity::Role::kAdmin && !principal->IsAdmin()) {
      co_return server::ErrorResponse(AdministratorsOnly(), request.request_id);
    }
    const bool audited = role == identity::Role::kAdmin && request.method != "GET" && request.method != "HEAD";
    identity::AuditEvent event;
    if (audited) {
      event = identity::AuditEvent{.tenant_id = principal->tenant_id,
                                   .actor = principal->user_id,
                                   .action = request.method + " " + request.path,
                                   .target = request.path,
                                   .outcome = {},
                                   .remote = request.remote_address,
                                   .detail = principal->username};
    }
    // Named before awaiting: g++ 12 mishandles non-trivial temporaries inside co_await.
    auto reply = handler(std::move(request), std::move(*principal));
    auto response = co_await std::move(reply);
    if (audited) {
      event.outcome = std::to_string(response.status);
      co_await auth.Audit(std::move(event));
    }
    co_return response;
  };
}

server::HeaderCheck BearerBeforeBody(const identity::AuthService& auth, identity::Role role) {
  return [&auth, role](const HttpRequest& request) -> std::optional<HttpResponse> {
    auto principal = auth.VerifyToken(request.Header("authorization").value_or(""));
    if (!principal) return Unauthenticated(principal.error(), request);
    if (role == identity::Role::kAdmin && !principal->IsAdmin()) {
      return server::ErrorResponse(AdministratorsOnly(), request.request_id);
    }
    return std::nullopt;
  };
}

}  // namespace salesboost::api
