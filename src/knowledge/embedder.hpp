// Embedder: the port that turns text into dense vectors (ProviderEmbedder
// calls an OpenAI-compatible endpoint). Implementations are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace salesboost::knowledge {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // One vector per text, in order.
  virtual boost::asio::awaitable<core::Result<std::vector<std::vector<float>>>> Embed(
      std::vector<std::string> texts, std::chrono::milliseconds budget) = 0;
  // Names the model: vectors of different models never share an index.
  virtual std::string Model() const = 0;
};

}  // namespace salesboost::knowledge
