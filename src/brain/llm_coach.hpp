// LlmCoach and LlmEvaluator: the coach's tip and the turn's scores from LLM
// providers as validated JSON (brain/structured_call.hpp), with the offline
// coach and the heuristic evaluator as the fallback. The coach's evidence is
// always the knowledge base's passages the offline coach found, so a tip
// never cites what was not retrieved; a turn that broke a conduct rule gets
// the offline coach's warning naming the rule, never the model's words.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>

#include "brain/structured_call.hpp"
#include "conversation/agents.hpp"

namespace salesboost::brain {

class LlmCoach final : public conversation::CoachAgent {
 public:
  LlmCoach(StructuredCaller caller, std::unique_ptr<conversation::CoachAgent> offline,
           std::chrono::milliseconds budget);
  boost::asio::awaitable<core::Result<conversation::CoachTip>> Advise(const conversation::TurnContext& turn,
                                                                      const conversation::TurnAfter& after) override;

  static core::Result<void> Validate(const boost::json::object& tip);

 private:
  StructuredCaller caller_;
  std::unique_ptr<conversation::CoachAgent> offline_;
  std::chrono::milliseconds budget_;
};

class LlmEvaluator final : public conversation::Evaluator {
 public:
  LlmEvaluator(StructuredCaller caller, std::unique_ptr<conversation::Evaluator> offline,
               std::chrono::milliseconds budget);
  boost::asio::awaitable<core::Result<conversation::TurnScores>> Score(const conversation::TurnContext& turn) override;

  // Every dimension but compliance (the compliance check scores it), 0..10, with a reason.
  static core::Result<void> Validate(const boost::json::object& scores);

 private:
  StructuredCaller caller_;
  std::unique_ptr<conversation::Evaluator> offline_;
  std::chrono::milliseconds budget_;
};

}  // namespace salesboost::brain
