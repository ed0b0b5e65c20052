#include "brain/agent_factory.hpp"

#include "brain/heuristic_evaluator.hpp"
#include "brain/in_memory_knowledge.hpp"
#include "brain/models.hpp"
#include "brain/offline_assistant.hpp"
#include "brain/offline_coach.hpp"
#include "brain/offline_npc.hpp"
#include "brain/rule_compliance.hpp"

namespace salesboost::brain {

core::Result<conversation::Agents> MakeAgents(const AgentOptions& options) {
  auto classifier = MakeSalesActClassifier();
  if (!classifier) return core::Fail(classifier.error());
  auto intents = MakeCustomerIntentClassifier();
  if (!intents) return core::Fail(intents.error());
  conversation::Agents agents;
  agents.knowledge = std::make_unique<InMemoryKnowledge>(DemoKnowledgeFiles());
  agents.classifier = std::move(*classifier);
  agents.intents = std::move(*intents);
  agents.npc = std::make_unique<OfflineNpc>(OfflineNpcOptions{.delta_interval = options.npc_delta_interval});
  agents.coach = std::make_unique<OfflineCoach>(*agents.knowledge);
  agents.compliance = std::make_unique<RuleCompliance>(options.banned_words);
  if (!options.npc_providers.empty()) {
    if (options.metrics == nullptr) return core::Fail(core::ErrorCode::kInternal, "LLM agents need a metrics registry");
    agents.npc = std::make_unique<LlmNpc>(options.llm_npc, options.npc_providers, std::move(agents.npc),
                                          *agents.compliance, agents.knowledge.get(), *options.metrics);
  }
  agents.evaluator = std::make_unique<HeuristicEvaluator>();
  agents.assistant = std::make_unique<OfflineAssistant>(*agents.intents, *agents.knowledge, *agents.compliance);
  return agents;
}

}  // namespace salesboost::brain
