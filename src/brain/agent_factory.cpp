#include "brain/agent_factory.hpp"

#include "brain/heuristic_evaluator.hpp"
#include "brain/in_memory_knowledge.hpp"
#include "brain/llm_coach.hpp"
#include "brain/models.hpp"
#include "brain/offline_assistant.hpp"
#include "brain/offline_coach.hpp"
#include "brain/offline_npc.hpp"
#include "brain/rule_compliance.hpp"

namespace salesboost::brain {
namespace {

// The agents hold their knowledge port; this one lends them a longer-lived one.
class ForwardingKnowledge final : public conversation::KnowledgeSearch {
 public:
  explicit ForwardingKnowledge(conversation::KnowledgeSearch& target) : target_(target) {}
  boost::asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> Search(
      conversation::KnowledgeQuery query) override {
    return target_.Search(std::move(query));
  }

 private:
  conversation::KnowledgeSearch& target_;
};

}  // namespace

core::Result<conversation::Agents> MakeAgents(const AgentOptions& options) {
  auto classifier = MakeSalesActClassifier();
  if (!classifier) return core::Fail(classifier.error());
  auto intents = MakeCustomerIntentClassifier();
  if (!intents) return core::Fail(intents.error());
  conversation::Agents agents;
  if (options.knowledge != nullptr) {
    agents.knowledge = std::make_unique<ForwardingKnowledge>(*options.knowledge);
  } else {
    agents.knowledge = std::make_unique<InMemoryKnowledge>(DemoKnowledgeFiles());
  }
  agents.classifier = std::move(*classifier);
  agents.intents = std::move(*intents);
  agents.npc = std::make_unique<OfflineNpc>(OfflineNpcOptions{.delta_interval = options.npc_delta_interval});
  agents.coach = std::make_unique<OfflineCoach>(*agents.knowledge);
  agents.compliance = std::make_unique<RuleCompliance>(options.banned_words);
  agents.evaluator = std::make_unique<HeuristicEvaluator>();
  const bool any_llm =
      !options.npc_providers.empty() || !options.coach_providers.empty() || !options.evaluator_providers.empty();
  if (any_llm && options.metrics == nullptr) {
    return core::Fail(core::ErrorCode::kInternal, "LLM agents need a metrics registry");
  }
  if (!options.npc_providers.empty()) {
    agents.npc = std::make_unique<LlmNpc>(options.llm_npc, options.npc_providers, std::move(agents.npc),
                                          *agents.compliance, agents.knowledge.get(), *options.metrics);
  }
  if (!options.coach_providers.empty()) {
    agents.coach = std::make_unique<LlmCoach>(StructuredCaller("coach", options.coach_providers, *options.metrics),
                                              std::move(agents.coach), options.judge_budget);
  }
  if (!options.evaluator_providers.empty()) {
    agents.evaluator =
        std::make_unique<LlmEvaluator>(StructuredCaller("evaluator", options.evaluator_providers, *options.metrics),
                                       std::move(agents.evaluator), options.judge_budget);
  }
  agents.assistant = std::make_unique<OfflineAssistant>(*agents.intents, *agents.knowledge, *agents.compliance);
  return agents;
}

}  // namespace salesboost::brain
