// The REST guard: a missing, bad or revoked token gets the 401 with
// WWW-Authenticate, a trainee at an administrators' route the 403, the wrapped
// handler sees the verified principal, and administrators' changes are audited.
#include "api/authenticated.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/run_sync.hpp"
#include "support/identity_fixture.hpp"

namespace salesboost::api {
namespace {

using server::HttpRequest;
using server::HttpResponse;

class AuthenticatedTest : public salesboost::testing::IdentityFixture {
 protected:
  void SetUp() override {
    IdentityFixture::SetUp();
    ann_ = CreateUser("ann");
    boss_ = CreateUser("boss", identity::Role::kAdmin);
  }

  HttpRequest Request(std::string authorization, std::string method = "GET") {
    HttpRequest request;
    request.method = std::move(method);
    request.path = "/x";
    request.request_id = "r-1";
    request.remote_address = "10.0.0.9";
    if (!authorization.empty()) request.headers.emplace_back("authorization", std::move(authorization));
    return request;
  }

  // Echoes the principal's username and tenant.
  static PrincipalHandler Echo() {
    return [](HttpRequest, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
      co_return HttpResponse::Json(200, who.username + "@" + who.tenant_id);
    };
  }

  identity::User ann_;
  identity::User boss_;
};

TEST_F(AuthenticatedTest, MissingOrBadTokenGets401WithWwwAuthenticate) {
  auto handler = Authenticated(auth(), Echo());
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
  auto handler = Authenticated(auth(), Echo());
  const auto response = core::RunSync(handler(Request(Bearer(ann_))));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ann@default");
}

TEST_F(AuthenticatedTest, AdminRouteRefusesTraineesWith403AndAdmitsAdmins) {
  auto handler = Authenticated(auth(), identity::Role::kAdmin, Echo());
  const auto trainee = core::RunSync(handler(Request(Bearer(ann_))));
  EXPECT_EQ(trainee.status, 403);
  EXPECT_NE(trainee.body.find("administrators only"), std::string::npos) << trainee.body;
  EXPECT_TRUE(trainee.headers.empty());
  const auto admin = core::RunSync(handler(Request(Bearer(boss_))));
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(admin.body, "boss@default");
}

TEST_F(AuthenticatedTest, TokensOfADeletedUserOrAnOldPasswordAre401) {
  auto handler = Authenticated(auth(), Echo());
  const auto before_change = Bearer(ann_);
  ASSERT_TRUE(core::RunSync(auth().SetPassword("default", ann_.id, "a new and long passphrase", {})));
  EXPECT_EQ(core::RunSync(handler(Request(before_change))).status, 401);
  auto fresh = Login("ann", "a new and long passphrase");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(core::RunSync(handler(Request("Bearer " + fresh->token.token))).status, 200);

  ASSERT_TRUE(core::RunSync(auth().DeleteUser("default", ann_.id, {})));
  const auto after_delete = core::RunSync(handler(Request("Bearer " + fresh->token.token)));
  EXPECT_EQ(after_delete.status, 401);
  EXPECT_NE(after_delete.body.find("token revoked"), std::string::npos) << after_delete.body;
}

TEST_F(AuthenticatedTest, AdministratorsChangesAreAudited) {
  auto handler = Authenticated(auth(), identity::Role::kAdmin, Echo());
  EXPECT_EQ(core::RunSync(handler(Request(Bearer(boss_), "DELETE"))).status, 200);
  EXPECT_EQ(core::RunSync(handler(Request(Bearer(boss_), "GET"))).status, 200);  // reads are not
  auto entries = core::RunSync(auth().audit_log().List("default", 10));
  ASSERT_TRUE(entries);
  std::vector<std::string> actions;
  for (const auto& entry : *entries) actions.push_back(entry.event.action + " " + entry.event.outcome);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "DELETE /x 200"), actions.end());
  EXPECT_EQ(std::count_if(actions.begin(), actions.end(), [](const std::string& a) { return a.starts_with("GET"); }),
            0);
}

TEST_F(AuthenticatedTest, BearerBeforeBodyChecksTheHeadersOnly) {
  const auto check = BearerBeforeBody(auth(), identity::Role::kAdmin);
  const auto anonymous = check(Request(""));
  ASSERT_TRUE(anonymous.has_value());
  EXPECT_EQ(anonymous->status, 401);
  const auto trainee = check(Request(Bearer(ann_)));
  ASSERT_TRUE(trainee.has_value());
  EXPECT_EQ(trainee->status, 403);
  EXPECT_FALSE(check(Request(Bearer(boss_))).has_value());
}

}  // namespace
}  // namespace salesboost::api
