#include "api/user_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "identity/password_hasher.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

json::object UserJson(const identity::User& user) {
  return json::object{{"id", user.id},
                      {"username", user.username},
                      {"display_name", user.display_name},
                      {"role", identity::RoleName(user.role)},
                      {"created_at", user.created_at}};
}

identity::Actor ActorOf(const identity::Principal& who, const HttpRequest& request) {
  return identity::Actor{.id = who.user_id, .remote = request.remote_address};
}

// The password in `key`, or a generated one (reported back) when absent.
struct PasswordChoice {
  std::string password;
  bool generated = false;
};

core::Result<PasswordChoice> ChoosePassword(const json::object& body, std::string_view key) {
  auto given = OptionalString(body, key, 1024);
  if (!given) return core::Fail(given.error());
  if (given->has_value()) return PasswordChoice{.password = **given, .generated = false};
  return PasswordChoice{.password = identity::GeneratePassword(), .generated = true};
}

}  // namespace

void AddUserRoutes(server::Router& router, identity::AuthService& auth) {
  router.Add(
      "GET", "/api/v1/users",
      Authenticated(auth, identity::Role::kAdmin,
                    [&auth](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      auto users = co_await auth.ListUsers(who.tenant_id);
                      if (!users) co_return ErrorReply(users.error(), request);
                      json::array list;
                      for (const auto& user : *users) list.emplace_back(UserJson(user));
                      co_return JsonResponse(200, json::object{{"users", std::move(list)}});
                    }));

  router.Add(
      "POST", "/api/v1/users",
      Authenticated(auth, identity::Role::kAdmin,
                    [&auth](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      auto body = ParseJsonObject(request);
                      if (!body) co_return ErrorReply(body.error(), request);
                      auto username = RequiredString(*body, "username", 64);
                      auto display_name = OptionalString(*body, "display_name", 128);
                      auto role_name = OptionalString(*body, "role", 16);
                      auto password = ChoosePassword(*body, "password");
                      for (const auto* error :
                           {username ? nullptr : &username.error(), display_name ? nullptr : &display_name.error(),
                            role_name ? nullptr : &role_name.error(), password ? nullptr : &password.error()}) {
                        if (error != nullptr) co_return ErrorReply(*error, request);
                      }
                      const auto role = identity::ParseRole(role_name->value_or("trainee"));
                      if (!role) {
                        co_return ErrorReply(
                            {core::ErrorCode::kInvalidArgument, "role must be \"trainee\" or \"admin\""}, request);
                      }
                      identity::NewUser user{.tenant_id = who.tenant_id,
                                             .username = *username,
                                             .display_name = display_name->value_or(""),
                                             .password_hash = {},
                                             .role = *role};
                      auto actor = ActorOf(who, request);
                      auto created = co_await auth.CreateUser(std::move(user), password->password, std::move(actor));
                      if (!created) co_return ErrorReply(created.error(), request);
                      auto reply = UserJson(*created);
                      if (password->generated) reply["password"] = password->password;
                      auto response = JsonResponse(201, reply);
                      response.headers.emplace_back("Location", "/api/v1/users/" + created->id);
                      co_return response;
                    }));

  router.Add(
      "POST", "/api/v1/users/{id}/password",
      Authenticated(auth, identity::Role::kAdmin,
                    [&auth](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      json::object empty;
                      auto body = request.body.empty() ? core::Result<json::object>(empty) : ParseJsonObject(request);
                      if (!body) co_return ErrorReply(body.error(), request);
                      auto password = ChoosePassword(*body, "password");
                      if (!password) co_return ErrorReply(password.error(), request);
                      auto actor = ActorOf(who, request);
                      auto changed = co_await auth.SetPassword(who.tenant_id, request.path_params.at("id"),
                                                               password->password, std::move(actor));
                      if (!changed) co_return ErrorReply(changed.error(), request);
                      auto reply = UserJson(*changed);
                      reply["tokens_revoked"] = true;
                      if (password->generated) reply["password"] = password->password;
                      co_return JsonResponse(200, reply);
                    }));

  router.Add(
      "DELETE", "/api/v1/users/{id}",
      Authenticated(
          auth, identity::Role::kAdmin,
          [&auth](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
            const std::string& id = request.path_params.at("id");
            if (id == who.user_id) {
              co_return ErrorReply({core::ErrorCode::kFailedPrecondition, "you cannot delete yourself"}, request);
            }
            auto actor = ActorOf(who, request);
            auto deleted = co_await auth.DeleteUser(who.tenant_id, id, std::move(actor));
            if (!deleted) co_return ErrorReply(deleted.error(), request);
            co_return HttpResponse{
                .status = 204, .content_type = "application/json", .body = {}, .headers = {}, .stream = {}};
          }));

  router.Add(
      "GET", "/api/v1/audit",
      Authenticated(auth, identity::Role::kAdmin,
                    [&auth](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
                      std::int64_t limit = 100;
                      if (auto text = request.QueryParam("limit")) {
                        const auto* end = text->data() + text->size();
                        auto [ptr, ec] = std::from_chars(text->data(), end, limit);
                        if (ec != std::errc() || ptr != end || limit < 1 || limit > 1000) {
                          co_return ErrorReply({core::ErrorCode::kInvalidArgument, "limit must be 1 to 1000"}, request);
                        }
                      }
                      std::string before(request.QueryParam("before").value_or(""));
                      auto entries = co_await auth.audit_log().List(who.tenant_id, limit, std::move(before));
                      if (!entries) co_return ErrorReply(entries.error(), request);
                      json::array list;
                      for (const auto& entry : *entries) {
                        list.emplace_back(json::object{{"id", entry.id},
                                                       {"at", entry.at},
                                                       {"actor", entry.event.actor},
                                                       {"action", entry.event.action},
                                                       {"target", entry.event.target},
                                                       {"outcome", entry.event.outcome},
                                                       {"remote", entry.event.remote},
                                                       {"detail", entry.event.detail}});
                      }
                      co_return JsonResponse(200, json::object{{"entries", std::move(list)}});
                    }));
}

}  // namespace salesboost::api
