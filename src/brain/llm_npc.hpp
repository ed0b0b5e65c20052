// LlmNpc: the customer speaking through LLM providers, with the offline
// customer as the last fallback in the same turn.
//
// What the customer does in a turn (needs revealed, objections raised or
// resolved, mood, outcome) is decided by the offline model, so stages, slots
// and scores stay deterministic; the provider only words it, in character,
// streamed to the trainee as it arrives. Providers are tried in order; a
// provider whose breaker is open is skipped. A streaming compliance guard
// checks the text before each piece reaches the trainee: a piece that would
// make it BLOCK is never sent, the reply is withdrawn (npc.reset) and the next
// engine answers. A provider failing after it had streamed is withdrawn the
// same way. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "brain/offline_npc.hpp"
#include "conversation/agents.hpp"
#include "core/metrics.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::brain {

struct LlmNpcOptions {
  std::size_t history_turns = 20;
  std::chrono::milliseconds budget{28000};  // for the providers; the offline reply needs the rest of the part deadline
  int facts = 2;                            // knowledge passages put in the prompt
};

class LlmNpc final : public conversation::NpcAgent {
 public:
  // The providers, the guard and the knowledge search must outlive this agent.
  LlmNpc(LlmNpcOptions options, std::vector<llm::ChatProvider*> chain, std::unique_ptr<conversation::NpcAgent> offline,
         conversation::ComplianceChecker& guard, conversation::KnowledgeSearch* knowledge,
         core::MetricsRegistry& metrics);

  boost::asio::awaitable<core::Result<conversation::NpcReply>> Reply(const conversation::TurnContext& turn,
                                                                     conversation::DeltaSink& sink) override;

 private:
  LlmNpcOptions options_;
  std::vector<llm::ChatProvider*> chain_;
  std::unique_ptr<conversation::NpcAgent> offline_;
  conversation::ComplianceChecker& guard_;
  conversation::KnowledgeSearch* knowledge_;
  core::Family<core::Counter>& fallbacks_;
};

}  // namespace salesboost::brain
