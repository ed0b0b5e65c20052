#include "server/http_message.hpp"

#include <boost/url/params_view.hpp>

#include "core/utf8.hpp"

namespace salesboost::server {

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::QueryParam(std::string_view name) const {
  const boost::urls::params_view params(query);  // query was validated when the target was parsed
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  return HttpResponse{
      .status = status, .content_type = "application/json", .body = std::move(body), .headers = {}, .stream = {}};
}

HttpResponse HttpResponse::Text(int status, std::string content_type, std::string body) {
  return HttpResponse{
      .status = status, .content_type = std::move(content_type), .body = std::move(body), .headers = {}, .stream = {}};
}

int HttpStatusFor(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
  }
  return 500;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message, std::string_view request_id) {
  std::string body = "{\"error\":{\"code\":";
  core::AppendJsonString(body, code);
  body.append(",\"message\":");
  core::AppendJsonString(body, message);
  body.append(",\"request_id\":");
  core::AppendJsonString(body, request_id);
  body.append("}}");
  return HttpResponse::Json(status, std::move(body));
}

std::string_view ClientMessage(const core::Error& error) {
  return error.code == core::ErrorCode::kInternal ? std::string_view("internal error")
                                                  : std::string_view(error.message);
}

HttpResponse ErrorResponse(const core::Error& error, std::string_view request_id) {
  return ErrorResponse(HttpStatusFor(error.code), core::ErrorCodeName(error.code), ClientMessage(error), request_id);
}

}  // namespace salesboost::server
