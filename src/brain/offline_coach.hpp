// OfflineCoach: a tip after each trainee turn, from the state after it (what
// the customer answered, revealed, raised and resolved), the act, the stage,
// the scenario's stage goals and what the conduct rules found:
//   - a turn that broke a rule gets a warning naming that rule and what to
//     say instead, never praise;
//   - an objection the customer just accepted is praised, one still open is
//     named with what answers it;
//   - a pitch before any need, a need just told, a buying signal, and the
//     act itself (open or closed question, value statement, close) each get
//     the technique that fits.
// Evidence comes from the session's course knowledge (never invented).
// Thread-safe.
#pragma once

#include "brain/conduct_rules.hpp"
#include "conversation/agents.hpp"

namespace salesboost::brain {

class OfflineCoach final : public conversation::CoachAgent {
 public:
  explicit OfflineCoach(conversation::KnowledgeSearch& knowledge)
      : knowledge_(knowledge), rules_(ConductRules::Builtin()) {}
  boost::asio::awaitable<core::Result<conversation::CoachTip>> Advise(const conversation::TurnContext& turn,
                                                                      const conversation::TurnAfter& after) override;
  conversation::CoachTip Decide(const conversation::TurnContext& turn, const conversation::TurnAfter& after) const;
  // What the evidence search asks: the message and the open objection, if any.
  static std::string EvidenceQuery(const conversation::TurnContext& turn, const conversation::TurnAfter& after);

 private:
  conversation::KnowledgeSearch& knowledge_;
  const ConductRules& rules_;
};

}  // namespace salesboost::brain
