// Reading JSON request bodies: one place for the checks every REST handler
// needs (valid UTF-8, an object, typed fields with bounds) and their errors.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "server/http_message.hpp"

namespace salesboost::api {

// The body as a JSON object; kInvalidArgument with a client-safe message otherwise.
core::Result<boost::json::object> ParseJsonObject(const server::HttpRequest& request);

// A string field of 1..max_chars characters (UTF-8 code points).
core::Result<std::string> RequiredString(const boost::json::object& body, std::string_view key, std::size_t max_chars);
// Like RequiredString, but absent is fine.
core::Result<std::optional<std::string>> OptionalString(const boost::json::object& body, std::string_view key,
                                                        std::size_t max_chars);

server::HttpResponse JsonResponse(int status, const boost::json::value& body);

// The JSON error envelope for `error`, carrying the request's id.
server::HttpResponse ErrorReply(const core::Error& error, const server::HttpRequest& request);
// The same envelope with "details": one line per problem (client-safe text),
// for bodies with several problems, each named by its JSON path.
server::HttpResponse ErrorReply(const core::Error& error, const std::vector<std::string>& details,
                                const server::HttpRequest& request);

}  // namespace salesboost::api
