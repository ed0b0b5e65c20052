// Builds the agents of a turn from configuration: the offline engines (the
// act classifier: rules plus the built-in trained model), and the customer
// through LLM providers when some are listed, with the offline customer as
// its last fallback.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "brain/llm_npc.hpp"
#include "conversation/agents.hpp"
#include "core/metrics.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::brain {

struct AgentOptions {
  std::chrono::milliseconds npc_delta_interval{15};
  std::vector<std::string> banned_words;
  std::vector<llm::ChatProvider*> npc_providers;  // in fallback order; empty: the offline customer only
  LlmNpcOptions llm_npc;
  std::vector<llm::ChatProvider*> coach_providers;      // empty: the offline coach only
  std::vector<llm::ChatProvider*> evaluator_providers;  // empty: the heuristic evaluator only
  std::chrono::milliseconds judge_budget{28000};        // coach and evaluator calls, before their fallback
  core::MetricsRegistry* metrics = nullptr;             // required with any providers
  conversation::KnowledgeSearch* knowledge = nullptr;   // the knowledge base; null: the demo documents in memory
};

core::Result<conversation::Agents> MakeAgents(const AgentOptions& options);

}  // namespace salesboost::brain
