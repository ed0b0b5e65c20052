#include "brain/structured_call.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "llm/fallback_counter.hpp"

namespace salesboost::brain {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::optional<json::object> ParseObject(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// Collects a streamed reply without passing it on.
class Collect final : public llm::TokenSink {
 public:
  asio::awaitable<bool> Token(std::string) override { co_return true; }
};

}  // namespace

std::optional<json::object> RepairJson(std::string_view text) {
  if (auto whole = ParseObject(text)) return whole;
  const auto open = text.find('{');
  const auto close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  return ParseObject(text.substr(open, close - open + 1));
}

StructuredCaller::StructuredCaller(std::string agent, std::vector<llm::ChatProvider*> chain,
                                   core::MetricsRegistry& metrics)
    : agent_(std::move(agent)), chain_(std::move(chain)), fallbacks_(llm::FallbackCounter(metrics)) {}

asio::awaitable<std::optional<json::object>> StructuredCaller::Ask(llm::ChatRequest request,
                                                                   const JsonValidator& validate,
                                                                   std::chrono::steady_clock::time_point deadline) {
  request.json_object = true;
  for (auto* provider : chain_) {
    llm::ChatRequest attempt = request;
    std::string reason;
    for (int round = 0; round < 2; ++round) {
      Collect sink;
      auto reply = co_await provider->Stream(attempt, sink, deadline);
      if (!reply) {
        reason = std::string(core::ErrorCodeName(reply.error().error.code));
        break;
      }
      auto object = RepairJson(reply->text);
      std::string problem = "the reply is not a JSON object";
      if (object) {
        auto valid = validate(*object);
        if (valid) co_return object;
        problem = valid.error().message;
      }
      reason = "invalid_output";
      // Once more, with what was wrong.
      attempt.messages.push_back({.role = "assistant", .content = reply->text, .image_urls = {}});
      attempt.messages.push_back(
          {.role = "user",
           .content = fmt::format("That answer cannot be used: {}. Answer again with only the JSON object.", problem),
           .image_urls = {}});
    }
    fallbacks_.With({agent_, provider->Name(), reason}).Inc();
  }
  co_return std::nullopt;
}

}  // namespace salesboost::brain
