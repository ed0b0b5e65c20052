// ChatProvider: the port through which agents and the knowledge base reach a
// language model: chat completions streamed to a TokenSink, embeddings, and
// the names that label replies, metrics and vector indexes. llm::Provider
// (one configured OpenAI-compatible endpoint with its breaker, call slots and
// retries) implements it; tests substitute fakes. Also the vocabulary of a
// call: messages, request, result, and the error that says whether a retry
// can help. Implementations are thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "llm/chat_stream.hpp"

namespace salesboost::llm {

struct ChatMessage {
  std::string role;  // system, user, assistant
  std::string content;
  std::vector<std::string> image_urls;  // data: or https: URLs sent as image_url parts
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  double temperature = 0.7;
  int max_tokens = 512;
  bool json_object = false;  // response_format {"type": "json_object"}
};

struct ChatResult {
  std::string text;
  std::string finish_reason;
  TokenUsage usage;
  std::chrono::milliseconds first_token{0};  // from the request sent to the first text
  std::chrono::milliseconds elapsed{0};
};

struct CallError {
  core::Error error;
  std::optional<std::chrono::milliseconds> retry_after;  // from a 429 or 503
  bool streamed = false;                                 // some text had reached the sink
};

template <typename T>
using CallResult = tl::expected<T, CallError>;

// Receives streamed text as it arrives; returning false stops the call
// (it then fails with kAborted and streamed set).
class TokenSink {
 public:
  virtual ~TokenSink() = default;
  virtual boost::asio::awaitable<bool> Token(std::string text) = 0;
};

class ChatProvider {
 public:
  virtual ~ChatProvider() = default;

  // Names the provider (its configured name): reply engines, metric labels, logs.
  virtual const std::string& Name() const = 0;
  // The model the provider asks for.
  virtual const std::string& Model() const = 0;

  // A chat completion streamed to `sink` as text arrives; the result holds the
  // whole text. `request` and `sink` must outlive the returned awaitable. A call
  // the provider refuses outright (breaker open) fails at once with kUnavailable,
  // one that cannot start before `deadline` with kResourceExhausted.
  virtual boost::asio::awaitable<CallResult<ChatResult>> Stream(const ChatRequest& request, TokenSink& sink,
                                                                std::chrono::steady_clock::time_point deadline) = 0;
  // Embeddings of `inputs`, one vector each, in order. `inputs` must outlive the returned awaitable.
  virtual boost::asio::awaitable<CallResult<std::vector<std::vector<float>>>> Embed(
      const std::vector<std::string>& inputs, std::chrono::steady_clock::time_point deadline) = 0;
};

}  // namespace salesboost::llm
