// RedisTurnLedger: the TurnLedger port across instances, in front of the
// store's ledger (StoreTurnLedger).
//
// A committed turn is the store's answer. Otherwise the caller claims
// sb:{S}:turn:<turn_id> (SET ... EX claim_ttl, in a script) for its instance:
// claimed -> the store's answer (unknown or aborted: the caller runs it);
// held by another instance for the same attempt -> kRunning. A claim names
// the attempt it is for (unknown, or aborted at seq N), so a resend after an
// abort claims the turn again and runs it. Redis unreachable -> the store's
// answer alone (salesboost_redis_fallbacks_total{port="turn_ledger"}).
// Thread-safe; `store` and `redis` must outlive it.
#pragma once

#include <chrono>

#include "conversation/turn_ledger.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "infra/redis/instance_registry.hpp"
#include "infra/redis/redis_client.hpp"

namespace salesboost::infra {

struct RedisTurnLedgerOptions {
  std::chrono::seconds claim_ttl{120};  // a claim of a turn that never commits is forgotten after this
};

class RedisTurnLedger final : public conversation::TurnLedger {
 public:
  // With `instances`, a claim whose instance is gone (killed, paused past its
  // heartbeat) is taken over at once instead of after its expiry.
  RedisTurnLedger(conversation::TurnLedger& store, RedisClient& redis, RedisTurnLedgerOptions options,
                  core::MetricsRegistry& metrics, core::Logger logger, InstanceRegistry* instances = nullptr);

  boost::asio::awaitable<core::Result<conversation::TurnRecord>> Find(std::string session_id,
                                                                      std::string turn_id) override;

  static std::string ClaimKey(std::string_view session_id, std::string_view turn_id);

 private:
  conversation::TurnLedger& store_;
  RedisClient& redis_;
  const RedisTurnLedgerOptions options_;
  core::Logger logger_;
  core::Family<core::Counter>& fallbacks_;
  const RedisScript claim_;
  InstanceRegistry* instances_;
};

}  // namespace salesboost::infra
