// The customer's prompt for an LLM provider. Laid out for provider prefix
// caches: the system message (persona, scenario, rules) is the same on every
// turn of a session and earlier turns are appended in order, so each turn's
// request begins with the previous turn's bytes; only the last two messages
// (the trainee's words and this turn's direction) are new. Pure.
#pragma once

#include <cstddef>
#include <vector>

#include "conversation/agents.hpp"
#include "llm/openai_client.hpp"

namespace salesboost::brain {

// `decided`: what the offline customer model decided for this turn (needs
// revealed, objections raised or resolved, the outcome) and its wording,
// which the provider rephrases in character. `facts`: passages the customer
// may know. `history_turns`: earlier turns carried (the most recent).
llm::ChatRequest BuildNpcPrompt(const conversation::TurnContext& turn, const conversation::NpcReply& decided,
                                const std::vector<conversation::KnowledgeHit>& facts, std::size_t history_turns);

}  // namespace salesboost::brain
