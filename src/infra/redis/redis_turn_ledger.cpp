#include "infra/redis/redis_turn_ledger.hpp"

namespace salesboost::infra {

namespace asio = boost::asio;
using conversation::TurnRecord;
using core::Result;

namespace {

// KEYS: the claim. ARGV: instance, attempt, ttl s, the claim of a gone
// instance to take over ("" for none). 1: claimed by the caller; otherwise
// the claim of the instance that holds this attempt ("<instance>|<attempt>").
constexpr const char* kClaim = R"lua(
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[4] then
  local holder, attempt = string.match(current, '^(.*)|([^|]*)$')
  if attempt == ARGV[2] and holder ~= ARGV[1] then return current end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1
)lua";

}  // namespace

RedisTurnLedger::RedisTurnLedger(conversation::TurnLedger& store, RedisClient& redis, RedisTurnLedgerOptions options,
                                 core::MetricsRegistry& metrics, core::Logger logger, InstanceRegistry* instances)
    : store_(store),
      redis_(redis),
      options_(options),
      logger_(std::move(logger)),
      fallbacks_(metrics.AddCounter("salesboost_redis_fallbacks_total",
                                    "Calls served without Redis (unreachable) by port operation", {"port"})),
      claim_(kClaim),
      instances_(instances) {}

std::string RedisTurnLedger::ClaimKey(std::string_view session_id, std::string_view turn_id) {
  return "sb:{" + std::string(session_id) + "}:turn:" + std::string(turn_id);
}

asio::awaitable<Result<TurnRecord>> RedisTurnLedger::Find(std::string session_id, std::string turn_id) {
  auto stored = co_await store_.Find(session_id, turn_id);
  if (!stored || stored->state == TurnRecord::State::kCommitted || stored->state == TurnRecord::State::kRunning) {
    co_return stored;
  }
  // The attempt a claim is for: "u" (never ended) or "a<seq>" (aborted at seq).
  std::string attempt = stored->state == TurnRecord::State::kAborted ? "a" : "u";
  if (stored->state == TurnRecord::State::kAborted) attempt += std::to_string(stored->last_seq);
  std::vector<std::string> keys{ClaimKey(session_id, turn_id)};
  std::vector<std::string> args{redis_.InstanceId(), attempt, std::to_string(options_.claim_ttl.count()), ""};
  auto claimed = co_await redis_.Eval(claim_, keys, args);
  if (claimed && claimed->IsString() && instances_ != nullptr) {
    // Held by another instance: if that instance is gone, its attempt died with it.
    const std::string holder = claimed->text.substr(0, claimed->text.rfind('|'));
    auto alive = co_await instances_->Alive(holder);
    if (alive && !*alive) {
      args.back() = claimed->text;
      claimed = co_await redis_.Eval(claim_, std::move(keys), std::move(args));
      if (claimed && claimed->IsInteger()) {
        logger_.Warn("turn claim taken over from a gone instance",
                     {{"session_id", session_id}, {"turn_id", turn_id}, {"from", holder}});
      }
    }
  }
  if (!claimed) {
    fallbacks_.With({"turn_ledger"}).Inc();
    logger_.Warn("turn ledger: store's answer alone, redis unreachable",
                 {{"session_id", session_id}, {"turn_id", turn_id}, {"error", claimed.error().message}});
    co_return stored;
  }
  if (claimed->IsInteger() && claimed->integer == 1) co_return stored;
  co_return TurnRecord{.state = TurnRecord::State::kRunning, .first_seq = 0, .last_seq = 0};
}

}  // namespace salesboost::infra
