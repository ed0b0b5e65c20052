// Structured output from LLM providers: a JSON object that a validator
// accepts. Providers are asked in order; a reply that is not valid JSON is
// repaired when it can be (code fences and text around the object removed);
// one that still fails validation is asked for again once, with the error;
// then the next provider. Nothing acceptable from any: nullopt, and the
// caller uses its offline engine. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "llm/chat_provider.hpp"

namespace salesboost::brain {

using JsonValidator = std::function<core::Result<void>(const boost::json::object&)>;

// The JSON object in a model's reply: the whole text, or the part between the
// first '{' and the last '}' (after code fences and prose); nullopt if none parses.
std::optional<boost::json::object> RepairJson(std::string_view text);

class StructuredCaller {
 public:
  // `agent` labels the fallback metric (coach, evaluator).
  StructuredCaller(std::string agent, std::vector<llm::ChatProvider*> chain, core::MetricsRegistry& metrics);

  boost::asio::awaitable<std::optional<boost::json::object>> Ask(llm::ChatRequest request,
                                                                 const JsonValidator& validate,
                                                                 std::chrono::steady_clock::time_point deadline);
  bool Empty() const { return chain_.empty(); }

 private:
  std::string agent_;
  std::vector<llm::ChatProvider*> chain_;
  core::Family<core::Counter>& fallbacks_;
};

}  // namespace salesboost::brain
