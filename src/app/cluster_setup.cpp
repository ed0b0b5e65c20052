#include "app/cluster_setup.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <optional>
#include <random>
#include <thread>

#include "conversation/in_process_live_buffer.hpp"
#include "conversation/in_process_session_hub.hpp"
#include "conversation/in_process_session_leases.hpp"
#include "conversation/store_turn_ledger.hpp"
#include "core/in_process_rate_limiter.hpp"
#include "core/text.hpp"
#include "infra/redis/instance_registry.hpp"
#include "infra/redis/redis_client.hpp"
#include "infra/redis/redis_live_buffer.hpp"
#include "infra/redis/redis_rate_limiter.hpp"
#include "infra/redis/redis_session_hub.hpp"
#include "infra/redis/redis_session_leases.hpp"
#include "infra/redis/redis_turn_ledger.hpp"

namespace salesboost::app {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class ClusterRuntime {
 public:
  ClusterRuntime(const infra::RedisOptions& options, const std::string& address, milliseconds heartbeat_ttl,
                 core::MetricsRegistry& metrics, const core::Clock& clock, const core::Logger& logger)
      : logger_(logger),
        work_(asio::make_work_guard(io_)),
        thread_([this] { io_.run(); }),
        redis(asio::make_strand(io_), options, metrics, clock, logger),
        subscriber(asio::make_strand(io_), options, metrics, clock, logger),
        instances(redis, {.address = address, .ttl = heartbeat_ttl}, clock, logger) {}

  ~ClusterRuntime() {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  ClusterRuntime(const ClusterRuntime&) = delete;
  ClusterRuntime& operator=(const ClusterRuntime&) = delete;

  asio::any_io_executor executor() { return io_.get_executor(); }
  const core::Logger& logger() const { return logger_; }

 private:
  core::Logger logger_;
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;

 public:
  infra::RedisClient redis;
  infra::RedisSubscriber subscriber;
  infra::InstanceRegistry instances;
};

ClusterPorts::ClusterPorts() = default;
ClusterPorts::~ClusterPorts() = default;
ClusterPorts::ClusterPorts(ClusterPorts&&) noexcept = default;
ClusterPorts& ClusterPorts::operator=(ClusterPorts&&) noexcept = default;

namespace {

core::RateLimit Limit(std::int64_t per_minute, std::int64_t burst) {
  return {.per_minute = static_cast<double>(per_minute), .burst = static_cast<double>(burst)};
}

std::string DefaultInstanceId() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  return fmt::format("{}-{}-{:06x}", host[0] != '\0' ? host : "salesboost", ::getpid(), random() & 0xffffffU);
}

}  // namespace

core::Result<ClusterPorts> MakeClusterPorts(const AppConfig& config, const std::string& address,
                                            conversation::SessionStore& sessions, core::MetricsRegistry& metrics,
                                            const core::Clock& clock, const core::Logger& logger) {
  const auto& c = config.cluster;
  const auto& limits = config.limits;
  ClusterPorts ports;
  if (c.backend != "redis") {
    ports.hub = std::make_unique<conversation::InProcessSessionHub>();
    ports.live = std::make_unique<conversation::InProcessLiveBuffer>();
    ports.leases = std::make_unique<conversation::InProcessSessionLeases>();
    ports.ledger = std::make_unique<conversation::StoreTurnLedger>(sessions);
    ports.turn_limiter =
        std::make_unique<core::InProcessRateLimiter>(Limit(limits.turn_per_minute, limits.turn_burst), clock);
    ports.login_limiter =
        std::make_unique<core::InProcessRateLimiter>(Limit(limits.login_per_minute, limits.login_burst), clock);
    ports.assist_limiter =
        std::make_unique<core::InProcessRateLimiter>(Limit(limits.assist_per_minute, limits.assist_burst), clock);
    return ports;
  }

  infra::RedisOptions options;
  options.url = c.redis_url;
  options.password = c.redis_password;
  options.sentinels = core::SplitCommaList(c.sentinels);
  options.master_name = c.sentinel_master;
  options.instance_id = c.instance_id.empty() ? DefaultInstanceId() : c.instance_id;
  options.pool_size = static_cast<std::size_t>(c.pool_size);
  options.command_timeout = milliseconds(c.command_timeout_ms);
  options.connect_timeout = milliseconds(c.command_timeout_ms);
  ports.instance_id = options.instance_id;
  ports.runtime =
      std::make_unique<ClusterRuntime>(options, address, milliseconds(c.heartbeat_ttl_ms), metrics, clock, logger);
  auto& runtime = *ports.runtime;
  ports.store_ledger = std::make_unique<conversation::StoreTurnLedger>(sessions);
  auto leases = std::make_unique<infra::RedisSessionLeases>(
      runtime.redis, runtime.instances,
      infra::RedisSessionLeasesOptions{.ttl = milliseconds(c.lease_ttl_ms),
                                       .poll_min = milliseconds(20),
                                       .poll_max = milliseconds(200),
                                       .history_ttl = milliseconds(std::int64_t{7} * 24 * 3600 * 1000)},
      metrics, logger);
  // Publishes and stream appends are fenced by the lease (docs/operations.md, "Fencing").
  const infra::RedisSessionLeases* fence = leases.get();
  ports.hub = std::make_unique<infra::RedisSessionHub>(runtime.redis, runtime.subscriber, metrics, logger, fence);
  ports.live = std::make_unique<infra::RedisLiveBuffer>(
      runtime.redis,
      infra::RedisLiveBufferOptions{
          .max_events = static_cast<std::size_t>(c.live_buffer_max_events),
          .ttl = milliseconds(std::max<std::int64_t>(config.conversation.turn_deadline_ms * 2, 600'000))},
      metrics, logger, fence);
  ports.leases = std::move(leases);
  ports.ledger = std::make_unique<infra::RedisTurnLedger>(
      *ports.store_ledger, runtime.redis,
      infra::RedisTurnLedgerOptions{.claim_ttl =
                                        std::chrono::seconds(std::max<std::int64_t>(1, c.turn_claim_ttl_ms / 1000))},
      metrics, logger, &runtime.instances);
  ports.turn_limiter = std::make_unique<infra::RedisRateLimiter>(
      runtime.redis,
      infra::RedisRateLimiterOptions{.name = "turns", .limit = Limit(limits.turn_per_minute, limits.turn_burst)}, clock,
      metrics, logger);
  ports.login_limiter = std::make_unique<infra::RedisRateLimiter>(
      runtime.redis,
      infra::RedisRateLimiterOptions{.name = "logins", .limit = Limit(limits.login_per_minute, limits.login_burst)},
      clock, metrics, logger);
  ports.assist_limiter = std::make_unique<infra::RedisRateLimiter>(
      runtime.redis,
      infra::RedisRateLimiterOptions{.name = "assist", .limit = Limit(limits.assist_per_minute, limits.assist_burst)},
      clock, metrics, logger);
  runtime.instances.Start(runtime.executor());
  logger.Info("cluster_joined", {{"instance_id", ports.instance_id}, {"redis", c.redis_url}});
  return ports;
}

void StopCluster(ClusterPorts& ports) {
  if (!ports.runtime) return;
  auto stopped = asio::co_spawn(ports.runtime->executor(), ports.runtime->instances.Stop(), asio::use_future);
  // With Redis unreachable the heartbeat lapses by itself; do not hold the exit for it.
  if (stopped.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
    ports.runtime->logger().Warn("cluster_leave_timed_out", {});
  }
}

}  // namespace salesboost::app
