#include "api/auth_routes.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "core/clock.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

json::object UserJson(const identity::Principal& principal, std::string_view display_name) {
  return json::object{{"id", principal.user_id},
                      {"tenant_id", principal.tenant_id},
                      {"username", principal.username},
                      {"display_name", display_name},
                      {"role", identity::RoleName(principal.role)}};
}

}  // namespace

HttpResponse Unauthenticated(const core::Error& error, const HttpRequest& request) {
  auto response = server::ErrorResponse(error, request.request_id);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

HttpResponse RateLimited(const core::RateDecision& decision, std::string_view message, const HttpRequest& request) {
  auto response = server::ErrorResponse(429, "rate_limited", message, request.request_id);
  const auto seconds = (decision.retry_after.count() + 999) / 1000;
  response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, seconds)));
  return response;
}

void AddAuthRoutes(server::Router& router, identity::AuthService& auth, core::RateLimiter& login_limiter) {
  router.Add("POST", "/api/v1/auth/login",
             [&auth, &login_limiter](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
               auto decision = co_await login_limiter.Acquire(request.remote_address);
               if (!decision) co_return server::ErrorResponse(decision.error(), request.request_id);
               if (!decision->allowed) {
                 co_return RateLimited(*decision, "too many login attempts; retry later", request);
               }
               auto body = ParseJsonObject(request);
               if (!body) co_return server::ErrorResponse(body.error(), request.request_id);
               auto username = RequiredString(*body, "username", 64);
               auto password = RequiredString(*body, "password", 1024);
               auto tenant = OptionalString(*body, "tenant_id", 64);
               for (const auto* error : {username ? nullptr : &username.error(), password ? nullptr : &password.error(),
                                         tenant ? nullptr : &tenant.error()}) {
                 if (error != nullptr) co_return server::ErrorResponse(*error, request.request_id);
               }
               identity::LoginRequest attempt{.tenant_id = tenant->value_or("default"),
                                              .username = *username,
                                              .password = *password,
                                              .remote = request.remote_address};
               auto login = co_await auth.Login(std::move(attempt));
               if (!login) {
                 const auto& failure = login.error();
                 if (failure.error.code == core::ErrorCode::kUnauthenticated) {
                   co_return Unauthenticated(failure.error, request);
                 }
                 auto response = server::ErrorResponse(failure.error, request.request_id);
                 if (failure.retry_after.count() > 0) {
                   response.headers.emplace_back("Retry-After", std::to_string(failure.retry_after.count()));
                 }
                 co_return response;
               }
               co_return JsonResponse(200, json::object{{"token", login->token.token},
                                                        {"token_type", "Bearer"},
                                                        {"expires_at", core::IsoSeconds(login->token.expires_at)},
                                                        {"user", UserJson(login->principal, login->display_name)}});
             });

  router.Add(
      "GET", "/api/v1/auth/me",
      Authenticated(auth, [](HttpRequest, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
        co_return JsonResponse(200, UserJson(principal, principal.username));
      }));

  // The caller's own password: the current one proves it is them; every token issued before stops working.
  router.Add(
      "POST", "/api/v1/auth/password",
      Authenticated(auth,
                    [&auth, &login_limiter](HttpRequest request,
                                            identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      auto decision = co_await login_limiter.Acquire(request.remote_address);
                      if (!decision) co_return server::ErrorResponse(decision.error(), request.request_id);
                      if (!decision->allowed) {
                        co_return RateLimited(*decision, "too many password attempts; retry later", request);
                      }
                      auto body = ParseJsonObject(request);
                      if (!body) co_return ErrorReply(body.error(), request);
                      auto current = RequiredString(*body, "current_password", 1024);
                      auto next = RequiredString(*body, "new_password", 1024);
                      if (!current) co_return ErrorReply(current.error(), request);
                      if (!next) co_return ErrorReply(next.error(), request);
                      identity::LoginRequest attempt{.tenant_id = who.tenant_id,
                                                     .username = who.username,
                                                     .password = *current,
                                                     .remote = request.remote_address};
                      auto proven = co_await auth.Login(std::move(attempt));
                      if (!proven) {
                        if (proven.error().error.code == core::ErrorCode::kUnauthenticated) {
                          co_return server::ErrorResponse(
                              core::Error{core::ErrorCode::kPermissionDenied, "the current password is wrong"},
                              request.request_id);
                        }
                        co_return server::ErrorResponse(proven.error().error, request.request_id);
                      }
                      identity::Actor actor{.id = who.user_id, .remote = request.remote_address};
                      auto changed = co_await auth.SetPassword(who.tenant_id, who.user_id, *next, std::move(actor));
                      if (!changed) co_return ErrorReply(changed.error(), request);
                      co_return JsonResponse(200, json::object{{"password_changed", true}, {"tokens_revoked", true}});
                    }));
}

}  // namespace salesboost::api
