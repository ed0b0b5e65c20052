#include "brain/agent_factory.hpp"

#include "brain/heuristic_evaluator.hpp"
#include "brain/keyword_act_classifier.hpp"
#include "brain/offline_coach.hpp"
#include "brain/offline_npc.hpp"
#include "brain/rule_compliance.hpp"

namespace salesboost::brain {

conversation::Agents MakeAgents(const AgentOptions& options) {
  conversation::Agents agents;
  agents.classifier = std::make_unique<KeywordActClassifier>();
  agents.npc = std::make_unique<OfflineNpc>(OfflineNpcOptions{.delta_interval = options.npc_delta_interval});
  agents.coach = std::make_unique<OfflineCoach>();
  agents.compliance = std::make_unique<RuleCompliance>(options.banned_words);
  agents.evaluator = std::make_unique<HeuristicEvaluator>();
  return agents;
}

}  // namespace salesboost::brain
