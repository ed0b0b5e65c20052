// OfflineNpc: the customer simulated from persona data, with no model and no
// network. What it says and changes is decided by the customer policy
// (brain/customer/customer_policy.hpp, docs/customer.md): it answers what it
// was asked, reveals needs to good questions, raises and settles objections,
// buys from a good salesperson and walks away from a bad one. The reply is
// streamed in small deltas. Thread-safe (stateless between calls: the state
// comes from the turn).
#pragma once

#include <chrono>

#include "conversation/agents.hpp"

namespace salesboost::brain {

struct OfflineNpcOptions {
  std::chrono::milliseconds delta_interval{15};  // pause between deltas; 0 streams at once
};

class OfflineNpc final : public conversation::NpcAgent {
 public:
  explicit OfflineNpc(OfflineNpcOptions options) : options_(options) {}
  boost::asio::awaitable<core::Result<conversation::NpcReply>> Reply(const conversation::TurnContext& turn,
                                                                     conversation::DeltaSink& sink) override;

  // The reply without streaming: what Reply streams. Pure.
  static conversation::NpcReply Decide(const conversation::TurnContext& turn);

 private:
  OfflineNpcOptions options_;
};

// Cuts text into stream deltas: a Latin word with its trailing space, or two
// CJK characters. Concatenated, they are the text.
std::vector<std::string> SplitDeltas(std::string_view text);

}  // namespace salesboost::brain
