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
#include "llm/provider.hpp"

namespace salesboost::brain {

struct AgentOptions {
  std::chrono::milliseconds npc_delta_interval{15};
  std::vector<std::string> banned_words;
  std::vector<llm::Provider*> npc_providers;  // in fallback order; empty: the offline customer only
  LlmNpcOptions llm_npc;
  core::MetricsRegistry* metrics = nullptr;  // required with npc_providers
};

core::Result<conversation::Agents> MakeAgents(const AgentOptions& options);

}  // namespace salesboost::brain
