#include "server/router.hpp"

#include <gtest/gtest.h>

namespace salesboost::server {
namespace {

Handler Respond(int status) {
  return [status](HttpRequest) -> boost::asio::awaitable<HttpResponse> { co_return HttpResponse::Json(status, ""); };
}

TEST(Router, MatchesLiteralAndCapturedSegments) {
  Router router;
  router.Add("GET", "/api/v1/sessions", Respond(200));
  router.Add("GET", "/api/v1/sessions/{id}", Respond(201));
  auto found = router.Find("GET", "/api/v1/sessions/s-42");
  auto* match = std::get_if<Router::Match>(&found);
  ASSERT_NE(match, nullptr);
  EXPECT_EQ(match->route, "/api/v1/sessions/{id}");
  EXPECT_EQ(match->params.at("id"), "s-42");
  auto list = router.Find("GET", "/api/v1/sessions");
  ASSERT_NE(std::get_if<Router::Match>(&list), nullptr);
  EXPECT_EQ(std::get<Router::Match>(list).route, "/api/v1/sessions");
}

TEST(Router, ListsItsRoutesInTheOrderAdded) {
  Router router;
  EXPECT_TRUE(router.Routes().empty());
  router.Add("GET", "/api/v1/sessions/{id}", Respond(200));
  router.Add("DELETE", "/api/v1/sessions/{id}", Respond(204));
  router.Add("POST", "/api/v1/sessions", Respond(201));
  const auto routes = router.Routes();
  ASSERT_EQ(routes.size(), 3U);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/sessions/{id}");
  EXPECT_EQ(routes[1].method, "DELETE");
  EXPECT_EQ(routes[1].pattern, "/api/v1/sessions/{id}");
  EXPECT_EQ(routes[2].method, "POST");
  EXPECT_EQ(routes[2].pattern, "/api/v1/sessions");
}

TEST(Router, UnknownPathIsNotFoundAndEmptyCaptureDoesNotMatch) {
  Router router;
  router.Add("GET", "/api/v1/sessions/{id}", Respond(200));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(router.Find("GET", "/api/v1/other")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(router.Find("GET", "/api/v1/sessions/")));
  EXPECT_TRUE(std::holds_alternative<Router::NotFound>(router.Find("GET", "relative")));
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  Router router;
  router.Add("GET", "/things", Respond(200));
  router.Add("POST", "/things", Respond(201));
  auto found = router.Find("DELETE", "/things");
  auto* not_allowed = std::get_if<Router::MethodNotAllowed>(&found);
  ASSERT_NE(not_allowed, nullptr);
  EXPECT_EQ(not_allowed->allowed, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, ARouteMayAllowLargerBodies) {
  Router router;
  router.Add("GET", "/api/v1/items", Respond(200));
  EXPECT_EQ(router.LargestBodyLimit(), 0);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/items/x", 1024), 1024);
  router.Add("POST", "/api/v1/items/{id}", Respond(202), 1 << 20);
  EXPECT_EQ(router.LargestBodyLimit(), 1 << 20);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/items/x?y=1", 1024), 1 << 20);
  EXPECT_EQ(router.BodyLimit("GET", "/api/v1/items", 1024), 1024);
  EXPECT_EQ(router.BodyLimit("POST", "/elsewhere", 1024), 1024);
}

}  // namespace
}  // namespace salesboost::server
