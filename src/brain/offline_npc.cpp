#include "brain/offline_npc.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>

#include "brain/conduct_rules.hpp"
#include "brain/localized.hpp"
#include "brain/text_match.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;
using conversation::NpcReply;
using conversation::TurnContext;
using conversation::TurnOutcome;

constexpr double kLeaveBelow = 0.1;   // the customer ends the call under this mood
constexpr double kCloseAbove = 0.45;  // and accepts a close only above this one

std::uint64_t Mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

const json::array* List(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

std::string Id(const json::value& item) {
  const auto* id = item.is_object() ? item.get_object().if_contains("id") : nullptr;
  return id != nullptr && id->is_string() ? std::string(id->get_string()) : std::string();
}

class Speaker {
 public:
  explicit Speaker(const TurnContext& turn) : turn_(turn) {
    const auto* templates = turn.persona.if_contains("templates");
    if (templates != nullptr && templates->is_object()) {
      const auto& by_language = templates->get_object();
      const auto* mine = by_language.if_contains(turn.session.language);
      if (mine == nullptr && !by_language.empty()) mine = &by_language.begin()->value();
      if (mine != nullptr && mine->is_object()) templates_ = &mine->get_object();
    }
  }

  // A template of `kind` with {placeholder} replaced by `value`; the variant is
  // chosen by the seed, the turn and the kind.
  std::string Say(std::string_view kind, std::string_view placeholder = {}, std::string_view value = {}) const {
    std::string text;
    const json::array* variants = templates_ != nullptr ? List(*templates_, kind) : nullptr;
    if (variants != nullptr && !variants->empty()) {
      const auto h =
          Mix(turn_.seed ^ Mix(static_cast<std::uint64_t>(turn_.turn_index)) ^ std::hash<std::string_view>{}(kind));
      const auto& chosen = (*variants)[h % variants->size()];
      if (chosen.is_string()) text = chosen.get_string();
    }
    if (text.empty()) text = placeholder.empty() ? std::string(kind) : fmt::format("{{{}}}", placeholder);
    if (!placeholder.empty()) {
      const std::string token = fmt::format("{{{}}}", placeholder);
      if (const auto at = text.find(token); at != std::string::npos) text.replace(at, token.size(), value);
    }
    return text;
  }

 private:
  const TurnContext& turn_;
  const json::object* templates_ = nullptr;
};

}  // namespace

std::vector<std::string> SplitDeltas(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  int cjk = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = core::Utf8SequenceLength(text.substr(i));
    if (n == 0) n = 1;
    const std::string_view piece = text.substr(i, n);
    i += n;
    current.append(piece);
    if (n >= 3) {  // CJK and other wide scripts: two characters a delta
      if (++cjk == 2) out.push_back(std::exchange(current, {})), cjk = 0;
    } else if (piece == " ") {
      out.push_back(std::exchange(current, {}));
      cjk = 0;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

NpcReply OfflineNpc::Decide(const TurnContext& turn) {
  const auto& persona = turn.persona;
  const std::string& lang = turn.session.language;
  const std::string folded = core::FoldText(turn.text);
  const std::string& act = turn.act.label;
  const auto& customer = turn.customer;
  const Speaker speaker(turn);
  const double volatility = persona.contains("volatility") && persona.at("volatility").is_number()
                                ? persona.at("volatility").to_number<double>()
                                : 0.3;
  NpcReply reply;
  auto mood = [&](double delta, std::string_view cause) {
    reply.mood_delta += delta;
    if (reply.mood_cause.empty()) reply.mood_cause = cause;
  };
  if (ContainsAny(folded, EmpathyCues())) mood(0.05, "empathy");
  // How the customer is treated: the conduct rules say it, not a classifier's guess.
  for (const auto& finding : ConductRules::Builtin().Find(turn.text, lang)) {
    const bool insult = finding.rule == "insult";
    const bool blocker = finding.level == "BLOCK";
    mood((insult ? -0.35 : blocker ? -0.15 : -0.1) * (1 + volatility), finding.rule);
  }
  // An unsure classifier's "off topic" costs nothing: a low-confidence label never drives a penalty.
  if (act == "off_topic" && turn.act.confidence >= conversation::kSureOfAct) mood(-0.03, "off_topic");

  const json::array empty;
  const json::array& objections = List(persona, "objections") ? *List(persona, "objections") : empty;
  auto objection_text = [&](const json::value& o) { return Localized(o.get_object().if_contains("text"), lang); };
  auto raise = [&](const json::value& o, std::string_view cause) {
    reply.raised.push_back(Id(o));
    reply.text = speaker.Say("raise_objection", "objection", objection_text(o));
    reply.intent = Id(o) == "price" ? "price_objection" : "hesitation";
    mood(-0.05 * (1 + volatility), cause);
  };
  auto is_open = [&](const std::string& id) { return customer.raised.contains(id) && !customer.resolved.contains(id); };

  // 1. An open objection answered with what resolves it.
  for (const auto& o : objections) {
    if (!o.is_object() || !is_open(Id(o))) continue;
    const auto* resolved_by = List(o.get_object(), "resolved_by");
    if (resolved_by != nullptr && !FirstMatch(folded, *resolved_by).empty()) {
      reply.resolved.push_back(Id(o));
      reply.text = speaker.Say("objection_resolved");
      reply.intent = "positive_feedback";
      mood(0.1, "objection_resolved");
      break;
    }
  }
  // 2. A trigger of an objection not raised yet; a message that already answers it (the fee
  //    stated with its waiver) settles it at once instead.
  if (reply.text.empty()) {
    for (const auto& o : objections) {
      if (!o.is_object() || customer.raised.contains(Id(o))) continue;
      const auto* triggers = List(o.get_object(), "triggers");
      if (triggers == nullptr || FirstMatch(folded, *triggers).empty()) continue;
      const auto* resolved_by = List(o.get_object(), "resolved_by");
      if (resolved_by != nullptr && !FirstMatch(folded, *resolved_by).empty()) {
        reply.raised.push_back(Id(o));
        reply.resolved.push_back(Id(o));
        reply.text = speaker.Say("objection_resolved");
        reply.intent = "positive_feedback";
        mood(0.05, "objection_answered_upfront");
      } else {
        raise(o, "objection");
      }
      break;
    }
  }
  // 3. A close: every closing condition must have been raised and resolved.
  if (reply.text.empty() && (act == "trial_close" || act == "close")) {
    const json::value* unmet = nullptr;
    if (const auto* conditions = List(persona, "close_conditions")) {
      for (const auto& condition : *conditions) {
        if (!condition.is_string()) continue;
        const std::string id(condition.get_string());
        if (customer.resolved.contains(id)) continue;
        for (const auto& o : objections) {
          if (Id(o) == id) unmet = &o;
        }
        if (unmet != nullptr) break;
      }
    }
    if (unmet != nullptr && !customer.raised.contains(Id(*unmet))) {
      raise(*unmet, "objection");
    } else if (unmet == nullptr && customer.mood + reply.mood_delta >= kCloseAbove && !customer.revealed.empty()) {
      reply.text = speaker.Say("accept_close");
      reply.intent = "final_confirmation";
      reply.outcome = TurnOutcome::kWon;
      mood(0.1, "accepted_close");
    } else {
      reply.text = speaker.Say("reject_close");
      reply.intent = "soft_rejection";
      mood(-0.05, "premature_close");
    }
  }
  // 4. A question: reveal a need or pain it touches; an open question earns one anyway.
  if (reply.text.empty() && (act == "open_question" || act == "closed_question" || act == "needs_summary")) {
    const json::value* touched = nullptr;
    const json::value* next = nullptr;
    for (const char* key : {"needs", "hidden_pains"}) {
      const auto* items = List(persona, key);
      if (items == nullptr) continue;
      for (const auto& item : *items) {
        if (!item.is_object() || customer.revealed.contains(Id(item))) continue;
        // Hidden pains only come out to open questions.
        if (std::string_view(key) == "hidden_pains" && act != "open_question") continue;
        const auto* cues = List(item.get_object(), "revealed_by");
        if (touched == nullptr && cues != nullptr && !FirstMatch(folded, *cues).empty()) touched = &item;
        if (next == nullptr && std::string_view(key) == "needs") next = &item;
      }
    }
    const json::value* reveal = touched != nullptr ? touched : (act == "open_question" ? next : nullptr);
    if (reveal != nullptr) {
      reply.revealed.push_back(Id(*reveal));
      reply.text = speaker.Say("reveal_need", "need", Localized(reveal->get_object().if_contains("text"), lang));
      reply.intent = "benefit_inquiry";
      mood(0.05, "good_question");
    }
  }
  // 5. A pitch before any need is known: the customer pushes back.
  if (reply.text.empty() && (act == "value_statement" || act == "evidence") && customer.revealed.empty()) {
    for (const auto& o : objections) {
      if (o.is_object() && !customer.raised.contains(Id(o))) {
        raise(o, "pitched_too_early");
        break;
      }
    }
  }
  // 6. Opening pleasantries, buying signals when warm, otherwise a neutral nudge.
  if (reply.text.empty() && act == "greeting" && turn.turn_index == 1) {
    reply.text = speaker.Say("greeting");
    reply.intent = "greeting";
  }
  const bool objections_open =
      std::any_of(objections.begin(), objections.end(), [&](const json::value& o) { return is_open(Id(o)); });
  if (reply.text.empty() && customer.mood + reply.mood_delta >= 0.6 && !customer.revealed.empty() && !objections_open) {
    if (const auto* signals = List(persona, "buying_signals"); signals != nullptr && !signals->empty()) {
      const auto& signal = (*signals)[Mix(turn.seed + static_cast<std::uint64_t>(turn.turn_index)) % signals->size()];
      reply.text = speaker.Say("buying_signal", "signal", Localized(&signal, lang));
      reply.intent = "product_inquiry";
      reply.buying_signal = true;
    }
  }
  if (reply.text.empty()) {
    reply.text = speaker.Say("neutral");
    reply.intent = "filler";
  }
  if (reply.outcome == TurnOutcome::kContinue && customer.mood + reply.mood_delta < kLeaveBelow) {
    reply.text = speaker.Say("reject_close");
    reply.intent = "soft_rejection";
    reply.outcome = TurnOutcome::kLost;
  }
  return reply;
}

boost::asio::awaitable<core::Result<NpcReply>> OfflineNpc::Reply(const TurnContext& turn,
                                                                 conversation::DeltaSink& sink) {
  NpcReply reply = Decide(turn);
  std::optional<boost::asio::steady_timer> pause;
  if (options_.delta_interval.count() > 0) pause.emplace(co_await boost::asio::this_coro::executor);
  bool first = true;
  for (auto& delta : SplitDeltas(reply.text)) {
    if (pause && !first) {
      pause->expires_after(options_.delta_interval);
      co_await pause->async_wait(boost::asio::use_awaitable);  // throws when the turn is cancelled
    }
    first = false;
    co_await sink.Delta(std::move(delta));
  }
  co_return reply;
}

}  // namespace salesboost::brain
