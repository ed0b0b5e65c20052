// State shared by the listener and every connection of one HttpServer:
// options, dependencies, metrics handles and the registry of open connections.
// Connections hold a shared_ptr to it, so it outlives the last of them.
// Beast-free: included by both Beast translation units and nothing else.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "core/metrics.hpp"
#include "server/http_server.hpp"

namespace salesboost::server::internal {

// An open connection, as the server sees it during shutdown. Counts itself
// in ServerContext::live for as long as the object exists.
class Connection {
 public:
  explicit Connection(std::atomic<std::int64_t>& live) : live_(live) { live_.fetch_add(1); }
  virtual ~Connection() { live_.fetch_sub(1); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual void Shutdown() = 0;    // finish in-flight work, then close; thread-safe
  virtual void ForceClose() = 0;  // close now; thread-safe

 private:
  std::atomic<std::int64_t>& live_;
};

class ConnectionRegistry {
 public:
  std::uint64_t Add(std::weak_ptr<Connection> connection);
  void Remove(std::uint64_t id);
  std::size_t Count() const;
  std::vector<std::shared_ptr<Connection>> Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;                                // guarded by mutex_
  std::map<std::uint64_t, std::weak_ptr<Connection>> open_;  // guarded by mutex_
};

struct ServerMetrics {
  explicit ServerMetrics(core::MetricsRegistry& registry);

  core::Family<core::Counter>& requests;   // {method, route, status}
  core::Family<core::Histogram>& latency;  // {route}
  core::Gauge& http_open;
  core::Gauge& ws_open;
  core::Counter& ws_received;
  core::Counter& ws_sent;
  core::Family<core::Counter>& ws_server_closes;  // {code}
};

struct ServerContext {
  ServerContext(ServerOptions o, HttpServerDeps d) : options(std::move(o)), deps(std::move(d)), metrics(deps.metrics) {}

  ServerOptions options;
  HttpServerDeps deps;
  ServerMetrics metrics;
  ConnectionRegistry connections;
  std::atomic<bool> draining{false};
  // Connection objects alive, including ones still unwinding after close.
  std::atomic<std::int64_t> live{0};
};

struct RequestRecord {
  std::string_view method;
  std::string_view path;
  std::string_view route;  // router pattern, or "unmatched" / "invalid" (bounded label set)
  int status = 0;
  std::string_view request_id;
  std::string_view remote;
  std::chrono::steady_clock::time_point start;
  std::size_t bytes_in = 0;
  std::size_t bytes_out = 0;
};

// Metrics and the JSON access-log line for one request.
void RecordRequest(ServerContext& ctx, const RequestRecord& record);

// X-Request-Id when it is 1-128 characters of [A-Za-z0-9._:-], else a new id.
std::string ChooseRequestId(std::string_view offered, core::IdGenerator& ids);

}  // namespace salesboost::server::internal
