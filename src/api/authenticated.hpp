// Authenticated: the one bearer-token guard for REST handlers. It wraps a
// handler that needs a signed-in caller into a router handler: the caller's
// principal comes from "Authorization: Bearer <token>"; without a valid,
// unrevoked token the request gets 401 with WWW-Authenticate: Bearer, and
// without the required role 403 "administrators only"; the wrapped handler
// runs only when both pass. Every change through an administrators-only route
// (any method but GET) goes to the audit log with its status.
// The returned handler is as thread-safe as the wrapped one; `auth` must
// outlive the router.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>

#include "identity/auth_service.hpp"
#include "identity/principal.hpp"
#include "server/router.hpp"

namespace salesboost::api {

// A handler for an authenticated request; the principal is the verified caller.
using PrincipalHandler =
    std::function<boost::asio::awaitable<server::HttpResponse>(server::HttpRequest, identity::Principal)>;

// Any signed-in user.
server::Handler Authenticated(identity::AuthService& auth, PrincipalHandler handler);

// A signed-in user holding `role`: kAdmin admits administrators only, kTrainee any user.
server::Handler Authenticated(identity::AuthService& auth, identity::Role role, PrincipalHandler handler);

// The same check on a request's headers, before its body is read (signature,
// expiry and role; revocation is checked by Authenticated afterwards): for
// routes taking large bodies, so that no anonymous client makes the server
// buffer one.
server::HeaderCheck BearerBeforeBody(const identity::AuthService& auth, identity::Role role);

}  // namespace salesboost::api
