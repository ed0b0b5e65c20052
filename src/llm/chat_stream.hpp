// Decoding the `data:` payloads of an OpenAI-compatible streamed chat
// completion (POST /v1/chat/completions with "stream": true): each payload is
// a chat.completion.chunk, "[DONE]" ends the stream, and a provider may send
// an error object instead of a chunk in the middle of the stream. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::llm {

struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

struct ChatDelta {
  std::string content;              // text of choices[0].delta.content; may be empty (role-only or final chunks)
  std::string finish_reason;        // "stop", "length", ... on the last chunk; empty before
  std::optional<TokenUsage> usage;  // when the provider reports it (stream_options.include_usage)
};

// The "usage" object of a chat completion or chunk, if it has one.
std::optional<TokenUsage> DecodeUsage(const boost::json::object& reply);

// nullopt for "[DONE]". An error object becomes kResourceExhausted (rate limits)
// or kUnavailable (anything else, retryable on another provider) with the
// provider's message; a payload that is not a chunk is kUnavailable too.
core::Result<std::optional<ChatDelta>> DecodeChatChunk(std::string_view data);

}  // namespace salesboost::llm
