// Builds the agents of a turn from configuration. Today every agent is the
// offline engine (the act classifier: rules plus the built-in trained model);
// LLM-backed agents with the offline engine as their last fallback plug in here.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "conversation/agents.hpp"

namespace salesboost::brain {

struct AgentOptions {
  std::chrono::milliseconds npc_delta_interval{15};
  std::vector<std::string> banned_words;
};

core::Result<conversation::Agents> MakeAgents(const AgentOptions& options);

}  // namespace salesboost::brain
