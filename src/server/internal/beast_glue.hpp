// Conversions between Beast messages and the server's plain types, and the
// WebSocket session entry point. Included only by the two Beast translation
// units (http_server.cpp, websocket_session.cpp).
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>

#include "server/http_message.hpp"
#include "server/internal/server_context.hpp"

namespace salesboost::server::internal {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

BeastResponse ToBeast(const HttpResponse& response, unsigned version, bool keep_alive, std::string_view request_id);

// Takes over an upgraded connection: asks the endpoint, completes the
// handshake and runs the session on the stream's executor until it closes.
// Returns at once.
// `ticket` is the connection's place in the quota, held until the socket closes.
void StartWebSocket(std::shared_ptr<ServerContext> ctx, boost::beast::tcp_stream stream, BeastRequest upgrade,
                    HttpRequest request, std::chrono::steady_clock::time_point start, ConnectionQuota::Ticket ticket);

}  // namespace salesboost::server::internal
