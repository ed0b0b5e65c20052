#include "server/http_message.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace salesboost::server {
namespace {

TEST(ErrorEnvelope, CarriesCodeMessageAndRequestId) {
  const auto response = ErrorResponse(core::Error{core::ErrorCode::kNotFound, "no such session"}, "req-1");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  const auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code").as_string(), "not_found");
  EXPECT_EQ(body.at("error").at("message").as_string(), "no such session");
  EXPECT_EQ(body.at("error").at("request_id").as_string(), "req-1");
}

TEST(ErrorEnvelope, InternalDetailsNeverReachTheClient) {
  const auto response = ErrorResponse(core::Error{core::ErrorCode::kInternal, "sqlite step: disk I/O error"}, "r");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  EXPECT_NE(response.body.find("internal error"), std::string::npos);
}

TEST(ErrorEnvelope, EveryCodeMapsToAnHttpStatus) {
  using core::ErrorCode;
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kDeadlineExceeded), 504);
}

TEST(HttpRequest, HeaderLookupReturnsTheFirstValue) {
  HttpRequest request;
  request.headers = {{"x-request-id", "a"}, {"x-request-id", "b"}};
  EXPECT_EQ(request.Header("x-request-id"), "a");
  EXPECT_FALSE(request.Header("authorization").has_value());
}

}  // namespace
}  // namespace salesboost::server
