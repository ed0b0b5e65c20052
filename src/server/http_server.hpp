// HttpServer: HTTP/1.1 and WebSocket on Boost.Beast with C++20 coroutines.
//
// Each connection runs on one io_context of the pool (one thread each). Requests
// get a request id, body/header limits and timeouts, a JSON access-log line
// and metrics; handler errors become the JSON error envelope. Upgrades on
// /ws go to the WebSocketEndpoint. Shutdown is two-phase: BeginShutdown stops
// accepting and lets in-flight work finish; CloseAll ends what remains.
// Public methods are thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "core/id_generator.hpp"
#include "core/io_context_pool.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "server/router.hpp"
#include "server/server_options.hpp"
#include "server/websocket_endpoint.hpp"

namespace salesboost::server {

struct HttpServerDeps {
  Router& router;
  WebSocketEndpoint* websocket = nullptr;  // nullptr: /ws answers 404
  core::MetricsRegistry& metrics;
  core::Logger logger;
  core::IdGenerator& ids;
  bool access_log = true;
};

class HttpServer {
 public:
  // Listens on the pool's first context; each connection lives on one context, chosen round-robin.
  HttpServer(core::IoContextPool& pool, ServerOptions options, HttpServerDeps deps);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts accepting; returns the bound port.
  core::Result<std::uint16_t> Start();
  // Stops accepting, closes idle keep-alive connections, asks WebSockets to
  // close with 1001; requests in flight finish and then close.
  void BeginShutdown();
  bool IsDraining() const;
  // HTTP and WebSocket connections still open.
  std::size_t OpenConnections() const;
  // Ends every remaining connection at once.
  void CloseAll();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace salesboost::server
