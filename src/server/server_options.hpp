// Options of the HTTP/WebSocket server. Durations are in milliseconds, sizes in bytes.
#pragma once

#include <cstdint>
#include <string>

namespace salesboost::server {

struct WebSocketOptions {
  std::int64_t max_message_bytes = std::int64_t{64} * 1024;  // larger client messages close the socket with 1009
  std::int64_t ping_interval_ms = 20'000;                    // keep-alive ping after this long without traffic;
                                                             // a peer silent for two intervals is dropped
  std::int64_t idle_timeout_ms = 600'000;                    // no client message for this long closes with 4000
  std::int64_t write_queue_max_messages = 256;               // outgoing queue bound per socket; beyond it the
  std::int64_t write_queue_max_bytes = 1 << 20;              // client is too slow and is closed with 4001
  std::int64_t socket_send_buffer_bytes = 0;                 // SO_SNDBUF per socket; 0 keeps the kernel default
};

struct ServerOptions {
  std::string host = "127.0.0.1";                             // address to listen on
  std::int64_t port = 8000;                                   // 0 picks a free port
  std::int64_t io_threads = 0;                                // 0 means one per CPU core
  std::int64_t body_limit_bytes = 1 << 20;                    // larger request bodies get 413
  std::int64_t header_limit_bytes = std::int64_t{16} * 1024;  // larger request headers get 431
  std::int64_t header_timeout_ms = 10'000;                    // time to receive a request's headers,
                                                              // for a new connection counted from accept
  std::int64_t body_timeout_ms = 30'000;                      // time to receive a request's body
  std::int64_t idle_timeout_ms = 60'000;                      // keep-alive connection idle time before close
  std::int64_t max_connections = 10'000;                      // open connections in all; 0 = no cap
  std::int64_t max_connections_per_address = 256;             // open connections per peer address; 0 = no cap
  std::int64_t shutdown_deadline_ms = 10'000;                 // in-flight work may finish within this on SIGTERM
  std::string metrics_token;                                  // bearer token guarding /metrics; empty = open
  WebSocketOptions websocket;
};

}  // namespace salesboost::server
