// Authentication endpoints and the responses other routes share (401, 429).
//   POST /api/v1/auth/login   {"username","password","tenant_id"?} -> token
//   GET  /api/v1/auth/me      the caller's identity
//   POST /api/v1/auth/password {"current_password","new_password"}: the caller's
//        own password; every token issued before stops working
#pragma once

#include "core/rate_limiter.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

// `login_limiter` is keyed by the client's address: repeated attempts get 429
// with Retry-After before any password is checked. A locked account gets 429
// with Retry-After too; too many password checks at once get 503.
void AddAuthRoutes(server::Router& router, identity::AuthService& auth, core::RateLimiter& login_limiter);

// The 401 for a failed login or bearer check (with WWW-Authenticate).
server::HttpResponse Unauthenticated(const core::Error& error, const server::HttpRequest& request);

// The 429 for a refused RateLimiter::Acquire, with Retry-After in whole seconds (at least 1).
server::HttpResponse RateLimited(const core::RateDecision& decision, std::string_view message,
                                 const server::HttpRequest& request);

}  // namespace salesboost::api
