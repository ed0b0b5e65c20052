// FakeChatProvider: an llm::ChatProvider that answers from a script instead of
// a network, for driving LLM agents through the port in unit tests. Each call
// to Stream takes the next scripted step: text streamed to the sink piece by
// piece (then returned whole), or an error. Calls are recorded. Not
// thread-safe: one test drives it from one thread.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "llm/chat_provider.hpp"

namespace salesboost::testing {

class FakeChatProvider final : public llm::ChatProvider {
 public:
  // One scripted answer: `pieces` streamed in order, or `error` when it is set.
  struct Step {
    std::vector<std::string> pieces;
    std::optional<core::Error> error;
  };

  explicit FakeChatProvider(std::string name, std::string model = "fake-model")
      : name_(std::move(name)), model_(std::move(model)) {}

  // Queues a reply streamed in `pieces`.
  void Reply(std::vector<std::string> pieces) { script_.push_back({.pieces = std::move(pieces), .error = {}}); }
  // Queues a failure before any text.
  void Fail(core::ErrorCode code, std::string message) {
    script_.push_back({.pieces = {}, .error = core::Error{code, std::move(message)}});
  }

  // Every request Stream received, in order.
  const std::vector<llm::ChatRequest>& Requests() const { return requests_; }

  const std::string& Name() const override { return name_; }
  const std::string& Model() const override { return model_; }

  boost::asio::awaitable<llm::CallResult<llm::ChatResult>> Stream(const llm::ChatRequest& request, llm::TokenSink& sink,
                                                                  std::chrono::steady_clock::time_point) override {
    requests_.push_back(request);
    if (script_.empty()) {
      co_return tl::unexpected(llm::CallError{.error = {core::ErrorCode::kUnavailable, "script exhausted"},
                                              .retry_after = std::nullopt,
                                              .streamed = false});
    }
    Step step = std::move(script_.front());
    script_.pop_front();
    if (step.error)
      co_return tl::unexpected(llm::CallError{.error = *step.error, .retry_after = std::nullopt, .streamed = false});
    llm::ChatResult result;
    for (auto& piece : step.pieces) {
      result.text += piece;
      if (!co_await sink.Token(std::move(piece))) {
        co_return tl::unexpected(llm::CallError{.error = {core::ErrorCode::kAborted, "stopped by the sink"},
                                                .retry_after = std::nullopt,
                                                .streamed = true});
      }
    }
    result.finish_reason = "stop";
    co_return result;
  }

  boost::asio::awaitable<llm::CallResult<std::vector<std::vector<float>>>> Embed(
      const std::vector<std::string>& inputs, std::chrono::steady_clock::time_point) override {
    // One-dimensional vectors: each input's length.
    std::vector<std::vector<float>> out;
    out.reserve(inputs.size());
    for (const auto& input : inputs) out.push_back({static_cast<float>(input.size())});
    co_return out;
  }

 private:
  std::string name_;
  std::string model_;
  std::deque<Step> script_;
  std::vector<llm::ChatRequest> requests_;
};

}  // namespace salesboost::testing
