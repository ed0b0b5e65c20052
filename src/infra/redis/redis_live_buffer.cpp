#include "infra/redis/redis_live_buffer.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "infra/redis/event_codec.hpp"

namespace salesboost::infra {

namespace asio = boost::asio;
namespace json = boost::json;
using conversation::Event;
using core::Result;

namespace {

// KEYS: the stream, the session's lease. ARGV: max length, ttl ms, the lease
// value the writer holds ("" when it writes without one), then seq and event
// pairs. The events appended, or -1 when the lease moved on.
constexpr const char* kAppend = R"lua(
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[3] then return -1 end
for i = 4, #ARGV, 2 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 's', ARGV[i], 'e', ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return (#ARGV - 3) / 2
)lua";

}  // namespace

RedisLiveBuffer::RedisLiveBuffer(RedisClient& redis, RedisLiveBufferOptions options, core::MetricsRegistry& metrics,
                                 core::Logger logger, const RedisSessionLeases* fence)
    : redis_(redis),
      options_(options),
      logger_(std::move(logger)),
      fallbacks_(metrics.AddCounter("salesboost_redis_fallbacks_total",
                                    "Calls served without Redis (unreachable) by port operation", {"port"})),
      append_(kAppend),
      fence_(fence) {}

std::string RedisLiveBuffer::StreamKey(std::string_view session_id) {
  return "sb:{" + std::string(session_id) + "}:live";
}

asio::awaitable<Result<void>> RedisLiveBuffer::Append(std::string session_id, std::vector<Event> events) {
  if (events.empty()) co_return core::Ok();
  const auto lease = fence_ != nullptr ? fence_->HeldValue(session_id) : std::nullopt;
  std::vector<std::string> args{std::to_string(options_.max_events), std::to_string(options_.ttl.count()),
                                lease.value_or(std::string())};
  for (const auto& event : events) {
    args.push_back(std::to_string(event.seq));
    args.push_back(json::serialize(EncodeRedisEvent(event)));
  }
  auto local = co_await local_.Append(session_id, std::move(events));
  std::vector<std::string> keys{StreamKey(session_id), RedisSessionLeases::LeaseKey(session_id)};
  auto reply = co_await redis_.Eval(append_, std::move(keys), std::move(args));
  if (reply && reply->integer < 0) {
    co_return core::Fail(core::ErrorCode::kAborted, "this instance no longer holds the session: not buffered");
  }
  if (!reply) {
    if (!local) co_return core::Fail(reply.error());
    fallbacks_.With({"live_buffer_append"}).Inc();
    logger_.Warn("live buffer: kept in this process only, redis unreachable",
                 {{"session_id", session_id}, {"error", reply.error().message}});
  }
  co_return core::Ok();
}

asio::awaitable<Result<std::vector<Event>>> RedisLiveBuffer::Read(std::string session_id, std::int64_t after_seq) {
  std::map<std::int64_t, Event> by_seq;
  auto local = co_await local_.Read(session_id, after_seq);
  if (local) {
    for (auto& event : *local) by_seq.emplace(event.seq, std::move(event));
  }
  std::vector<std::string> range{"XRANGE", StreamKey(session_id), "-", "+"};
  auto reply = co_await redis_.Command(std::move(range));
  if (!reply) {
    if (!local) co_return core::Fail(reply.error());
    fallbacks_.With({"live_buffer_read"}).Inc();
    logger_.Warn("live buffer: read this process's copy only, redis unreachable",
                 {{"session_id", session_id}, {"error", reply.error().message}});
  } else {
    // Entries: [id, [field, value, ...]].
    for (const auto& entry : reply->elements) {
      if (entry.elements.size() != 2) continue;
      const auto& fields = entry.elements[1].elements;
      for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text != "e") continue;
        json::error_code ec;
        const auto value = json::parse(fields[i + 1].text, ec);
        if (ec) continue;
        auto event = DecodeRedisEvent(value);
        if (!event) {
          logger_.Error("live buffer: undecodable event",
                        {{"session_id", session_id}, {"error", event.error().message}});
          continue;
        }
        if (event->seq > after_seq) by_seq.try_emplace(event->seq, std::move(*event));
      }
    }
  }
  std::vector<Event> events;
  events.reserve(by_seq.size());
  for (auto& [seq, event] : by_seq) events.push_back(std::move(event));
  co_return events;
}

asio::awaitable<Result<void>> RedisLiveBuffer::Clear(std::string session_id) {
  auto local = co_await local_.Clear(session_id);
  std::vector<std::string> del{"DEL", StreamKey(session_id)};
  auto reply = co_await redis_.Command(std::move(del));
  if (!reply) {
    if (!local) co_return core::Fail(reply.error());
    fallbacks_.With({"live_buffer_clear"}).Inc();
    logger_.Warn("live buffer: stream left to expire, redis unreachable",
                 {{"session_id", session_id}, {"error", reply.error().message}});
  }
  co_return core::Ok();
}

}  // namespace salesboost::infra
