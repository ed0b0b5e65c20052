// The REST guard: a missing or bad token gets the 401 with WWW-Authenticate, a
// trainee at an administrators' route the 403, and the wrapped handler sees the
// verified principal.
#include "api/authenticated.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "support/server_process.hpp"

namespace salesboost::api {
namespace {

using server::HttpRequest;
using server::HttpResponse;

class AuthenticatedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = infra::SqliteStore::Open(dir_.path() / "a.db", {}, pool_);
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    users_ = std::make_unique<identity::UserRepository>(*store_, *ids_, clock_);
    auth_ = std::make_unique<identity::AuthService>(*users_, hasher_, tokens_, pool_);
  }

  HttpRequest Request(std::string authorization) {
    HttpRequest request;
    request.method = "GET";
    request.path = "/x";
    request.request_id = "r-1";
    if (!authorization.empty()) request.headers.emplace_back("authorization", std::move(authorization));
    return request;
  }

  std::string Bearer(identity::Role role) {
    return "Bearer " + tokens_.Issue({.user_id = "u1", .tenant_id = "t1", .username = "ann", .role = role}).token;
  }

  // Echoes the principal's user and tenant.
  static PrincipalHandler Echo() {
    return [](HttpRequest, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
      co_return HttpResponse::Json(200, who.user_id + "@" + who.tenant_id);
    };
  }

  salesboost::testing::TempDir dir_;
  core::BlockingPool pool_{1};
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<core::IdGenerator> ids_ = core::MakeRandomIdGenerator();
  identity::PasswordHasher hasher_{{.memory_kib = 64, .iterations = 1}};
  identity::TokenService tokens_{std::string(32, 'k'), std::chrono::seconds(600), clock_};
  std::unique_ptr<infra::SqliteStore> store_;
  std::unique_ptr<identity::UserRepository> users_;
  std::unique_ptr<identity::AuthService> auth_;
};

TEST_F(AuthenticatedTest, MissingOrBadTokenGets401WithWwwAuthenticate) {
  auto handler = Authenticated(*auth_, Echo());
  for (const std::string& credentials : {std::string(), std::string("Bearer nonsense")}) {
    const auto response = core::RunSync(handler(Request(credentials)));
    EXPECT_EQ(response.status, 401);
    EXPECT_NE(response.body.find("\"code\":\"unauthenticated\""), std::string::npos) << response.body;
    EXPECT_NE(response.body.find("\"request_id\":\"r-1\""), std::string::npos) << response.body;
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"WWW-Authenticate", "Bearer"}));
  }
}

TEST_F(AuthenticatedTest, HandlerSeesTheVerifiedPrincipal) {
  auto handler = Authenticated(*auth_, Echo());
  const auto response = core::RunSync(handler(Request(Bearer(identity::Role::kTrainee))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "u1@t1");
}

TEST_F(AuthenticatedTest, AdminRouteRefusesTraineesWith403AndAdmitsAdmins) {
  auto handler = Authenticated(*auth_, identity::Role::kAdmin, Echo());
  const auto trainee = core::RunSync(handler(Request(Bearer(identity::Role::kTrainee))));
  EXPECT_EQ(trainee.status, 403);
  EXPECT_NE(trainee.body.find("administrators only"), std::string::npos) << trainee.body;
  EXPECT_TRUE(trainee.headers.empty());
  const auto admin = core::RunSync(handler(Request(Bearer(identity::Role::kAdmin))));
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(admin.body, "u1@t1");
}

}  // namespace
}  // namespace salesboost::api
