// OfflineCoach: a tip after each trainee turn from the act, the stage, the
// stage goals of the scenario and what the customer has raised: praise for
// the right move, a suggestion with an example phrasing, a warning for a
// pitch before discovery or a compliance risk. Evidence stays empty until a
// knowledge base is connected (never invented). Thread-safe.
#pragma once

#include "conversation/agents.hpp"

namespace salesboost::brain {

class OfflineCoach final : public conversation::CoachAgent {
 public:
  explicit OfflineCoach(conversation::KnowledgeSearch& knowledge) : knowledge_(knowledge) {}
  boost::asio::awaitable<core::Result<conversation::CoachTip>> Advise(const conversation::TurnContext& turn) override;
  static conversation::CoachTip Decide(const conversation::TurnContext& turn);
  // What the evidence search asks: the message and the open objection, if any.
  static std::string EvidenceQuery(const conversation::TurnContext& turn);

 private:
  conversation::KnowledgeSearch& knowledge_;
};

}  // namespace salesboost::brain
