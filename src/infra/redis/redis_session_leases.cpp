#include "infra/redis/redis_session_leases.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace salesboost::infra {

namespace asio = boost::asio;
using conversation::Lease;
using core::Result;

namespace {

// KEYS: lease, epoch, last holder. ARGV: instance, ttl ms, history ms, the
// value of a dead holder's lease to take over ("" for none).
// {1, epoch, continued} when granted, {0, holder's value} when held.
constexpr const char* kAcquire = R"lua(
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[4] then
  local holder = string.match(current, '^(.*):%d+$')
  if holder ~= ARGV[1] then return {0, current} end
end
local epoch = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local last = redis.call('GET', KEYS[3])
redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. epoch, 'PX', ARGV[2])
local continued = 0
if last == ARGV[1] then continued = 1 end
return {1, epoch, continued}
)lua";

constexpr const char* kRenew = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua";

constexpr const char* kRelease = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

std::string Tag(std::string_view session_id) { return "sb:{" + std::string(session_id) + "}:"; }

}  // namespace

struct RedisSessionLeases::Attempt {
  bool granted = false;
  Lease lease;
  std::string holder_value;  // when not granted
};

RedisSessionLeases::RedisSessionLeases(RedisClient& redis, InstanceRegistry& instances,
                                       RedisSessionLeasesOptions options, core::MetricsRegistry& metrics,
                                       core::Logger logger)
    : redis_(redis),
      instances_(instances),
      options_(options),
      logger_(std::move(logger)),
      takeovers_(metrics
                     .AddCounter("salesboost_session_takeovers_total",
                                 "Session leases taken over from an instance that was gone")
                     .Get()),
      held_(metrics.AddGauge("salesboost_session_leases_held", "Session leases this instance holds").Get()),
      acquire_(kAcquire),
      renew_(kRenew),
      release_(kRelease) {}

std::string RedisSessionLeases::LeaseKey(std::string_view session_id) { return Tag(session_id) + "lease"; }

std::string RedisSessionLeases::Value(const Lease& lease) const {
  return redis_.InstanceId() + ":" + std::to_string(lease.epoch);
}

asio::awaitable<Result<RedisSessionLeases::Attempt>> RedisSessionLeases::TryAcquire(std::string session_id,
                                                                                    std::string replace) {
  const std::string tag = Tag(session_id);
  std::vector<std::string> keys{tag + "lease", tag + "epoch", tag + "last"};
  std::vector<std::string> args{redis_.InstanceId(), std::to_string(options_.ttl.count()),
                                std::to_string(options_.history_ttl.count()), std::move(replace)};
  auto reply = co_await redis_.Eval(acquire_, std::move(keys), std::move(args));
  if (!reply) co_return core::Fail(reply.error());
  if (!reply->IsArray() || reply->elements.size() < 2) {
    co_return core::Fail(core::ErrorCode::kInternal, "unexpected lease script reply");
  }
  Attempt attempt;
  attempt.granted = reply->elements[0].integer == 1;
  if (attempt.granted && reply->elements.size() == 3) {
    attempt.lease.epoch = reply->elements[1].integer;
    attempt.lease.continued = reply->elements[2].integer == 1;
  } else {
    attempt.holder_value = reply->elements[1].text;
  }
  co_return attempt;
}

asio::awaitable<Result<Lease>> RedisSessionLeases::Acquire(std::string session_id, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto delay = options_.poll_min;
  std::optional<asio::steady_timer> timer;
  while (true) {
    auto attempt = co_await TryAcquire(session_id, "");
    if (!attempt) co_return core::Fail(attempt.error());
    if (attempt->granted) {
      held_.Inc();
      Remember(session_id, attempt->lease);
      co_return attempt->lease;
    }
    const std::string holder = attempt->holder_value.substr(0, attempt->holder_value.rfind(':'));
    auto alive = co_await instances_.Alive(holder);
    if (!alive) co_return core::Fail(alive.error());
    if (!*alive) {
      auto takeover = co_await TryAcquire(session_id, attempt->holder_value);
      if (!takeover) co_return core::Fail(takeover.error());
      if (takeover->granted) {
        takeovers_.Inc();
        held_.Inc();
        Remember(session_id, takeover->lease);
        logger_.Warn("session lease taken over",
                     {{"session_id", session_id}, {"from", holder}, {"epoch", takeover->lease.epoch}});
        co_return takeover->lease;
      }
      continue;  // someone else changed it meanwhile: look again
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      std::string message = "session ";
      message += session_id;
      message += " is held by another instance (";
      message += holder;
      message += ")";
      co_return core::Fail(core::ErrorCode::kResourceExhausted, std::move(message));
    }
    if (!timer) timer.emplace(co_await asio::this_coro::executor);
    timer->expires_after(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
    co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
    delay = std::min(options_.poll_max, delay * 2);
  }
}

asio::awaitable<Result<bool>> RedisSessionLeases::Renew(std::string session_id, Lease lease) {
  std::vector<std::string> keys{LeaseKey(session_id)};
  std::vector<std::string> args{Value(lease), std::to_string(options_.ttl.count())};
  auto reply = co_await redis_.Eval(renew_, std::move(keys), std::move(args));
  if (!reply) co_return core::Fail(reply.error());
  const bool renewed = reply->integer == 1;
  if (!renewed) {
    held_.Dec();
    Forget(session_id, lease);
    logger_.Warn("session lease lost", {{"session_id", session_id}, {"epoch", lease.epoch}});
  }
  co_return renewed;
}

asio::awaitable<Result<void>> RedisSessionLeases::Release(std::string session_id, Lease lease) {
  std::vector<std::string> keys{LeaseKey(session_id)};
  std::vector<std::string> args{Value(lease)};
  auto reply = co_await redis_.Eval(release_, std::move(keys), std::move(args));
  Forget(session_id, lease);  // released or not, this instance no longer writes under it
  if (!reply) co_return core::Fail(reply.error());
  if (reply->integer == 1) held_.Dec();
  co_return core::Ok();
}

void RedisSessionLeases::Remember(const std::string& session_id, const Lease& lease) {
  std::lock_guard lock(held_mutex_);
  held_values_[session_id] = Value(lease);
}

void RedisSessionLeases::Forget(const std::string& session_id, const Lease& lease) {
  std::lock_guard lock(held_mutex_);
  const auto it = held_values_.find(session_id);
  if (it != held_values_.end() && it->second == Value(lease)) held_values_.erase(it);
}

std::optional<std::string> RedisSessionLeases::HeldValue(std::string_view session_id) const {
  std::lock_guard lock(held_mutex_);
  const auto it = held_values_.find(std::string(session_id));
  if (it == held_values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace salesboost::infra
