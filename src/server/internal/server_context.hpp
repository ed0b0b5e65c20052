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
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/metrics.hpp"
#include "server/http_server.hpp"

namespace salesboost::server::internal {

// Caps on open connections (HTTP and WebSocket alike), in total and per peer
// address; a cap of 0 is no cap. A Ticket is one admitted connection: it
// counts until destroyed, and moves with the socket from HTTP to WebSocket.
// Thread-safe.
class ConnectionQuota {
 public:
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept
        : quota_(std::exchange(other.quota_, nullptr)), address_(std::move(other.address_)) {}
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { Release(); }

   private:
    friend class ConnectionQuota;
    Ticket(ConnectionQuota* quota, std::string address) : quota_(quota), address_(std::move(address)) {}
    void Release();
    ConnectionQuota* quota_ = nullptr;
    std::string address_;
  };
  enum class Refusal { kTotal, kAddress };

  ConnectionQuota(std::int64_t max_total, std::int64_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // A ticket, or which cap refused the connection.
  std::variant<Ticket, Refusal> Admit(const std::string& address);
  std::int64_t Open() const;

 private:
  void Release(const std::string& address);

  const std::int64_t max_total_;
  const std::int64_t max_per_address_;
  mutable std::mutex mutex_;
  std::int64_t open_ = 0;                                     // guarded by mutex_
  std::unordered_map<std::string, std::int64_t> by_address_;  // guarded by mutex_
};

// An open connection, as the server sees it during shutdown. Counts itself
// in ServerContext::live for as long as the object exists, and holds its
// place in the connection quota.
class Connection {
 public:
  Connection(std::atomic<std::int64_t>& live, ConnectionQuota::Ticket ticket)
      : live_(live), ticket_(std::move(ticket)) {
    live_.fetch_add(1);
  }
  virtual ~Connection() { live_.fetch_sub(1); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual void Shutdown() = 0;    // finish in-flight work, then close; thread-safe
  virtual void ForceClose() = 0;  // close now; thread-safe

 protected:
  // The quota place, for the connection that takes over the socket.
  ConnectionQuota::Ticket TakeTicket() { return std::move(ticket_); }

 private:
  std::atomic<std::int64_t>& live_;
  ConnectionQuota::Ticket ticket_;
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
  core::Family<core::Counter>& refused;           // {reason}: connections refused by a cap
};

struct ServerContext {
  ServerContext(ServerOptions o, HttpServerDeps d)
      : options(std::move(o)),
        deps(std::move(d)),
        metrics(deps.metrics),
        quota(options.max_connections, options.max_connections_per_address) {}

  ServerOptions options;
  HttpServerDeps deps;
  ServerMetrics metrics;
  ConnectionRegistry connections;
  ConnectionQuota quota;
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
