// A REST handler's JSON request body: api::ParseJsonObject, then the typed
// field readers and the error envelope with details, as handlers use them.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "api/json_body.hpp"
#include "core/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  salesboost::server::HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/sessions";
  request.request_id = "fuzz";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  auto body = salesboost::api::ParseJsonObject(request);
  if (!body) {
    const auto reply = salesboost::api::ErrorReply(body.error(), request);
    SB_CHECK(reply.status == 400);
    return 0;
  }
  std::vector<std::string> problems;
  for (const char* key : {"scenario_id", "persona_id", "text", "query", "username", "password"}) {
    auto required = salesboost::api::RequiredString(*body, key, 64);
    if (!required) {
      problems.push_back(required.error().message);
    } else {
      SB_CHECK(!required->empty());
    }
    auto optional = salesboost::api::OptionalString(*body, key, 4000);
    if (optional && *optional) SB_CHECK(!(*optional)->empty());
  }
  const auto reply = salesboost::api::ErrorReply(
      salesboost::core::Error{salesboost::core::ErrorCode::kInvalidArgument, "invalid body"}, problems, request);
  SB_CHECK(reply.status == 400 && !reply.body.empty());
  return 0;
}
