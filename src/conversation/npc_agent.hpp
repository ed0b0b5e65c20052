// NpcAgent: the port of the simulated customer. It streams its reply
// through a DeltaSink and returns it whole with what it changed (needs
// revealed, objections raised and resolved, mood, outcome). Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>
#include "conversation/delta_sink.hpp"
#include "conversation/turn_context.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

enum class TurnOutcome { kContinue, kWon, kLost };

struct NpcReply {
  std::string text;                   // the whole reply: the concatenation of the deltas since the last reset
  std::string intent;                 // customer-intent label of the reply (product.md §1)
  std::vector<std::string> revealed;  // ids newly revealed, raised, resolved by this reply
  std::vector<std::string> raised;
  std::vector<std::string> resolved;
  std::vector<std::string> told;  // ids of persona facts told and of the customer's own questions asked
  double mood_delta = 0;
  std::string mood_cause;
  bool buying_signal = false;  // the reply is an explicit buying signal
  TurnOutcome outcome = TurnOutcome::kContinue;
  std::string engine = "offline";  // who spoke: a provider's name or "offline"
};

class NpcAgent {
 public:
  virtual ~NpcAgent() = default;
  // Streams the reply through `sink`, then returns it whole.
  virtual boost::asio::awaitable<core::Result<NpcReply>> Reply(const TurnContext& turn, DeltaSink& sink) = 0;
};

}  // namespace salesboost::conversation
