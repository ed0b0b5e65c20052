// ParseRequest: one HTTP/1.1 request read from bytes already received, the way
// a connection reads it (http_server.cpp shares the steps): the header limit
// and the largest body limit until the route is known, then the route's body
// limit (a Content-Length over it is refused before the body is read), then
// the conversion to HttpRequest. Bytes after the request (a pipelined next
// one) are left alone. For tests and fuzzing; Beast-free. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "server/http_message.hpp"
#include "server/router.hpp"
#include "server/server_options.hpp"

namespace salesboost::server::internal {

// kResourceExhausted: headers over the limit (the server answers 431) or a
// body over the route's limit (413); kInvalidArgument: malformed or
// incomplete (400).
core::Result<HttpRequest> ParseRequest(std::string_view bytes, const ServerOptions& options, const Router& router,
                                       std::string remote_address);

}  // namespace salesboost::server::internal
