// OfflineNpc: the customer simulated from persona data, with no model and no
// network. It reveals needs to questions that touch them (open questions
// reveal more), raises an objection when its trigger comes up or when pitched
// before any need is known, resolves it only when the answer contains what
// the persona says resolves it, accepts a close only when every closing
// condition is resolved and its mood allows, and leaves when its mood drops
// too low. Phrasing comes from the persona's templates in the session's
// language, chosen by the session seed, and is streamed in small deltas.
// Thread-safe (stateless between calls: the state comes from the turn).
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
