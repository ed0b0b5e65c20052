#include "llm/openai_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "llm/sse_parser.hpp"

namespace salesboost::llm {
namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxReplyBytes = 8 << 20;

milliseconds Since(Clock::time_point start) { return std::chrono::duration_cast<milliseconds>(Clock::now() - start); }

CallError Plain(core::Error error, bool streamed = false) {
  return CallError{.error = std::move(error), .retry_after = std::nullopt, .streamed = streamed};
}

json::value MessageJson(const ChatMessage& m) {
  if (m.image_urls.empty()) return json::object{{"role", m.role}, {"content", m.content}};
  json::array parts;
  parts.push_back(json::object{{"type", "text"}, {"text", m.content}});
  for (const auto& url : m.image_urls) {
    parts.push_back(json::object{{"type", "image_url"}, {"image_url", json::object{{"url", url}}}});
  }
  return json::object{{"role", m.role}, {"content", std::move(parts)}};
}

}  // namespace

std::string ChatBody(const std::string& model, const ChatRequest& request, bool stream) {
  json::array messages;
  for (const auto& m : request.messages) messages.push_back(MessageJson(m));
  // The messages come first and nothing per-call precedes them, so a
  // provider's prefix cache sees the same bytes turn after turn.
  json::object body{{"model", model},
                    {"messages", std::move(messages)},
                    {"temperature", request.temperature},
                    {"max_tokens", request.max_tokens},
                    {"stream", stream}};
  if (stream) body["stream_options"] = json::object{{"include_usage", true}};
  if (request.json_object) body["response_format"] = json::object{{"type", "json_object"}};
  return json::serialize(body);
}

CallError StatusError(int status, std::string_view body, std::optional<std::string> retry_after) {
  core::ErrorCode code = core::ErrorCode::kUnavailable;
  if (status == 400 || status == 404 || status == 422) code = core::ErrorCode::kInvalidArgument;
  if (status == 401) code = core::ErrorCode::kUnauthenticated;
  if (status == 403) code = core::ErrorCode::kPermissionDenied;
  if (status == 408) code = core::ErrorCode::kDeadlineExceeded;
  if (status == 429) code = core::ErrorCode::kResourceExhausted;
  std::string message = fmt::format("the provider answered HTTP {}", status);
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto* error = parsed.get_object().if_contains("error");
    if (error != nullptr && error->is_object()) {
      const auto* text = error->get_object().if_contains("message");
      if (text != nullptr && text->is_string()) message += fmt::format(": {}", std::string_view(text->get_string()));
    }
  }
  CallError out = Plain(core::Error{code, std::move(message)});
  if (retry_after) out.retry_after = net::ParseRetryAfter(*retry_after);
  return out;
}

OpenAiClient::OpenAiClient(net::HttpClient& http, EndpointOptions options) : http_(http), options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

net::HttpRequest OpenAiClient::Post(const std::string& path, std::string body, Clock::time_point deadline) const {
  auto total = options_.total_timeout;
  if (deadline != Clock::time_point::max()) {
    total = std::clamp(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()), milliseconds(1), total);
  }
  net::HttpRequest request{.method = "POST",
                           .url = options_.base_url + path,
                           .headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
                           .body = std::move(body),
                           .connect_timeout = options_.connect_timeout,
                           .first_byte_timeout = options_.first_token_timeout,
                           .idle_timeout = options_.idle_timeout,
                           .total_timeout = total};
  std::lock_guard lock(key_mutex_);
  if (!options_.api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
  return request;
}

bool OpenAiClient::SetApiKey(std::string api_key) {
  std::lock_guard lock(key_mutex_);
  if (api_key == options_.api_key) return false;
  options_.api_key = std::move(api_key);
  return true;
}

asio::awaitable<CallResult<json::object>> OpenAiClient::PostJson(const std::string& path, std::string body,
                                                                 std::size_t limit) {
  auto reply = co_await http_.Fetch(Post(path, std::move(body)), limit);
  if (!reply) co_return tl::unexpected(Plain(reply.error()));
  if (reply->status / 100 != 2) {
    co_return tl::unexpected(StatusError(reply->status, reply->body, reply->Header("retry-after")));
  }
  boost::system::error_code ec;
  auto parsed = json::parse(reply->body, ec);
  if (ec || !parsed.is_object()) {
    co_return tl::unexpected(
        Plain(core::Error{core::ErrorCode::kUnavailable, "the provider's reply is not a JSON object"}));
  }
  co_return std::move(parsed.as_object());
}

asio::awaitable<CallResult<ChatResult>> OpenAiClient::Complete(const ChatRequest& request) {
  const auto start = Clock::now();
  auto reply = co_await PostJson("/chat/completions", ChatBody(options_.model, request, false), kMaxReplyBytes);
  if (!reply) co_return tl::unexpected(std::move(reply.error()));
  ChatResult result;
  result.usage = DecodeUsage(*reply).value_or(TokenUsage{});
  const json::object* message = nullptr;
  const auto* choices = reply->if_contains("choices");
  if (choices != nullptr && choices->is_array() && !choices->get_array().empty() &&
      choices->get_array().front().is_object()) {
    const auto& choice = choices->get_array().front().get_object();
    const auto* m = choice.if_contains("message");
    if (m != nullptr && m->is_object()) message = &m->get_object();
    const auto* finish = choice.if_contains("finish_reason");
    if (finish != nullptr && finish->is_string()) result.finish_reason = std::string(finish->get_string());
  }
  const auto* content = message != nullptr ? message->if_contains("content") : nullptr;
  if (content == nullptr || !content->is_string()) {
    co_return tl::unexpected(
        Plain(core::Error{core::ErrorCode::kUnavailable, "the provider's reply has no choices[0].message.content"}));
  }
  result.text = std::string(content->get_string());
  result.elapsed = Since(start);
  result.first_token = result.elapsed;
  co_return result;
}

asio::awaitable<CallResult<ChatResult>> OpenAiClient::Stream(const ChatRequest& request, TokenSink& sink,
                                                             Clock::time_point deadline) {
  const auto start = Clock::now();
  auto exchange = co_await http_.Open(Post("/chat/completions", ChatBody(options_.model, request, true), deadline));
  if (!exchange) co_return tl::unexpected(Plain(exchange.error()));
  auto& x = **exchange;
  if (x.Status() / 100 != 2) {
    auto body = co_await x.ReadAll(std::size_t{64} * 1024);
    co_return tl::unexpected(StatusError(x.Status(), body ? *body : std::string(), x.Header("retry-after")));
  }
  SseParser parser;
  ChatResult result;
  std::vector<SseEvent> events;
  bool done = false;
  while (!done) {
    auto piece = co_await x.Read();
    const bool streamed = !result.text.empty();
    if (!piece) co_return tl::unexpected(Plain(piece.error(), streamed));
    if (!*piece) break;
    events.clear();
    if (auto fed = parser.Feed(**piece, events); !fed) co_return tl::unexpected(Plain(fed.error(), streamed));
    for (const auto& event : events) {
      auto delta = DecodeChatChunk(event.data);
      if (!delta) co_return tl::unexpected(Plain(delta.error(), !result.text.empty()));
      if (!*delta) {
        done = true;
        break;
      }
      if ((*delta)->usage) result.usage = *(*delta)->usage;
      if (!(*delta)->finish_reason.empty()) result.finish_reason = (*delta)->finish_reason;
      if (!(*delta)->content.empty()) {
        if (result.text.empty()) result.first_token = Since(start);
        result.text += (*delta)->content;
        if (result.text.size() > kMaxReplyBytes) {
          co_return tl::unexpected(
              Plain(core::Error{core::ErrorCode::kUnavailable, "the provider's reply is too long"}, true));
        }
        if (!co_await sink.Token(std::move((*delta)->content))) {
          co_return tl::unexpected(
              Plain(core::Error{core::ErrorCode::kAborted, "the reply was stopped by its receiver"}, true));
        }
      }
    }
  }
  if (!done && result.finish_reason.empty()) {
    co_return tl::unexpected(Plain(
        core::Error{core::ErrorCode::kUnavailable, "the provider's stream ended before [DONE]"}, !result.text.empty()));
  }
  result.elapsed = Since(start);
  co_return result;
}

asio::awaitable<CallResult<std::vector<std::vector<float>>>> OpenAiClient::Embed(
    const std::vector<std::string>& inputs) {
  json::array input;
  for (const auto& text : inputs) input.emplace_back(text);
  json::object body{{"model", options_.model}, {"input", std::move(input)}};
  auto reply = co_await PostJson("/embeddings", json::serialize(body), std::size_t{64} << 20);
  if (!reply) co_return tl::unexpected(std::move(reply.error()));
  const auto* d = reply->if_contains("data");
  const json::array* data = d != nullptr && d->is_array() ? &d->get_array() : nullptr;
  auto bad = [] {
    return tl::unexpected(
        Plain(core::Error{core::ErrorCode::kUnavailable, "the provider's embeddings reply is malformed"}));
  };
  if (data == nullptr || data->size() != inputs.size()) co_return bad();
  std::vector<std::vector<float>> vectors(inputs.size());
  for (const auto& item : *data) {
    if (!item.is_object()) co_return bad();
    const auto* index = item.get_object().if_contains("index");
    const auto* embedding = item.get_object().if_contains("embedding");
    if (index == nullptr || !index->is_int64() || embedding == nullptr || !embedding->is_array()) co_return bad();
    const auto i = index->get_int64();
    if (i < 0 || static_cast<std::size_t>(i) >= vectors.size()) co_return bad();
    auto& v = vectors[static_cast<std::size_t>(i)];
    for (const auto& x : embedding->get_array()) {
      if (!x.is_number()) co_return bad();
      v.push_back(static_cast<float>(x.to_number<double>()));
    }
  }
  co_return vectors;
}

}  // namespace salesboost::llm
