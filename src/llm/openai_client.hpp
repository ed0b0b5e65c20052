// OpenAiClient: one OpenAI-compatible endpoint (DeepSeek, SiliconFlow,
// OpenAI, vLLM, Ollama, llama.cpp server): chat completions whole or streamed
// (server-sent events), embeddings, image inputs, token usage. Failures carry
// what the caller needs to decide on a retry: the code, the server's
// Retry-After and whether any text was already handed on. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "llm/chat_provider.hpp"
#include "llm/chat_stream.hpp"
#include "net/http_client.hpp"

namespace salesboost::llm {

using std::chrono::milliseconds;

struct EndpointOptions {
  std::string base_url;  // e.g. https://api.deepseek.com/v1 (the part before /chat/completions)
  std::string model;
  std::string api_key;  // resolved; empty sends no Authorization header
  milliseconds connect_timeout{5000};
  milliseconds first_token_timeout{15000};
  milliseconds idle_timeout{10000};   // between streamed pieces
  milliseconds total_timeout{60000};  // one call
};

class OpenAiClient {
 public:
  OpenAiClient(net::HttpClient& http, EndpointOptions options);

  boost::asio::awaitable<CallResult<ChatResult>> Complete(const ChatRequest& request);
  // Hands each piece of text to `sink` as it arrives, then returns the whole.
  // The call ends by `deadline` if that comes before its total timeout.
  boost::asio::awaitable<CallResult<ChatResult>> Stream(
      const ChatRequest& request, TokenSink& sink,
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());
  // One vector per input, in order.
  boost::asio::awaitable<CallResult<std::vector<std::vector<float>>>> Embed(const std::vector<std::string>& inputs);

  // Replaces the API key for calls that start from now on (a rotated
  // secret). Returns whether it differed from the key in use.
  bool SetApiKey(std::string api_key);

 private:
  net::HttpRequest Post(
      const std::string& path, std::string body,
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max()) const;

  // A POST whose 2xx reply must be a JSON object.
  boost::asio::awaitable<CallResult<boost::json::object>> PostJson(const std::string& path, std::string body,
                                                                   std::size_t limit);

  net::HttpClient& http_;
  EndpointOptions options_;  // api_key guarded by key_mutex_
  mutable std::mutex key_mutex_;
};

// The request body for /chat/completions (exposed for prompt-stability tests).
std::string ChatBody(const std::string& model, const ChatRequest& request, bool stream);

// A non-2xx reply as an error: 400/404/422 invalid_argument, 401 unauthenticated,
// 403 permission_denied, 408 deadline_exceeded, 429 resource_exhausted,
// anything else unavailable; the provider's own message when it sent one.
CallError StatusError(int status, std::string_view body, std::optional<std::string> retry_after);

}  // namespace salesboost::llm
