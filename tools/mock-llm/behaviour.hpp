// What tools/mock-llm does for each request: its configurable behaviour
// (timing, replies, injected faults) and the pure pieces it is built from
// (splitting a reply into streamed tokens, deterministic embeddings).
// Thread-safe where noted.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace salesboost::mockllm {

// One injected failure, served to the next `count` chat requests.
struct Fault {
  enum class Kind {
    kStatus,      // HTTP `status` with an OpenAI error body
    kRateLimit,   // 429 with Retry-After: `retry_after_s`
    kStall,       // streams `after_tokens` tokens, then sends nothing for `stall_ms`
    kMalformed,   // streams `after_tokens` tokens, then a data line that is not JSON
    kDisconnect,  // streams `after_tokens` tokens, then closes the connection
    kErrorEvent,  // streams `after_tokens` tokens, then an error object as an event
    kSlow,        // the first token after `ttft_ms` instead of the configured time
  };
  Kind kind = Kind::kStatus;
  int count = 1;
  int status = 503;
  int retry_after_s = 1;
  int after_tokens = 0;
  int stall_ms = 60000;
  int ttft_ms = 0;
  std::string message = "injected failure";
};

struct ReplyRule {
  std::string contains;  // matched against every message's content
  std::string reply;
};

struct Behaviour {
  int ttft_ms = 50;
  double tokens_per_second = 100;  // 0: the whole reply right after the first token
  std::string reply;               // when no rule matches; empty: an echo of the last user message
  std::vector<ReplyRule> rules;
  double error_rate = 0;  // share of chat requests answered 500, drawn from `seed`
  std::uint64_t seed = 1;
  std::string api_key;  // when set, requests need "Authorization: Bearer <api_key>"
  std::vector<Fault> faults;
  int dimensions = 1024;  // of embeddings, unless the request asks for others
};

// Applies a JSON object's fields over `base`; unknown fields are errors.
core::Result<Behaviour> ParseBehaviour(const boost::json::object& json, Behaviour base);

// A reply as streamed: ASCII words with their trailing space, every other code point alone.
std::vector<std::string> SplitTokens(std::string_view text);

// A unit vector from hashed word and character-bigram features: equal texts
// give equal vectors, texts sharing words point the same way.
std::vector<float> HashEmbedding(std::string_view text, int dimensions);

// The reply to a chat request's messages under `behaviour`.
std::string ChooseReply(const Behaviour& behaviour, const boost::json::array& messages);

// The shared state of the server: behaviour, fault queue and counters.
class State {
 public:
  explicit State(Behaviour behaviour) : behaviour_(std::move(behaviour)), random_(behaviour_.seed) {}

  struct Plan {
    Behaviour behaviour;
    std::optional<Fault> fault;
    bool random_error = false;
  };
  // The behaviour for one chat request, taking the next fault if any.
  Plan NextChat(const boost::json::value& request);
  Behaviour Current() const;
  core::Result<void> Configure(const boost::json::object& json, bool reset);
  void Count(std::string_view counter, std::int64_t by = 1);
  // The time from a chat request read to its first token written, as this
  // server saw it; /_mock/stats reports its percentiles as first_token_ms.
  void RecordFirstToken(double ms);
  boost::json::object Stats() const;

 private:
  mutable std::mutex mutex_;
  Behaviour behaviour_;
  std::mt19937_64 random_;
  boost::json::object counters_;
  std::vector<double> first_token_ms_;
  boost::json::value last_chat_;
};

}  // namespace salesboost::mockllm
