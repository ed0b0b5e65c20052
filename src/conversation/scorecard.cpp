#include "conversation/scorecard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>

#include "core/text.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;
using catalog::RubricCriterion;

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

std::string_view Pick(std::string_view language, std::string_view en, std::string_view zh) {
  return language == "zh" ? zh : en;
}

bool IsPitch(const TurnRecord& turn) { return turn.act == "value_statement" || turn.act == "evidence"; }
bool IsClose(const TurnRecord& turn) { return turn.act == "trial_close" || turn.act == "close"; }
bool HasQuestionMark(const TurnRecord& turn) {
  return turn.text.find('?') != std::string::npos || turn.text.find("？") != std::string::npos;
}
// Findings that press the customer instead of reasoning with them.
bool IsPressure(const ComplianceFinding& finding) {
  return finding.rule == "pressure" || finding.rule == "false_urgency" || finding.rule == "downplays_cost" ||
         finding.rule == "disparage_competitor";
}
bool HasBlocker(const TurnRecord& turn) {
  return std::any_of(turn.findings.begin(), turn.findings.end(),
                     [](const ComplianceFinding& f) { return f.level == "BLOCK"; });
}
// A turn whose words broke a blocker or pressed the customer: it earns no credit as a move.
bool Breaks(const TurnRecord& turn) {
  return std::any_of(turn.findings.begin(), turn.findings.end(),
                     [](const ComplianceFinding& f) { return f.level == "BLOCK" || IsPressure(f); });
}
// A discovery question: the act says so, or a question mark on a turn that is no greeting,
// presentation, objection answer or close; never a turn that broke a rule.
bool IsQuestion(const TurnRecord& turn) {
  if (Breaks(turn)) return false;
  if (turn.act == "open_question" || turn.act == "closed_question") return true;
  return HasQuestionMark(turn) && turn.act != "greeting" && !IsPitch(turn) && !IsClose(turn) &&
         turn.act != "objection_handling";
}

// The first phrase of `phrases` in the turn's words; empty when none.
std::string Mentioned(const TurnRecord& turn, const std::vector<std::string>& phrases) {
  const std::string folded = core::FoldText(turn.text);
  for (const auto& phrase : phrases) {
    if (core::ContainsPhrase(folded, phrase)) return phrase;
  }
  return {};
}

struct Judgement {
  double points = 0;  // 1 met, 0.5 partly, 0 not met
  std::string why;
  const TurnRecord* turn = nullptr;
};

class Judge {
 public:
  Judge(const std::vector<TurnRecord>& turns, const SessionOutcome& outcome, std::string_view language)
      : turns_(turns), outcome_(outcome), lang_(language) {}

  Judgement Run(const RubricCriterion& criterion) const {
    const auto& check = criterion.check;
    if (check.kind == "discovery_before_pitch") return DiscoveryBeforePitch(check);
    if (check.kind == "needs_uncovered") return NeedsUncovered(check);
    if (check.kind == "states") return States(check);
    if (check.kind == "objections_answered") return ObjectionsAnswered(check);
    if (check.kind == "evidence") return Evidence(check);
    if (check.kind == "next_step") return NextStep(check);
    if (check.kind == "avoids") return Avoids(check.rules);
    return Conduct();
  }

 private:
  std::string F(std::string_view en, std::string_view zh, auto&&... args) const {
    return fmt::format(fmt::runtime(Pick(lang_, en, zh)), std::forward<decltype(args)>(args)...);
  }

  Judgement DiscoveryBeforePitch(const catalog::RubricCheck& check) const {
    const TurnRecord* pitch = nullptr;
    int questions = 0;
    const TurnRecord* last_question = nullptr;
    for (const auto& turn : turns_) {
      if (IsPitch(turn)) {
        pitch = &turn;
        break;
      }
      if (IsQuestion(turn)) {
        ++questions;
        last_question = &turn;
      }
    }
    const int needs = static_cast<int>(pitch != nullptr ? pitch->revealed_before.size() : AllRevealed().size());
    Judgement out;
    // The evidence: the first presentation; without one, the question that drew out the last need.
    out.turn = pitch != nullptr ? pitch : last_question;
    if (pitch == nullptr) {
      for (const auto& turn : turns_) {
        if (!turn.revealed.empty()) out.turn = &turn;
      }
    }
    if (needs >= check.min_needs && questions >= check.min_questions) {
      out.points = 1;
    } else if (needs >= 1 || questions >= 1) {
      out.points = 0.5;
    }
    if (pitch != nullptr) {
      out.why = F("{} question(s) asked and {} need(s) heard before the first presentation (wanted {} and {}).",
                  "第一次介绍产品前问了 {} 个问题，听到 {} 个需求（要求 {} 个问题、{} 个需求）。", questions, needs,
                  check.min_questions, check.min_needs);
    } else {
      out.why = F("No presentation; {} question(s) asked and {} need(s) heard.",
                  "没有介绍产品；问了 {} 个问题，听到 {} 个需求。", questions, needs);
    }
    return out;
  }

  Judgement NeedsUncovered(const catalog::RubricCheck& check) const {
    Judgement out;
    int counted = 0;
    int other = 0;
    std::set<std::string> seen;
    for (const auto& turn : turns_) {
      for (const auto& id : turn.revealed) {
        if (!seen.insert(id).second) continue;
        const bool wanted = check.ids.empty() || std::find(check.ids.begin(), check.ids.end(), id) != check.ids.end();
        if (wanted) {
          ++counted;
          out.turn = &turn;
        } else {
          ++other;
        }
      }
    }
    if (counted >= check.min) {
      out.points = 1;
    } else if (counted > 0 || other > 0) {
      out.points = 0.5;
    }
    out.why = F("{} of the wanted needs told by the customer (wanted {}); {} other(s).",
                "客户说出了 {} 个目标需求（要求 {} 个），其他需求 {} 个。", counted, check.min, other);
    return out;
  }

  Judgement States(const catalog::RubricCheck& check) const {
    Judgement out;
    std::vector<std::string> said;
    std::size_t groups_said = 0;
    for (const auto& group : check.groups) {
      for (const auto& turn : turns_) {
        if (HasBlocker(turn)) continue;  // a breach states nothing the trainee gets credit for
        const auto phrase = Mentioned(turn, group);
        if (phrase.empty()) continue;
        ++groups_said;
        said.push_back(phrase);
        if (out.turn == nullptr || turn.index > out.turn->index) out.turn = &turn;
        break;
      }
    }
    if (groups_said == check.groups.size()) {
      out.points = 1;
    } else if (groups_said > 0) {
      out.points = 0.5;
    }
    std::string list;
    for (const auto& phrase : said) list += (list.empty() ? "" : ", ") + phrase;
    out.why = F("{} of {} required points said{}.", "要求说明的 {1} 项说到了 {0} 项{2}。", groups_said,
                check.groups.size(), list.empty() ? std::string() : fmt::format(" ({})", list));
    return out;
  }

  Judgement ObjectionsAnswered(const catalog::RubricCheck& check) const {
    const auto wanted = [&](const std::string& id) {
      return check.ids.empty() || std::find(check.ids.begin(), check.ids.end(), id) != check.ids.end();
    };
    Judgement out;
    std::set<std::string> raised;
    std::set<std::string> resolved;
    const TurnRecord* first_raised = nullptr;
    const TurnRecord* discounted = nullptr;
    for (const auto& turn : turns_) {
      const bool open = raised.size() > resolved.size();
      if (open && discounted == nullptr && !Mentioned(turn, check.avoid).empty()) discounted = &turn;
      for (const auto& id : turn.raised) {
        if (wanted(id) && raised.insert(id).second && first_raised == nullptr) first_raised = &turn;
      }
      for (const auto& id : turn.resolved) {
        if (wanted(id) && raised.contains(id) && resolved.insert(id).second) out.turn = &turn;
      }
    }
    if (raised.empty()) {
      const bool far = outcome_.result == "won" || outcome_.stage_reached == Stage::kClosing;
      out.points = far ? 1 : 0.5;
      out.why = far ? F("No objection came up on the way to the close.", "推进到成交阶段时没有出现异议。")
                    : F("The objection never came up, so it was not answered.", "异议没有出现，因此也没有得到回应。");
      return out;
    }
    if (resolved.size() == raised.size()) {
      out.points = discounted != nullptr ? 0.5 : 1;
    } else if (!resolved.empty()) {
      out.points = 0.5;
    } else {
      out.turn = first_raised;
    }
    out.why =
        F("{} of {} objection(s) resolved{}.", "{1} 个异议中解决了 {0} 个{2}。", resolved.size(), raised.size(),
          discounted != nullptr ? std::string(Pick(lang_, ", but with a concession", "，但做了让步")) : std::string());
    if (discounted != nullptr) out.turn = discounted;
    return out;
  }

  Judgement Evidence(const catalog::RubricCheck& check) const {
    Judgement out;
    const TurnRecord* early = nullptr;
    for (const auto& turn : turns_) {
      if (HasBlocker(turn)) continue;
      const bool qualifies = check.phrases.empty() ? turn.act == "evidence" : !Mentioned(turn, check.phrases).empty();
      if (!qualifies) continue;
      if (!turn.revealed_before.empty()) {
        out.points = 1;
        out.turn = &turn;
        out.why = F("Backed the point with evidence after hearing a need.", "在听到需求后用证据支撑了观点。");
        return out;
      }
      if (early == nullptr) early = &turn;
    }
    if (early != nullptr) {
      out.points = 0.5;
      out.turn = early;
      out.why = F("Gave evidence, but before any need was heard.", "给出了证据，但当时还没有了解需求。");
      return out;
    }
    out.why = F("No customer case or figures were given.", "没有给出客户案例或数据。");
    return out;
  }

  Judgement NextStep(const catalog::RubricCheck& check) const {
    Judgement out;
    const TurnRecord* early = nullptr;
    const TurnRecord* vague = nullptr;
    for (const auto& turn : turns_) {
      if (Breaks(turn)) continue;  // pressure is no next step
      const bool names = !check.phrases.empty() && !Mentioned(turn, check.phrases).empty();
      // Asking for the step: a close, or a question that names it ("shall we start the trial?").
      if (!IsClose(turn) && !(names && HasQuestionMark(turn))) continue;
      if (turn.revealed_before.empty()) {
        if (early == nullptr) early = &turn;
        continue;
      }
      if (check.phrases.empty() || names) {
        out.points = 1;
        out.turn = &turn;
        out.why = outcome_.result == "won"
                      ? F("Asked for the next step and the customer agreed.", "提出了下一步，客户同意了。")
                      : F("Asked for a concrete next step once the need was clear.", "在需求清楚后明确提出了下一步。");
        return out;
      }
      if (vague == nullptr) vague = &turn;
    }
    if (vague != nullptr || early != nullptr) {
      out.points = 0.5;
      out.turn = vague != nullptr ? vague : early;
      out.why = vague != nullptr ? F("Asked for a next step, but not the one this scenario is after.",
                                     "提出了下一步，但不是本场景要求的那一步。")
                                 : F("Asked for a decision before hearing any need.", "还没了解需求就要求客户做决定。");
      return out;
    }
    out.why = F("Never asked for a next step.", "始终没有提出下一步。");
    return out;
  }

  Judgement Avoids(const std::vector<std::string>& rules) const {
    Judgement out;
    out.points = 1;
    out.why = F("None of these rules was broken.", "没有违反这些规则。");
    for (const auto& turn : turns_) {
      for (const auto& finding : turn.findings) {
        if (std::find(rules.begin(), rules.end(), finding.rule) == rules.end()) continue;
        out.points = 0;
        out.turn = &turn;
        out.why = F("Broke \"{}\".", "违反了“{}”。", finding.message.empty() ? finding.rule : finding.message);
        return out;
      }
    }
    return out;
  }

  // Pressure of any kind, a blocker, or two lesser findings: not met; one lesser finding: partly.
  Judgement Conduct() const {
    Judgement out;
    int lesser = 0;
    bool failed = false;
    for (const auto& turn : turns_) {
      for (const auto& finding : turn.findings) {
        const bool serious = finding.level == "BLOCK" || IsPressure(finding);
        if (serious && !failed) {
          failed = true;
          out.turn = &turn;
          out.why = F("Broke \"{}\".", "违反了“{}”。", finding.message.empty() ? finding.rule : finding.message);
        } else if (!serious) {
          ++lesser;
          if (out.turn == nullptr) out.turn = &turn;
        }
      }
    }
    if (failed) return out;
    out.points = lesser > 1 ? 0 : lesser == 1 ? 0.5 : 1;
    out.why = lesser > 0 ? F("{} conduct finding(s).", "{} 处不当言行。", lesser)
                         : F("No pressure, insult or unfair claim.", "没有施压、侮辱或不当说法。");
    return out;
  }

  std::set<std::string> AllRevealed() const {
    std::set<std::string> all;
    for (const auto& turn : turns_) all.insert(turn.revealed.begin(), turn.revealed.end());
    return all;
  }

  const std::vector<TurnRecord>& turns_;
  const SessionOutcome& outcome_;
  std::string_view lang_;
};

int StageRank(Stage stage) {
  switch (stage) {
    case Stage::kOpening:
      return 0;
    case Stage::kNeedsDiscovery:
      return 1;
    case Stage::kProductIntro:
      return 2;
    case Stage::kObjectionHandling:
      return 3;
    case Stage::kClosing:
      return 4;
    case Stage::kCompleted:
      return 5;
    case Stage::kFailed:
      return -1;
  }
  return -1;
}

SessionOutcome OutcomeOf(const std::vector<Event>& events) {
  SessionOutcome out;
  for (const auto& event : events) {
    if (const auto* changed = event.As<StageChanged>()) {
      if (StageRank(changed->to) > StageRank(out.stage_reached)) out.stage_reached = changed->to;
    } else if (const auto* ended = event.As<SessionEnded>()) {
      out.result = ended->reason;
    }
  }
  if (out.stage_reached == Stage::kCompleted) out.result = "won";
  // What the furthest stage is worth: an objection the customer raises is no step beyond the
  // presentation; winning is worth everything, and the customer walking away costs three points.
  constexpr double kWorth[] = {0, 2, 4, 4, 7, 10};
  out.score = kWorth[StageRank(out.stage_reached)];
  if (out.result == "won") out.score = 10;
  if (out.result == "lost") out.score = std::max(0.0, out.score - 3);
  return out;
}

}  // namespace

std::vector<TurnRecord> CommittedTurns(const std::vector<Event>& events) {
  std::vector<TurnRecord> out;
  std::optional<TurnRecord> open;
  std::set<std::string> revealed;
  for (const auto& event : events) {
    if (const auto* started = event.As<TurnStarted>()) {
      open = TurnRecord{};
      open->turn_id = event.turn_id;
      open->index = started->turn_index;
      open->seq = event.seq;
      open->text = started->text;
      open->act = started->act;
      open->revealed_before = revealed;
    } else if (!open || event.turn_id != open->turn_id) {
      continue;
    } else if (const auto* reply = event.As<NpcDone>()) {
      open->reply = reply->text;
      open->revealed.insert(reply->revealed.begin(), reply->revealed.end());
      open->raised.insert(reply->raised.begin(), reply->raised.end());
      open->resolved.insert(reply->resolved.begin(), reply->resolved.end());
      open->buying_signal = reply->buying_signal;
    } else if (const auto* flagged = event.As<ComplianceFlagged>()) {
      if (flagged->side == "trainee") open->findings.push_back(flagged->finding);
    } else if (const auto* scored = event.As<TurnScored>()) {
      for (const auto& d : scored->dimensions) {
        open->scores[d.name] = d.score;
        open->reasons[d.name] = d.reason;
      }
    } else if (event.Is<TurnAborted>()) {
      open.reset();
    } else if (event.Is<TurnDone>()) {
      for (const auto& id : open->revealed) revealed.insert(id);
      out.push_back(std::move(*open));
      open.reset();
    }
  }
  return out;
}

Scorecard ScoreSession(const catalog::Rubric& rubric, const std::vector<Event>& events, std::string_view language) {
  Scorecard card;
  const auto turns = CommittedTurns(events);
  card.outcome = OutcomeOf(events);
  const Judge judge(turns, card.outcome, language);
  double weighted = 0;
  double weights = 0;
  for (const auto& criterion : rubric.criteria) {
    const Judgement j = judge.Run(criterion);
    CriterionResult result{.id = criterion.id,
                           .title = std::string(criterion.title.In(language)),
                           .skill = criterion.skill,
                           .weight = criterion.weight,
                           .result = j.points >= 1  ? "met"
                                     : j.points > 0 ? "partly"
                                                    : "not_met",
                           .points = j.points,
                           .level = std::string(j.points >= 1  ? criterion.good.In(language)
                                                : j.points > 0 ? criterion.fair.In(language)
                                                               : criterion.poor.In(language)),
                           .why = j.why,
                           .turn_id = j.turn != nullptr ? j.turn->turn_id : std::string(),
                           .seq = j.turn != nullptr ? j.turn->seq : 0,
                           .quote = j.turn != nullptr ? j.turn->text : std::string()};
    weighted += criterion.weight * j.points;
    weights += criterion.weight;
    card.criteria.push_back(std::move(result));
  }
  card.score = weights > 0 ? Round1(10 * weighted / weights) : 0;
  for (const auto& turn : turns) {
    for (const auto& finding : turn.findings) {
      if (finding.level != "BLOCK") continue;
      card.blockers.push_back(Blocker{.rule = finding.rule,
                                      .message = finding.message,
                                      .turn_id = turn.turn_id,
                                      .seq = turn.seq,
                                      .quote = finding.excerpt.empty() ? turn.text : finding.excerpt});
    }
  }
  for (const auto& turn : turns) {
    card.pressure_turns += std::any_of(turn.findings.begin(), turn.findings.end(), IsPressure) ? 1 : 0;
  }
  if (card.pressure_turns >= 2) card.cap = rubric.pressure_cap;
  if (!card.blockers.empty()) card.cap = std::min(card.cap.value_or(10.0), rubric.blocker_cap);
  if (!turns.empty()) {
    const double overall = 0.75 * (weights > 0 ? 10 * weighted / weights : 0) + 0.25 * card.outcome.score;
    card.overall = Round1(std::min(overall, card.cap.value_or(10.0)));
  }
  return card;
}

json::object ScorecardJson(const Scorecard& card) {
  json::array criteria;
  for (const auto& c : card.criteria) {
    json::object item{{"id", c.id},         {"title", c.title}, {"skill", c.skill}, {"weight", c.weight},
                      {"result", c.result}, {"level", c.level}, {"why", c.why}};
    if (!c.turn_id.empty()) {
      item["turn_id"] = c.turn_id;
      item["seq"] = c.seq;
      item["quote"] = c.quote;
    }
    criteria.push_back(std::move(item));
  }
  json::array blockers;
  for (const auto& b : card.blockers) {
    blockers.push_back(json::object{
        {"rule", b.rule}, {"message", b.message}, {"turn_id", b.turn_id}, {"seq", b.seq}, {"quote", b.quote}});
  }
  return json::object{{"score", card.score},
                      {"criteria", std::move(criteria)},
                      {"blockers", std::move(blockers)},
                      {"pressure_turns", card.pressure_turns},
                      {"cap", card.cap ? json::value(*card.cap) : json::value(nullptr)},
                      {"outcome", json::object{{"result", card.outcome.result},
                                               {"stage_reached", StageName(card.outcome.stage_reached)},
                                               {"score", card.outcome.score}}}};
}

json::object RubricJson(const catalog::Rubric& rubric, std::string_view language) {
  json::array criteria;
  for (const auto& c : rubric.criteria) {
    criteria.push_back(json::object{{"id", c.id},
                                    {"title", c.title.In(language)},
                                    {"weight", c.weight},
                                    {"skill", c.skill},
                                    {"good", c.good.In(language)},
                                    {"fair", c.fair.In(language)},
                                    {"poor", c.poor.In(language)}});
  }
  return json::object{
      {"criteria", std::move(criteria)}, {"blocker_cap", rubric.blocker_cap}, {"pressure_cap", rubric.pressure_cap}};
}

}  // namespace salesboost::conversation
