// Agents: the agent ports of a turn, one of each, as the factory built them
// from configuration (brain/agent_factory.hpp). The coordinator and the API
// know only these interfaces. A failed part is a missing part, never a failed
// turn, except the customer's.
#pragma once

#include <memory>
#include "conversation/assistant.hpp"
#include "conversation/coach_agent.hpp"
#include "conversation/compliance_checker.hpp"
#include "conversation/customer_intent_classifier.hpp"
#include "conversation/evaluator.hpp"
#include "conversation/knowledge.hpp"
#include "conversation/npc_agent.hpp"
#include "conversation/sales_act_classifier.hpp"
#include "conversation/turn_context.hpp"

namespace salesboost::conversation {

struct Agents {
  std::unique_ptr<KnowledgeSearch> knowledge;  // first: the agents below may refer to it
  std::unique_ptr<SalesActClassifier> classifier;
  std::unique_ptr<CustomerIntentClassifier> intents;
  std::unique_ptr<NpcAgent> npc;
  std::unique_ptr<CoachAgent> coach;
  std::unique_ptr<ComplianceChecker> compliance;
  std::unique_ptr<Evaluator> evaluator;
  std::unique_ptr<Assistant> assistant;
};

}  // namespace salesboost::conversation
