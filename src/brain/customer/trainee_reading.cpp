#include "brain/customer/trainee_reading.hpp"

#include <algorithm>
#include <set>

#include "brain/conduct_rules.hpp"
#include "brain/text_match.hpp"
#include "conversation/sales_act_classifier.hpp"
#include "core/text.hpp"

namespace salesboost::brain::customer {
namespace {

using conversation::TurnContext;

const std::vector<std::string_view>& OpenQuestionCues() {
  static const std::vector<std::string_view> cues = {
      "what ", "how ", "why ",   "which ", "tell me", "walk me", "describe", "when ", "who ", "where ",
      "什么",  "怎么", "为什么", "哪些",   "哪个",    "如何",    "多少",     "说说",  "讲讲", "介绍一下"};
  return cues;
}

const std::vector<std::string_view>& ProposalCues() {
  static const std::vector<std::string_view> cues = {
      "how about", "shall we", "should we", "let's",  "can we",   "could we", "would you", "are you happy",
      "go ahead",  "sign up",  "set up",    "book",   "schedule", "要不",     "我们可以",  "咱们",
      "安排",      "就这么",   "帮您",      "给您办", "您看",     "好不好",   "可以吗",    "行吗"};
  return cues;
}

const std::vector<std::string_view>& EvidenceCues() {
  static const std::vector<std::string_view> cues = {"customer", "case", "study", "%",    "percent", "survey",
                                                     "data",     "案例", "客户",  "数据", "调查",    "百分之"};
  return cues;
}

const std::vector<std::string_view>& CourtesyCues() {
  static const std::vector<std::string_view> cues = {"thank", "appreciate", "understand", "sorry", "please", "谢谢",
                                                     "感谢",  "理解",       "抱歉",       "辛苦",  "请"};
  return cues;
}

const std::vector<std::string_view>& SummaryCues() {
  static const std::vector<std::string_view> cues = {"if i've got it right",
                                                     "if i got it right",
                                                     "let me check",
                                                     "let me play that back",
                                                     "so let me check",
                                                     "to sum up",
                                                     "did i get that",
                                                     "is that right",
                                                     "is that it",
                                                     "have i missed",
                                                     "我确认一下",
                                                     "我总结一下",
                                                     "我理一下",
                                                     "我理解一下",
                                                     "是这样吗",
                                                     "是这样吧",
                                                     "对吗",
                                                     "说得对不对",
                                                     "您看对不对"};
  return cues;
}

// A question by its form: a question mark, a Chinese sentence ending in 吗 or 呢, or an English
// message opening with a question word (typed without its question mark).
const std::vector<std::string_view>& ConcernCues() {
  static const std::vector<std::string_view> cues = {
      "anything else",      "hold you back",   "holding you back", "any concerns",   "any other concern",
      "still need to know", "what else would", "worries you",      "还有什么顾虑",   "还有什么问题",
      "还有其他顾虑",       "还有什么担心",    "有什么顾虑",       "还需要了解什么", "还有哪些顾虑"};
  return cues;
}

// A message that says nothing: "ok", "嗯嗯", "right", a lone mark.
bool IsFiller(std::string_view folded) {
  static const std::set<std::string, std::less<>> fillers = {
      "ok", "okay", "k",  "right", "sure", "yes", "yeah", "hmm", "mm",   "uh",     "um", "i see", "got it", "fine",
      "嗯", "嗯嗯", "哦", "好",    "好的", "行",  "对",   "是",  "明白", "知道了", "啊", "额",    "呃",     "嗯嗯嗯"};
  std::string bare;
  for (const char c : folded) {
    if (c != '.' && c != '!' && c != ',' && c != '?' && c != '~') bare.push_back(c);
  }
  for (std::string_view mark : {"。", "！", "，", "…", "～", "？"}) {
    for (auto at = bare.find(mark); at != std::string::npos; at = bare.find(mark)) bare.erase(at, mark.size());
  }
  const auto first = bare.find_first_not_of(' ');
  if (first == std::string::npos) return true;
  bare = bare.substr(first, bare.find_last_not_of(' ') - first + 1);
  return fillers.contains(bare);
}

bool IsQuestionText(std::string_view text) {
  static const std::vector<std::string_view> openings = {
      "how ",     "what ",    "why ",      "when ",  "where ",   "who ",       "which ",     "do you ",   "does ",
      "did you ", "are you ", "is there ", "is it ", "can you ", "could you ", "would you ", "have you ", "tell me "};
  const std::string_view trimmed = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
  if (text.find('?') != std::string_view::npos || text.find("？") != std::string_view::npos ||
      trimmed.ends_with("吗") || trimmed.ends_with("呢") || trimmed.ends_with("吗。") || trimmed.ends_with("呢。")) {
    return true;
  }
  const std::string start = core::FoldText(text.substr(0, 16));
  return std::any_of(openings.begin(), openings.end(), [&](std::string_view w) { return start.starts_with(w); });
}

// The length of the longest of `cues` in `folded`; 0 when none is.
std::size_t LongestMatch(std::string_view folded, const std::vector<std::string>& cues) {
  std::size_t longest = 0;
  for (const auto& cue : cues) {
    if (cue.size() > longest && ContainsKeyword(folded, cue)) longest = cue.size();
  }
  return longest;
}

bool AnyOf(std::string_view folded, const std::vector<std::string>& cues) {
  return !cues.empty() && ContainsAny(folded, cues);
}

}  // namespace

bool TraineeReading::SaidAny(const std::vector<std::string>& cues) const {
  return !cues.empty() && std::any_of(said.begin(), said.end(), [&](const std::string& s) { return AnyOf(s, cues); });
}

TraineeReading ReadTurn(const TurnContext& turn, const PersonaModel& persona) {
  TraineeReading r;
  const std::string folded = core::FoldText(turn.text);
  const std::string& act = turn.act.label;
  const auto& customer = turn.customer;
  const bool sure = turn.act.confidence >= conversation::kSureOfAct;

  // How the customer is treated.
  for (const auto& finding : ConductRules::Builtin().Find(turn.text, turn.session.language)) {
    if (finding.rule == "insult") {
      r.insult = true;
    } else if (finding.rule == "pressure" || finding.rule == "false_urgency" || finding.rule == "coercion") {
      r.pressure = true;
    } else if (r.breach.empty()) {
      r.breach = finding.rule;
    }
  }
  r.courtesy = ContainsAny(folded, CourtesyCues());
  r.filler = IsFiller(folded);
  r.greeting = act == "greeting";

  // Asking.
  // A question by its form, or by a very sure classifier ("想买什么都可以" holds 什么 and asks nothing).
  r.question =
      IsQuestionText(turn.text) || ((act == "open_question" || act == "closed_question") && turn.act.confidence >= 0.8);
  r.asks_concerns = ContainsAny(folded, ConcernCues());
  r.summary = ContainsAny(folded, SummaryCues()) ||
              (act == "needs_summary" && sure && IsQuestionText(turn.text) && !customer.revealed.empty());
  r.open_question = r.question && (act == "open_question" || ContainsAny(folded + " ", OpenQuestionCues()));
  // The most specific match wins: "order system" says more than "today".
  std::size_t best_need = 0;
  std::size_t best_told = 0;
  for (const auto& need : persona.needs) {
    const std::size_t length = LongestMatch(folded, need.revealed_by);
    if (length == 0) continue;
    if (customer.revealed.contains(need.id)) {
      if (length > best_told) {
        best_told = length;
        r.told_need = need.id;
      }
    } else if ((!need.hidden || r.question) && length > best_need) {
      best_need = length;
      r.need = need.id;
    }
  }
  std::size_t best_fact = 0;
  for (const auto& fact : persona.facts) {
    const std::size_t length = LongestMatch(folded, fact.asked_by);
    if (length > best_fact) {
      best_fact = length;
      r.fact = fact.id;
    }
  }

  // Answering.
  for (const auto& objection : persona.objections) {
    const bool open = customer.raised.contains(objection.id) && !customer.resolved.contains(objection.id);
    if (open && AnyOf(folded, objection.resolved_by)) r.resolves.push_back(objection.id);
    if (!customer.raised.contains(objection.id) && r.triggers.empty() && AnyOf(folded, objection.triggers)) {
      r.triggers = objection.id;
      r.settles_trigger = AnyOf(folded, objection.resolved_by);
    }
  }
  for (const auto& line : turn.history) {
    if (line.speaker == "trainee") r.said.push_back(core::FoldText(line.text));
  }
  r.said.push_back(folded);
  for (const auto& signal : persona.signals) {
    if (r.SaidAny(signal.answered_by)) r.answered.insert(signal.id);
  }

  // Offering.
  r.evidence =
      act == "evidence" || (ContainsAny(folded, EvidenceCues()) &&
                            std::any_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; }));
  for (const auto& need : persona.needs) {
    if (customer.revealed.contains(need.id) && AnyOf(folded, need.revealed_by)) {
      r.linked_need = need.id;
      break;
    }
  }
  // A pitch: what the classifier calls one, or a statement that speaks to a need the customer told
  // or answers an objection (the classifier may not be sure of either).
  r.pitch = ((act == "value_statement" || act == "evidence" || act == "objection_handling") && sure && !r.filler) ||
            r.evidence || (!r.question && !r.summary && (!r.linked_need.empty() || !r.resolves.empty()));
  r.offers_next_step = AnyOf(folded, persona.next_step);
  // A close asks for a decision: a sure close act, or the next step proposed as a question or an offer.
  const bool asks = r.question || ContainsAny(folded, ProposalCues());
  r.close = ((act == "trial_close" || act == "close") && (sure || asks)) || (r.offers_next_step && asks);

  // Nothing about the sale: a sure off-topic label, or an unsure one that touched none of the persona's cues.
  const bool touched = !r.need.empty() || !r.fact.empty() || !r.resolves.empty() || !r.triggers.empty() ||
                       !r.linked_need.empty() || r.offers_next_step;
  r.off_topic = act == "off_topic" && (sure || !touched) && !r.insult && !r.pressure;
  return r;
}

}  // namespace salesboost::brain::customer
