#include "brain/customer/customer_policy.hpp"

#include <algorithm>

#include "brain/conduct_rules.hpp"
#include "brain/customer/persona_model.hpp"
#include "brain/customer/trainee_reading.hpp"
#include "conversation/sales_act_classifier.hpp"

namespace salesboost::brain::customer {
namespace {

using conversation::CustomerState;
using conversation::NpcReply;
using conversation::TurnContext;
using conversation::TurnOutcome;

// A beat and what saying it changes; the change counts only when the beat is said.
struct Planned {
  Beat beat;
  std::string reveals;  // a need or pain id
  std::string raises;   // an objection id
  std::string tells;    // a fact or signal id
  bool signal = false;  // an explicit buying signal
};

// The reaction to a conduct rule other than insult and pressure.
std::string ReactionTo(const std::string& rule) {
  if (rule == "guaranteed_return") return "doubt_claim";
  if (rule == "personal_data_request") return "refuse_data";
  if (rule == "prompt_injection") return "ignore_injection";
  if (rule == "disparage_competitor") return "competitor_jab";
  if (rule == "downplays_cost") return "downplay_noted";
  return "refuse_irregular";  // private payment, data sharing, bypassing the rules
}

bool IsPriceObjection(const std::string& id) {
  return id.find("price") != std::string::npos || id.find("fee") != std::string::npos ||
         id.find("interest") != std::string::npos || id.find("cost") != std::string::npos;
}

class Policy {
 public:
  Policy(const TurnContext& turn, const PersonaModel& persona, const TraineeReading& reading)
      : turn_(turn), persona_(persona), read_(reading), state_(turn.customer), v_(persona.volatility) {}

  NpcReply Decide() {
    Treatment();
    if (!done_) Resolutions();
    if (!done_ && read_.close) Close();
    // The first turn is answered with the persona's greeting; an open question in it is answered too.
    if (!done_ && plan_.empty() && (turn_.turn_index <= 1 || (read_.greeting && read_.need.empty()))) {
      Say("greeting");
      done_ = !read_.open_question && !read_.pitch;
    }
    if (!done_ && read_.question) Question();
    if (!done_ && !read_.triggers.empty() && !state_.raised.contains(read_.triggers)) Trigger();
    if (!done_ && plan_.empty() && read_.pitch) Pitch();
    if (!done_ && plan_.empty() && read_.off_topic) {
      Say("off_topic");
      if (turn_.act.confidence >= conversation::kSureOfAct) Mood(-0.05, "off_topic");
    }
    if (!done_ && outcome_ == TurnOutcome::kContinue) Signal();
    if (plan_.empty()) {
      Say("acknowledge");
      Say("prompt");
    }
    if (outcome_ == TurnOutcome::kContinue && Mood() < kLeaveBelow) {
      Say("leave");
      outcome_ = TurnOutcome::kLost;
    }
    return Word();
  }

 private:
  double Mood() const { return state_.mood + mood_delta_; }

  void Mood(double delta, std::string_view cause) {
    mood_delta_ += delta;
    if (mood_cause_.empty()) mood_cause_ = cause;
  }

  Planned& Say(std::string kind, std::string slot = {}) {
    plan_.push_back(Planned{.beat = {.kind = std::move(kind), .slot = std::move(slot)},
                            .reveals = {},
                            .raises = {},
                            .tells = {},
                            .signal = false});
    return plan_.back();
  }

  bool Revealed(const std::string& id) const { return state_.revealed.contains(id) || InPlan(&Planned::reveals, id); }
  bool Raised(const std::string& id) const { return state_.raised.contains(id) || InPlan(&Planned::raises, id); }
  bool Told(const std::string& id) const { return state_.told.contains(id) || InPlan(&Planned::tells, id); }
  bool InPlan(std::string Planned::*field, const std::string& id) const {
    return std::any_of(plan_.begin(), plan_.end(), [&](const Planned& p) { return p.*field == id; });
  }
  bool AnyNeedKnown() const {
    return !state_.revealed.empty() ||
           std::any_of(plan_.begin(), plan_.end(), [](const Planned& p) { return !p.reveals.empty(); });
  }
  bool Resolved(const std::string& id) const {
    return state_.resolved.contains(id) || std::find(resolved_.begin(), resolved_.end(), id) != resolved_.end();
  }
  bool AnyOpen() const {
    for (const auto& o : persona_.objections) {
      if (Raised(o.id) && !Resolved(o.id)) return true;
    }
    return false;
  }

  void Treatment() {
    const double weight = 1 + v_;
    if (read_.insult) {
      Mood(-0.35 * weight, "insult");
      Say("insulted");
      done_ = true;
      return;
    }
    if (read_.pressure) {
      Mood(-0.12 * weight, "pressure");
      Say("pressured");
      done_ = true;
      return;
    }
    if (!read_.breach.empty()) {
      const auto* rule = ConductRules::Builtin().Rule(read_.breach);
      const bool blocker = rule != nullptr && rule->level == "BLOCK";
      Mood((blocker ? -0.15 : -0.06) * weight, read_.breach);
      Say(ReactionTo(read_.breach));
      done_ = blocker;  // a warning is noted and the conversation goes on
      return;
    }
    if (read_.courtesy && state_.mood < 0.7) Mood(0.03, "courtesy");
  }

  void Resolutions() {
    if (read_.resolves.empty()) return;
    for (const auto& id : read_.resolves) {
      resolved_.push_back(id);
      Mood(0.1, "objection_resolved");
    }
    Say("objection_resolved");
  }

  void Close() {
    done_ = true;
    const double weight = 1 + v_;
    const bool need_known = !state_.revealed.empty();
    const std::string* unmet = nullptr;
    for (const auto& id : persona_.close_conditions) {
      if (Resolved(id)) continue;
      // A condition the trainee has already answered, before it came up, counts as settled.
      const auto* objection = persona_.FindObjection(id);
      if (objection != nullptr && !Raised(id) && AnsweredInConversation(*objection)) {
        resolved_.push_back(id);
        continue;
      }
      unmet = &id;
      break;
    }
    if (!need_known) {
      Say("reject_close_early");
      Mood(-0.06 * weight, "premature_close");
    } else if (unmet != nullptr && !Raised(*unmet)) {
      const auto* objection = persona_.FindObjection(*unmet);
      Say("raise_objection", objection != nullptr ? objection->says : std::string()).raises = *unmet;
    } else if (unmet != nullptr) {
      const auto* objection = persona_.FindObjection(*unmet);
      Say("still_open", objection != nullptr && !objection->topic.empty() ? objection->topic : std::string());
      Mood(-0.02, "premature_close");
    } else if (!persona_.next_step.empty() && !read_.offers_next_step) {
      Say("ask_next_step");
    } else if (Mood() >= kCloseAbove) {
      Mood(0.1, "accepted_close");
      Say("accept_close");
      outcome_ = TurnOutcome::kWon;
    } else {
      Say("reject_close");
      Mood(-0.06 * weight, "premature_close");
    }
  }

  // Whether the customer has said a variant of `kind` before in the session.
  bool SaidBefore(std::string_view kind) const {
    const auto& variants = SharedPhrases(turn_.session.language, kind);
    for (const auto& line : turn_.history) {
      if (line.speaker != "customer") continue;
      for (const auto& variant : variants) {
        if (line.text.find(variant) != std::string::npos) return true;
      }
    }
    return false;
  }

  // Whether the customer's last line holds `text`.
  bool JustSaid(const std::string& text) const {
    for (auto line = turn_.history.rbegin(); line != turn_.history.rend(); ++line) {
      if (line->speaker == "customer") return line->text.find(text) != std::string::npos;
    }
    return false;
  }

  const Need* NextNeed(bool hidden_too) const {
    for (const auto& need : persona_.needs) {
      if (!Revealed(need.id) && !need.hidden) return &need;
    }
    if (!hidden_too) return nullptr;
    for (const auto& need : persona_.needs) {
      if (!Revealed(need.id)) return &need;
    }
    return nullptr;
  }

  const Need* NeedById(const std::string& id) const {
    for (const auto& need : persona_.needs) {
      if (need.id == id) return &need;
    }
    return nullptr;
  }

  void Reveal(const Need& need, bool as_addition = false) {
    Say(as_addition ? "also_need" : need.hidden ? "reveal_pain" : "reveal_need", need.says).reveals = need.id;
    Mood(0.05, "good_question");
  }

  void Question() {
    // "Anything else holding you back?": the next close condition it has not voiced.
    if (read_.asks_concerns && read_.need.empty() && read_.fact.empty()) {
      for (const auto& id : persona_.close_conditions) {
        const auto* objection = persona_.FindObjection(id);
        if (objection != nullptr && !Raised(id) && !Resolved(id)) {
          Say("raise_objection", objection->says).raises = id;
          return;
        }
      }
      Say("nothing_more");
      return;
    }
    if (read_.summary && read_.need.empty()) {
      Say("confirm_summary");
      Mood(0.03, "listened");
      if (const Need* next = NextNeed(false)) Reveal(*next, true);
      return;
    }
    if (!read_.fact.empty()) {
      const Fact* fact = nullptr;
      for (const auto& f : persona_.facts) fact = f.id == read_.fact ? &f : fact;
      if (fact != nullptr && !Told(fact->id)) {
        Say("tell_fact", fact->says).tells = fact->id;
        Mood(0.02, "good_question");
      } else if (fact != nullptr && read_.need.empty() && !read_.pitch && !JustSaid(fact->says)) {
        // Asked again later; right after telling it, the trainee is only taking it in.
        Say("already_told");
      }
    }
    if (!read_.need.empty()) {
      if (const Need* need = NeedById(read_.need)) Reveal(*need);
      return;
    }
    if (!read_.fact.empty() && !plan_.empty()) return;
    // A closed question about a need it has already told: it confirms.
    if (!read_.told_need.empty() && !read_.open_question) {
      Say("confirm");
      return;
    }
    if (read_.open_question) {
      if (const Need* next = NextNeed(true)) {
        Reveal(*next);
      } else if (read_.triggers.empty()) {
        Say("nothing_more");
      }
      return;
    }
    if (!read_.off_topic && read_.triggers.empty() && !read_.pitch) Say("unknown");
  }

  // Whether any of the trainee's messages, this one included, holds what settles `objection`.
  bool AnsweredInConversation(const Objection& objection) const { return read_.SaidAny(objection.resolved_by); }

  void Trigger() {
    const auto* objection = persona_.FindObjection(read_.triggers);
    if (objection == nullptr) return;
    if (read_.settles_trigger || AnsweredInConversation(*objection)) {
      Say("answered_upfront").raises = objection->id;
      resolved_.push_back(objection->id);
      Mood(0.03, "objection_answered_upfront");
    } else {
      Say("raise_objection", objection->says).raises = objection->id;
      Mood(-0.03 * (1 + v_), "objection");
    }
  }

  void Pitch() {
    if (state_.revealed.empty()) {
      // The first pitch before any question annoys; later ones wear its patience more slowly.
      Mood((SaidBefore("pitched_early") ? -0.02 : -0.05) * (1 + v_), "pitched_too_early");
      Say("pitched_early");
      return;
    }
    if (!read_.linked_need.empty()) {
      const Need* need = NeedById(read_.linked_need);
      Say("value_heard", need != nullptr ? need->topic : std::string());
      Mood(read_.evidence ? 0.08 : 0.05, "value_linked");
      return;
    }
    if (AnyOpen()) {
      Say(read_.evidence ? "acknowledge" : "proof_please");
      return;
    }
    Say("so_what");
  }

  // A buying question once warm: needs known, nothing open, not asked before, not answered already.
  void Signal() {
    // Only once it has heard what is on offer: product introduction or later.
    const bool heard_offer = turn_.stage == conversation::Stage::kProductIntro ||
                             turn_.stage == conversation::Stage::kObjectionHandling ||
                             turn_.stage == conversation::Stage::kClosing;
    if (plan_.size() >= 2 || !heard_offer || Mood() < kSignalAbove || !AnyNeedKnown() || AnyOpen()) return;
    for (const auto& signal : persona_.signals) {
      if (Told(signal.id) || read_.answered.contains(signal.id)) continue;
      auto& beat = Say("buying_signal", signal.says);
      beat.tells = signal.id;
      beat.signal = true;
      return;
    }
  }

  NpcReply Word() {
    std::vector<Beat> beats;
    beats.reserve(plan_.size());
    for (const auto& p : plan_) beats.push_back(p.beat);
    Wording wording = Compose(turn_, beats);
    NpcReply reply;
    if (wording.text.empty() && outcome_ == TurnOutcome::kContinue) {
      // Every variant of what it meant to say is used up: a neutral nudge instead.
      plan_.clear();
      Say("acknowledge");
      Say("prompt");
      wording = Compose(turn_, {plan_[0].beat, plan_[1].beat});
    }
    if (wording.text.empty()) {
      // Everything it could say has been said: the customer ends the call.
      const std::vector<Beat> last = {Beat{.kind = "wrap_up", .slot = {}}};
      wording = Compose(turn_, last);
      plan_.clear();
      outcome_ = TurnOutcome::kLost;
      reply.intent = "soft_rejection";
      mood_cause_ = mood_cause_.empty() ? "nothing_left_to_say" : mood_cause_;
    }
    reply.text = std::move(wording.text);
    for (const auto index : wording.said) {
      const auto& p = plan_[index];
      if (reply.intent.empty()) reply.intent = IntentOfBeat(p.beat.kind, p.raises);
      if (!p.reveals.empty()) reply.revealed.push_back(p.reveals);
      if (!p.raises.empty()) reply.raised.push_back(p.raises);
      if (!p.tells.empty()) reply.told.push_back(p.tells);
      reply.buying_signal = reply.buying_signal || p.signal;
    }
    reply.resolved = resolved_;
    // An objection settled before it came up is raised and resolved in the same reply.
    for (const auto& id : resolved_) {
      if (!state_.raised.contains(id) && std::find(reply.raised.begin(), reply.raised.end(), id) == reply.raised.end())
        reply.raised.push_back(id);
    }
    reply.mood_delta = mood_delta_;
    reply.mood_cause = mood_cause_;
    reply.outcome = outcome_;
    if (reply.intent.empty()) reply.intent = "filler";
    return reply;
  }

  const TurnContext& turn_;
  const PersonaModel& persona_;
  const TraineeReading& read_;
  const CustomerState& state_;
  const double v_;
  std::vector<Planned> plan_;
  std::vector<std::string> resolved_;
  double mood_delta_ = 0;
  std::string mood_cause_;
  TurnOutcome outcome_ = TurnOutcome::kContinue;
  bool done_ = false;  // the reply's content is decided; only a buying signal or leaving may follow
};

}  // namespace

std::string IntentOfBeat(const std::string& kind, const std::string& objection_id) {
  if (kind == "raise_objection") return IsPriceObjection(objection_id) ? "price_objection" : "hesitation";
  if (kind == "greeting") return "greeting";
  if (kind == "reveal_need" || kind == "reveal_pain" || kind == "also_need" || kind == "so_what") {
    return "benefit_inquiry";
  }
  if (kind == "objection_resolved" || kind == "answered_upfront" || kind == "value_heard" || kind == "courtesy" ||
      kind == "confirm_summary" || kind == "confirm") {
    return "positive_feedback";
  }
  if (kind == "proof_please") return "case_request";
  if (kind == "buying_signal" || kind == "ask_next_step") return "product_inquiry";
  if (kind == "accept_close") return "final_confirmation";
  if (kind == "off_topic") return "time_pressure";
  if (kind == "ignore_injection") return "unclear";
  if (kind == "still_open" || kind == "pitched_early" || kind == "competitor_jab" || kind == "downplay_noted") {
    return "hesitation";
  }
  if (kind == "reject_close" || kind == "reject_close_early" || kind == "pressured" || kind == "insulted" ||
      kind == "doubt_claim" || kind == "refuse_data" || kind == "refuse_irregular" || kind == "leave" ||
      kind == "wrap_up") {
    return "soft_rejection";
  }
  return "filler";  // facts, acknowledgements, prompts, "I don't know"
}

NpcReply DecideReply(const TurnContext& turn) {
  const PersonaModel persona = PersonaModel::Read(turn.persona, turn.session.language);
  const TraineeReading reading = ReadTurn(turn, persona);
  return Policy(turn, persona, reading).Decide();
}

}  // namespace salesboost::brain::customer
