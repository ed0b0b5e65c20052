#include "server/internal/request_reader.hpp"

#include <gtest/gtest.h>

namespace salesboost::server::internal {
namespace {

Router Routes() {
  Router router;
  router.Add("GET", "/api/v1/items/{id}",
             [](HttpRequest) -> boost::asio::awaitable<HttpResponse> { co_return HttpResponse{}; });
  router.Add(
      "POST", "/upload", [](HttpRequest) -> boost::asio::awaitable<HttpResponse> { co_return HttpResponse{}; }, 64);
  return router;
}

ServerOptions SmallLimits() {
  ServerOptions options;
  options.body_limit_bytes = 8;
  options.header_limit_bytes = 256;
  return options;
}

TEST(ParseRequest, ReadsMethodPathQueryHeadersAndBody) {
  const auto request =
      ParseRequest("POST /upload?x=%41 HTTP/1.1\r\nHost: h\r\nX-Request-Id: r1\r\nContent-Length: 5\r\n\r\nhello",
                   SmallLimits(), Routes(), "10.0.0.1");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->method, "POST");
  EXPECT_EQ(request->path, "/upload");
  EXPECT_EQ(request->QueryParam("x"), "A");
  EXPECT_EQ(request->Header("x-request-id"), "r1");
  EXPECT_EQ(request->body, "hello");
  EXPECT_EQ(request->remote_address, "10.0.0.1");
}

TEST(ParseRequest, ChunkedBodiesAreJoinedAndPipelinedBytesLeftAlone) {
  const auto request = ParseRequest(
      "POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET / "
      "HTTP/1.1\r\n\r\n",
      SmallLimits(), Routes(), "");
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->body, "abcde");
}

TEST(ParseRequest, TheRouteSetsTheBodyLimit) {
  const std::string body(20, 'x');
  const std::string head = "Content-Length: 20\r\n\r\n" + body;
  EXPECT_TRUE(ParseRequest("POST /upload HTTP/1.1\r\n" + head, SmallLimits(), Routes(), ""));
  const auto refused = ParseRequest("POST /api/v1/items/1 HTTP/1.1\r\n" + head, SmallLimits(), Routes(), "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kResourceExhausted);
}

TEST(ParseRequest, OversizedHeadersAreResourceExhaustedAndGarbageInvalid) {
  const auto large =
      ParseRequest("GET / HTTP/1.1\r\nX: " + std::string(300, 'a') + "\r\n\r\n", SmallLimits(), Routes(), "");
  ASSERT_FALSE(large);
  EXPECT_EQ(large.error().code, core::ErrorCode::kResourceExhausted);
  for (const std::string_view bad : {"", "GET / HTTP/1.1\r\n", "NOT HTTP\r\n\r\n",
                                     "GET / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", "GET nopath HTTP/1.1\r\n\r\n"}) {
    const auto request = ParseRequest(bad, SmallLimits(), Routes(), "");
    ASSERT_FALSE(request) << bad;
    EXPECT_EQ(request.error().code, core::ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace salesboost::server::internal
