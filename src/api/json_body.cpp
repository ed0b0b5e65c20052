#include "api/json_body.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/utf8.hpp"

namespace salesboost::api {
namespace {

std::size_t CodePoints(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

core::Result<boost::json::object> ParseJsonObject(const server::HttpRequest& request) {
  if (!core::IsValidUtf8(request.body)) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "request body is not valid UTF-8");
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec);
  if (ec) return core::Fail(core::ErrorCode::kInvalidArgument, "request body is not valid JSON: " + ec.message());
  if (!value.is_object()) return core::Fail(core::ErrorCode::kInvalidArgument, "request body must be a JSON object");
  return std::move(value.as_object());
}

core::Result<std::optional<std::string>> OptionalString(const boost::json::object& body, std::string_view key,
                                                        std::size_t max_chars) {
  const auto* field = body.if_contains(key);
  if (field == nullptr || field->is_null()) return std::optional<std::string>();
  if (!field->is_string()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("\"{}\" must be a string", key));
  }
  const std::string_view text = field->get_string();
  const std::size_t chars = CodePoints(text);
  if (chars == 0 || chars > max_chars) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      fmt::format("\"{}\" must be 1 to {} characters", key, max_chars));
  }
  return std::optional<std::string>(std::string(text));
}

core::Result<std::string> RequiredString(const boost::json::object& body, std::string_view key, std::size_t max_chars) {
  auto value = OptionalString(body, key, max_chars);
  if (!value) return core::Fail(value.error());
  if (!*value) return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("\"{}\" is required", key));
  return std::move(**value);
}

server::HttpResponse JsonResponse(int status, const boost::json::value& body) {
  return server::HttpResponse::Json(status, boost::json::serialize(body));
}

server::HttpResponse ErrorReply(const core::Error& error, const server::HttpRequest& request) {
  return server::ErrorResponse(error, request.request_id);
}

server::HttpResponse ErrorReply(const core::Error& error, const std::vector<std::string>& details,
                                const server::HttpRequest& request) {
  boost::json::array lines;
  for (const auto& line : details) lines.emplace_back(line);
  return JsonResponse(server::HttpStatusFor(error.code),
                      boost::json::object{{"error", boost::json::object{{"code", core::ErrorCodeName(error.code)},
                                                                        {"message", server::ClientMessage(error)},
                                                                        {"request_id", request.request_id},
                                                                        {"details", std::move(lines)}}}});
}

}  // namespace salesboost::api
