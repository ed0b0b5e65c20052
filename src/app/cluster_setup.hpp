// The state instances share, as configured: in this process ([cluster]
// backend = "none", one instance) or in Redis (backend = "redis": any
// instance serves any session; docs/operations.md). Either way the rest of
// the server sees only the ports: the session hub, the live buffer, the
// session leases, the turn ledger and the rate limiters.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>

#include "app/app_config.hpp"
#include "conversation/live_buffer.hpp"
#include "conversation/session_hub.hpp"
#include "conversation/session_leases.hpp"
#include "conversation/session_store.hpp"
#include "conversation/turn_ledger.hpp"
#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/rate_limiter.hpp"

namespace salesboost::app {

// The Redis connections, their I/O thread and this instance's heartbeat.
class ClusterRuntime;

struct ClusterPorts {
  ClusterPorts();
  ~ClusterPorts();
  ClusterPorts(ClusterPorts&&) noexcept;
  ClusterPorts& operator=(ClusterPorts&&) noexcept;

  std::unique_ptr<ClusterRuntime> runtime;                 // null when embedded; declared first so it goes last
  std::unique_ptr<conversation::TurnLedger> store_ledger;  // what the Redis ledger is in front of
  std::unique_ptr<conversation::SessionLeases> leases;     // before the hub and live buffer: they fence by it
  std::unique_ptr<conversation::SessionHub> hub;
  std::unique_ptr<conversation::LiveBuffer> live;
  std::unique_ptr<conversation::TurnLedger> ledger;
  std::unique_ptr<core::RateLimiter> turn_limiter;    // keyed by user id
  std::unique_ptr<core::RateLimiter> login_limiter;   // keyed by client address
  std::unique_ptr<core::RateLimiter> assist_limiter;  // keyed by user id
  std::string instance_id;                            // this instance's name in the cluster (empty when embedded)
};

// Builds the ports. With Redis, connects and starts the heartbeat; an
// unreachable Redis is not fatal (the instance serves its own sessions until
// Redis is back), a malformed configuration is.
core::Result<ClusterPorts> MakeClusterPorts(const AppConfig& config, const std::string& address,
                                            conversation::SessionStore& sessions, core::MetricsRegistry& metrics,
                                            const core::Clock& clock, const core::Logger& logger);

// Before exit: stops the heartbeat (the instance leaves the cluster at once
// rather than after its heartbeat lapses) and closes the Redis connections.
void StopCluster(ClusterPorts& ports);

}  // namespace salesboost::app
