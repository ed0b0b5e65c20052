// ApiClient: the SalesBoost REST API over blocking HTTP (client::Fetch), one
// request per connection: login (keeping the bearer token for later calls),
// JSON calls with the server's error envelope turned into one readable
// message, starting a practice session and reading a scenario's rubric. For the chat command, the tests
// and the load generator's one-off requests. Not thread-safe: one thread uses
// one client.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <string>

#include "client/blocking_client.hpp"
#include "client/session_protocol.hpp"
#include "core/result.hpp"

namespace salesboost::client {

class ApiClient {
 public:
  explicit ApiClient(Endpoint endpoint, std::string token = {}, milliseconds timeout = milliseconds(5000))
      : endpoint_(std::move(endpoint)), token_(std::move(token)), timeout_(timeout) {}

  const Endpoint& endpoint() const { return endpoint_; }
  // The bearer token sent with every request; empty sends none.
  const std::string& token() const { return token_; }

  // One request with the bearer token; any status.
  core::Result<HttpReply> Send(const std::string& method, const std::string& target, const std::string& body = {});
  // The JSON reply of a successful request. A status of 400 or more, or a
  // reply that is not JSON, is kUnavailable: "<method> <target>: <status> <message>".
  core::Result<boost::json::value> Call(const std::string& method, const std::string& target,
                                        const std::string& body = {});

  // Logs in and keeps the token.
  core::Result<void> Login(const std::string& username, const std::string& password);
  // Starts a session (201); its id.
  core::Result<std::string> StartSession(const StartSessionRequest& request);
  // A scenario's rubric as the trainee reads it in `language` ("zh" or "en"):
  // {"criteria": [{"id", "title", "weight", "skill", "good", "fair", "poor"}], "blocker_cap", "pressure_cap"}.
  core::Result<boost::json::object> ScenarioRubric(const std::string& scenario_id, const std::string& language);

 private:
  core::Result<void> Refused(const std::string& method, const std::string& target, const HttpReply& reply) const;

  Endpoint endpoint_;
  std::string token_;
  milliseconds timeout_;
};

}  // namespace salesboost::client
