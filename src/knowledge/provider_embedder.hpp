// ProviderEmbedder: the Embedder on an OpenAI-compatible /v1/embeddings
// endpoint (BGE-M3 and the like) through an llm::ChatProvider, so its breaker,
// call slots and retries apply. Thread-safe; the provider must outlive it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "knowledge/embedder.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::knowledge {

class ProviderEmbedder final : public Embedder {
 public:
  explicit ProviderEmbedder(llm::ChatProvider& provider) : provider_(provider) {}
  boost::asio::awaitable<core::Result<std::vector<std::vector<float>>>> Embed(
      std::vector<std::string> texts, std::chrono::milliseconds budget) override {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    auto vectors = co_await provider_.Embed(texts, deadline);
    if (!vectors) co_return core::Fail(vectors.error().error);
    co_return std::move(*vectors);
  }
  std::string Model() const override { return provider_.Name() + "/" + provider_.Model(); }

 private:
  llm::ChatProvider& provider_;
};

}  // namespace salesboost::knowledge
