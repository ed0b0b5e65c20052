#include "client/api_client.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>

namespace salesboost::client {

namespace json = boost::json;

core::Result<HttpReply> ApiClient::Send(const std::string& method, const std::string& target, const std::string& body) {
  Headers headers;
  if (!token_.empty()) headers.emplace_back("Authorization", fmt::format("Bearer {}", token_));
  return Fetch(endpoint_, method, target, body, headers, timeout_);
}

core::Result<void> ApiClient::Refused(const std::string& method, const std::string& target,
                                      const HttpReply& reply) const {
  return core::Fail(core::ErrorCode::kUnavailable,
                    fmt::format("{} {}: {} {}", method, target, reply.status, ErrorMessage(reply.body)));
}

core::Result<json::value> ApiClient::Call(const std::string& method, const std::string& target,
                                          const std::string& body) {
  auto reply = Send(method, target, body);
  if (!reply) return core::Fail(reply.error());
  boost::system::error_code ec;
  auto parsed = json::parse(reply->body, ec);
  if (reply->status >= 400 || ec) return core::Fail(Refused(method, target, *reply).error());
  return parsed;
}

core::Result<void> ApiClient::Login(const std::string& username, const std::string& password) {
  auto reply = Call("POST", "/api/v1/auth/login", LoginBody(username, password));
  if (!reply) return core::Fail(reply.error());
  const auto* object = reply->if_object();
  const auto* token = object != nullptr ? object->if_contains("token") : nullptr;
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return core::Fail(core::ErrorCode::kInternal, "the login reply has no token");
  }
  token_ = std::string(token->get_string());
  return core::Ok();
}

core::Result<std::string> ApiClient::StartSession(const StartSessionRequest& request) {
  const std::string target = "/api/v1/sessions";
  auto reply = Send("POST", target, StartSessionBody(request));
  if (!reply) return core::Fail(reply.error());
  if (reply->status != 201) return core::Fail(Refused("POST", target, *reply).error());
  return SessionIdFromReply(reply->body);
}

core::Result<boost::json::object> ApiClient::ScenarioRubric(const std::string& scenario_id,
                                                            const std::string& language) {
  auto rubric = Call("GET", "/api/v1/scenarios/" + scenario_id + "/rubric?language=" + language);
  if (!rubric) return core::Fail(rubric.error());
  if (!rubric->is_object() || !rubric->as_object().contains("criteria")) {
    return core::Fail(core::ErrorCode::kUnavailable, "the server sent a rubric without criteria");
  }
  return std::move(rubric->as_object());
}

}  // namespace salesboost::client
