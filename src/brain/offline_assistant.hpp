// OfflineAssistant: assist without a model download or network. It reads
// the customer's intent with the customer-intent classifier, searches the
// knowledge base for what the customer asked about, and writes up to three
// replies from per-intent techniques, the strongest fact first; every reply
// passes the compliance checker before it is offered. Thread-safe.
#pragma once

#include "conversation/agents.hpp"

namespace salesboost::brain {

class OfflineAssistant final : public conversation::Assistant {
 public:
  OfflineAssistant(const conversation::CustomerIntentClassifier& intents, conversation::KnowledgeSearch& knowledge,
                   conversation::ComplianceChecker& compliance)
      : intents_(intents), knowledge_(knowledge), compliance_(compliance) {}

  boost::asio::awaitable<core::Result<conversation::Assistance>> Assist(conversation::AssistRequest request) override;

 private:
  const conversation::CustomerIntentClassifier& intents_;
  conversation::KnowledgeSearch& knowledge_;
  conversation::ComplianceChecker& compliance_;
};

}  // namespace salesboost::brain
