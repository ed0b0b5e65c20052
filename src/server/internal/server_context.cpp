#include "server/internal/server_context.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace salesboost::server::internal {
namespace {

std::string_view MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "OTHER";
}

}  // namespace

ConnectionQuota::Ticket& ConnectionQuota::Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    Release();
    quota_ = std::exchange(other.quota_, nullptr);
    address_ = std::move(other.address_);
  }
  return *this;
}

void ConnectionQuota::Ticket::Release() {
  if (quota_ != nullptr) std::exchange(quota_, nullptr)->Release(address_);
}

std::variant<ConnectionQuota::Ticket, ConnectionQuota::Refusal> ConnectionQuota::Admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (max_total_ > 0 && open_ >= max_total_) return Refusal::kTotal;
  auto& mine = by_address_[address];
  if (max_per_address_ > 0 && mine >= max_per_address_) return Refusal::kAddress;
  ++mine;
  ++open_;
  return Ticket(this, address);
}

void ConnectionQuota::Release(const std::string& address) {
  std::lock_guard lock(mutex_);
  --open_;
  if (auto it = by_address_.find(address); it != by_address_.end() && --it->second <= 0) by_address_.erase(it);
}

std::int64_t ConnectionQuota::Open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::uint64_t ConnectionRegistry::Add(std::weak_ptr<Connection> connection) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  open_.emplace(id, std::move(connection));
  return id;
}

void ConnectionRegistry::Remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  open_.erase(id);
}

std::size_t ConnectionRegistry::Count() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::Snapshot() const {
  std::vector<std::shared_ptr<Connection>> out;
  std::lock_guard lock(mutex_);
  for (const auto& [id, weak] : open_) {
    if (auto strong = weak.lock()) out.push_back(std::move(strong));
  }
  return out;
}

ServerMetrics::ServerMetrics(core::MetricsRegistry& registry)
    : requests(registry.AddCounter("salesboost_http_requests_total", "HTTP requests by method, route and status",
                                   {"method", "route", "status"})),
      latency(registry.AddHistogram("salesboost_http_request_duration_seconds",
                                    "Time from request headers to response, by route", {"route"},
                                    core::DefaultLatencyBuckets())),
      http_open(registry.AddGauge("salesboost_http_open_connections", "Open HTTP connections").Get()),
      ws_open(registry.AddGauge("salesboost_ws_open_connections", "Open WebSocket connections").Get()),
      ws_received(registry.AddCounter("salesboost_ws_messages_received_total", "WebSocket messages received").Get()),
      ws_sent(registry.AddCounter("salesboost_ws_messages_sent_total", "WebSocket messages sent").Get()),
      ws_server_closes(registry.AddCounter("salesboost_ws_server_closes_total",
                                           "WebSocket connections closed by the server, by close code", {"code"})),
      refused(registry.AddCounter("salesboost_http_connections_refused_total",
                                  "Connections refused at accept by a connection cap, by cap", {"reason"})) {}

void RecordRequest(ServerContext& ctx, const RequestRecord& r) {
  const auto elapsed = std::chrono::steady_clock::now() - r.start;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  char status[8];
  const auto status_end = std::to_chars(status, status + sizeof(status), r.status).ptr;
  ctx.metrics.requests.With({MethodLabel(r.method), r.route, std::string_view(status, status_end - status)}).Inc();
  ctx.metrics.latency.With({r.route}).Observe(seconds);
  if (!ctx.deps.access_log) return;
  ctx.deps.logger.Info("http_request", {{"request_id", r.request_id},
                                        {"method", r.method},
                                        {"path", r.path},
                                        {"route", r.route},
                                        {"status", r.status},
                                        {"duration_ms", std::round(seconds * 1e6) / 1e3},
                                        {"bytes_in", r.bytes_in},
                                        {"bytes_out", r.bytes_out},
                                        {"remote", r.remote}});
}

std::string ChooseRequestId(std::string_view offered, core::IdGenerator& ids) {
  if (offered.empty() || offered.size() > 128) return ids.Next();
  for (char c : offered) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '_' && c != ':' && c != '-') return ids.Next();
  }
  return std::string(offered);
}

}  // namespace salesboost::server::internal
