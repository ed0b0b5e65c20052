#include "api/authenticated.hpp"

#include <utility>

#include "api/auth_routes.hpp"

namespace salesboost::api {

using server::HttpRequest;
using server::HttpResponse;

server::Handler Authenticated(const identity::AuthService& auth, PrincipalHandler handler) {
  return Authenticated(auth, identity::Role::kTrainee, std::move(handler));
}

server::Handler Authenticated(const identity::AuthService& auth, identity::Role role, PrincipalHandler handler) {
  return [&auth, role, handler = std::move(handler)](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    auto principal = auth.Authenticate(request.Header("authorization").value_or(""));
    if (!principal) co_return Unauthenticated(principal.error(), request);
    if (role == identity::Role::kAdmin && !principal->IsAdmin()) {
      co_return server::ErrorResponse(core::Error{core::ErrorCode::kPermissionDenied, "administrators only"},
                                      request.request_id);
    }
    // Named before awaiting: g++ 12 mishandles non-trivial temporaries inside co_await.
    auto reply = handler(std::move(request), std::move(*principal));
    co_return co_await std::move(reply);
  };
}

}  // namespace salesboost::api
