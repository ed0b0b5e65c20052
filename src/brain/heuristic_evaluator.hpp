// HeuristicEvaluator: per-turn scores 0-10 with a one-line reason for
// integrity, relevance, correctness, logic, persuasiveness and empathy,
// computed from the act, the stage, the text and the persona (needs and
// objections the message touches). The compliance dimension comes from the
// compliance check. Thread-safe.
#pragma once

#include "conversation/agents.hpp"

namespace salesboost::brain {

class HeuristicEvaluator final : public conversation::Evaluator {
 public:
  boost::asio::awaitable<core::Result<conversation::TurnScores>> Score(const conversation::TurnContext& turn) override;
  static conversation::TurnScores Evaluate(const conversation::TurnContext& turn);
};

}  // namespace salesboost::brain
