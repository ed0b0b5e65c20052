#include "behaviour.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <string>
#include <utility>

#include "core/percentiles.hpp"

namespace salesboost::mockllm {
namespace json = boost::json;
namespace {

core::Error Bad(std::string message) { return core::Error{core::ErrorCode::kInvalidArgument, std::move(message)}; }

core::Result<Fault::Kind> KindOf(std::string_view name) {
  if (name == "status") return Fault::Kind::kStatus;
  if (name == "rate_limit") return Fault::Kind::kRateLimit;
  if (name == "stall") return Fault::Kind::kStall;
  if (name == "malformed") return Fault::Kind::kMalformed;
  if (name == "disconnect") return Fault::Kind::kDisconnect;
  if (name == "error_event") return Fault::Kind::kErrorEvent;
  if (name == "slow") return Fault::Kind::kSlow;
  return core::Fail(Bad("unknown fault kind '" + std::string(name) + "'"));
}

core::Result<int> Int(const json::value& v, std::string_view name) {
  if (!v.is_int64() && !v.is_uint64()) return core::Fail(Bad(std::string(name) + " must be an integer"));
  return static_cast<int>(v.to_number<std::int64_t>());
}

core::Result<double> Number(const json::value& v, std::string_view name) {
  if (!v.is_number()) return core::Fail(Bad(std::string(name) + " must be a number"));
  return v.to_number<double>();
}

core::Result<std::string> String(const json::value& v, std::string_view name) {
  if (!v.is_string()) return core::Fail(Bad(std::string(name) + " must be a string"));
  return std::string(v.as_string());
}

core::Result<Fault> ParseFault(const json::value& v) {
  if (!v.is_object()) return core::Fail(Bad("a fault must be an object"));
  Fault fault;
  for (const auto& [key, value] : v.as_object()) {
    if (key == "kind") {
      auto name = String(value, "kind");
      if (!name) return core::Fail(name.error());
      auto kind = KindOf(*name);
      if (!kind) return core::Fail(kind.error());
      fault.kind = *kind;
    } else if (key == "message") {
      auto s = String(value, key);
      if (!s) return core::Fail(s.error());
      fault.message = *s;
    } else {
      auto n = Int(value, key);
      if (!n) return core::Fail(n.error());
      if (key == "count")
        fault.count = *n;
      else if (key == "status")
        fault.status = *n;
      else if (key == "retry_after_s")
        fault.retry_after_s = *n;
      else if (key == "after_tokens")
        fault.after_tokens = *n;
      else if (key == "stall_ms")
        fault.stall_ms = *n;
      else if (key == "ttft_ms")
        fault.ttft_ms = *n;
      else
        return core::Fail(Bad("unknown fault field '" + std::string(key) + "'"));
    }
  }
  return fault;
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

core::Result<Behaviour> ParseBehaviour(const json::object& object, Behaviour b) {
  for (const auto& [key, value] : object) {
    if (key == "ttft_ms") {
      auto n = Int(value, key);
      if (!n) return core::Fail(n.error());
      b.ttft_ms = *n;
    } else if (key == "tokens_per_second") {
      auto n = Number(value, key);
      if (!n) return core::Fail(n.error());
      b.tokens_per_second = *n;
    } else if (key == "error_rate") {
      auto n = Number(value, key);
      if (!n) return core::Fail(n.error());
      b.error_rate = *n;
    } else if (key == "seed") {
      auto n = Int(value, key);
      if (!n) return core::Fail(n.error());
      b.seed = static_cast<std::uint64_t>(*n);
    } else if (key == "dimensions") {
      auto n = Int(value, key);
      if (!n || *n <= 0 || *n > 8192) return core::Fail(Bad("dimensions must be an integer in 1..8192"));
      b.dimensions = *n;
    } else if (key == "reply" || key == "api_key") {
      auto s = String(value, key);
      if (!s) return core::Fail(s.error());
      (key == "reply" ? b.reply : b.api_key) = *s;
    } else if (key == "rules") {
      if (!value.is_array()) return core::Fail(Bad("rules must be an array"));
      b.rules.clear();
      for (const auto& rule : value.as_array()) {
        if (!rule.is_object() || !rule.as_object().contains("contains") || !rule.as_object().contains("reply") ||
            !rule.at("contains").is_string() || !rule.at("reply").is_string()) {
          return core::Fail(Bad("a rule is {\"contains\": string, \"reply\": string}"));
        }
        b.rules.push_back(
            ReplyRule{std::string(rule.at("contains").as_string()), std::string(rule.at("reply").as_string())});
      }
    } else if (key == "faults") {
      if (!value.is_array()) return core::Fail(Bad("faults must be an array"));
      b.faults.clear();
      for (const auto& f : value.as_array()) {
        auto fault = ParseFault(f);
        if (!fault) return core::Fail(fault.error());
        b.faults.push_back(std::move(*fault));
      }
    } else {
      return core::Fail(Bad("unknown behaviour field '" + std::string(key) + "'"));
    }
  }
  return b;
}

std::vector<std::string> SplitTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (c >= 0xF0)
      len = 4;
    else if (c >= 0xE0)
      len = 3;
    else if (c >= 0xC0)
      len = 2;
    len = std::min(len, text.size() - i);
    if (len == 1) {
      word.push_back(static_cast<char>(c));
      if (c == ' ' || c == '\n') {
        tokens.push_back(std::move(word));
        word.clear();
      }
    } else {
      if (!word.empty()) tokens.push_back(std::move(word));
      word.clear();
      tokens.emplace_back(text.substr(i, len));
    }
    i += len;
  }
  if (!word.empty()) tokens.push_back(std::move(word));
  return tokens;
}

std::vector<float> HashEmbedding(std::string_view text, int dimensions) {
  std::vector<float> v(static_cast<std::size_t>(dimensions), 0.0F);
  auto add = [&](std::string_view feature) {
    const auto h = Fnv1a(feature);
    v[h % v.size()] += (h >> 63) != 0U ? -1.0F : 1.0F;
  };
  const auto tokens = SplitTokens(text);
  std::string previous;
  for (const auto& token : tokens) {
    std::string t = token;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.pop_back();
    if (t.empty()) continue;
    for (auto& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    add(t);
    if (!previous.empty()) add(previous + "\x1f" + t);
    previous = t;
  }
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  if (norm == 0) {
    v[Fnv1a(text) % v.size()] = 1.0F;
    return v;
  }
  const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
  for (auto& x : v) x *= scale;
  return v;
}

std::string ChooseReply(const Behaviour& behaviour, const json::array& messages) {
  for (const auto& rule : behaviour.rules) {
    for (const auto& m : messages) {
      if (m.is_object() && m.as_object().contains("content") && m.at("content").is_string() &&
          std::string_view(m.at("content").as_string()).find(rule.contains) != std::string_view::npos) {
        return rule.reply;
      }
    }
  }
  if (!behaviour.reply.empty()) return behaviour.reply;
  std::string last;
  for (const auto& m : messages) {
    if (m.is_object() && m.as_object().contains("role") && m.at("role") == "user" && m.at("content").is_string()) {
      last = std::string(m.at("content").as_string());
    }
  }
  if (last.size() > 120) {
    std::size_t cut = 120;
    while (cut > 0 && (static_cast<unsigned char>(last[cut]) & 0xC0U) == 0x80U) --cut;  // not inside a code point
    last.resize(cut);
  }
  return "I hear you. You said: " + last;
}

State::Plan State::NextChat(const json::value& request) {
  std::lock_guard lock(mutex_);
  Plan plan{.behaviour = behaviour_, .fault = std::nullopt, .random_error = false};
  last_chat_ = request;
  if (!behaviour_.faults.empty()) {
    auto& fault = behaviour_.faults.front();
    plan.fault = fault;
    if (--fault.count <= 0) behaviour_.faults.erase(behaviour_.faults.begin());
  } else if (behaviour_.error_rate > 0) {
    plan.random_error = std::uniform_real_distribution<double>(0, 1)(random_) < behaviour_.error_rate;
  }
  plan.behaviour.faults.clear();
  return plan;
}

Behaviour State::Current() const {
  std::lock_guard lock(mutex_);
  return behaviour_;
}

core::Result<void> State::Configure(const json::object& object, bool reset) {
  std::lock_guard lock(mutex_);
  auto parsed = ParseBehaviour(object, reset ? Behaviour{} : behaviour_);
  if (!parsed) return core::Fail(parsed.error());
  behaviour_ = std::move(*parsed);
  random_.seed(behaviour_.seed);
  if (reset) {
    counters_.clear();
    first_token_ms_.clear();
  }
  return core::Ok();
}

void State::Count(std::string_view counter, std::int64_t by) {
  std::lock_guard lock(mutex_);
  auto& slot = counters_[counter];
  slot = (slot.is_int64() ? slot.as_int64() : 0) + by;
}

void State::RecordFirstToken(double ms) {
  std::lock_guard lock(mutex_);
  first_token_ms_.push_back(ms);
}

json::object State::Stats() const {
  std::lock_guard lock(mutex_);
  json::object out = counters_;
  if (!first_token_ms_.empty()) {
    const auto ms = core::Summarize(first_token_ms_);
    out["first_token_ms"] = json::object{{"count", static_cast<std::int64_t>(ms.count)},
                                         {"mean", ms.mean},
                                         {"p50", ms.p50},
                                         {"p90", ms.p90},
                                         {"p99", ms.p99},
                                         {"max", ms.max}};
  }
  out["last_chat_request"] = last_chat_;
  out["faults_left"] = static_cast<std::int64_t>(behaviour_.faults.size());
  return out;
}

}  // namespace salesboost::mockllm
