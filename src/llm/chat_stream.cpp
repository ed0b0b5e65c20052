#include "llm/chat_stream.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>

namespace salesboost::llm {
namespace {

namespace json = boost::json;

std::string_view StringAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string()) : std::string_view();
}

core::Error ProviderError(const json::object& error) {
  const auto code = StringAt(error, "code");
  const auto type = StringAt(error, "type");
  auto message = StringAt(error, "message");
  if (message.empty()) message = "no message";
  const bool rate_limited =
      code == "rate_limit_exceeded" || type == "rate_limit_exceeded" || type == "rate_limit_error" || code == "429";
  return core::Error{rate_limited ? core::ErrorCode::kResourceExhausted : core::ErrorCode::kUnavailable,
                     fmt::format("the provider reported an error mid-stream: {}", message)};
}

}  // namespace

std::optional<TokenUsage> DecodeUsage(const json::object& reply) {
  const auto* usage = reply.if_contains("usage");
  if (usage == nullptr || !usage->is_object()) return std::nullopt;
  TokenUsage tokens;
  const auto& u = usage->get_object();
  if (const auto* p = u.if_contains("prompt_tokens"); p != nullptr && p->is_int64())
    tokens.prompt_tokens = p->get_int64();
  if (const auto* c = u.if_contains("completion_tokens"); c != nullptr && c->is_int64()) {
    tokens.completion_tokens = c->get_int64();
  }
  return tokens;
}

core::Result<std::optional<ChatDelta>> DecodeChatChunk(std::string_view data) {
  if (data == "[DONE]") return std::optional<ChatDelta>();
  boost::system::error_code ec;
  const auto parsed = json::parse(data, ec);
  if (ec || !parsed.is_object()) {
    return core::Fail(core::ErrorCode::kUnavailable, "the provider sent a stream chunk that is not JSON");
  }
  const auto& chunk = parsed.get_object();
  if (const auto* error = chunk.if_contains("error"); error != nullptr) {
    if (error->is_object()) return core::Fail(ProviderError(error->get_object()));
    return core::Fail(core::ErrorCode::kUnavailable, "the provider reported an error mid-stream");
  }
  ChatDelta delta;
  const auto* choices = chunk.if_contains("choices");
  if (choices == nullptr || !choices->is_array()) {
    return core::Fail(core::ErrorCode::kUnavailable, "the provider sent a stream chunk without choices");
  }
  if (!choices->get_array().empty() && choices->get_array().front().is_object()) {
    const auto& choice = choices->get_array().front().get_object();
    if (const auto* d = choice.if_contains("delta"); d != nullptr && d->is_object()) {
      delta.content = std::string(StringAt(d->get_object(), "content"));
    }
    delta.finish_reason = std::string(StringAt(choice, "finish_reason"));
  }
  delta.usage = DecodeUsage(chunk);
  return std::optional<ChatDelta>(std::move(delta));
}

}  // namespace salesboost::llm
