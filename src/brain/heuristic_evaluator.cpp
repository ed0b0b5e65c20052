#include "brain/heuristic_evaluator.hpp"

#include <algorithm>
#include <boost/json/array.hpp>

#include "brain/conduct_rules.hpp"
#include "brain/localized.hpp"
#include "brain/text_match.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;
using conversation::Stage;
using conversation::TurnContext;

// True when the text uses a keyword of the persona's needs, pains or objections.
bool TouchesPersona(const TurnContext& turn, std::string_view folded) {
  for (const char* list : {"needs", "hidden_pains", "objections"}) {
    const auto* items = turn.persona.if_contains(list);
    if (items == nullptr || !items->is_array()) continue;
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) continue;
      for (const char* key : {"revealed_by", "triggers", "resolved_by"}) {
        const auto* cues = item.get_object().if_contains(key);
        if (cues != nullptr && cues->is_array() && !FirstMatch(folded, cues->get_array()).empty()) return true;
      }
    }
  }
  return false;
}

bool FitsStage(Stage stage, std::string_view act) {
  switch (stage) {
    case Stage::kOpening:
      return act == "greeting" || act == "open_question";
    case Stage::kNeedsDiscovery:
      return act == "open_question" || act == "closed_question" || act == "needs_summary";
    case Stage::kProductIntro:
      return act == "value_statement" || act == "evidence" || act == "trial_close";
    case Stage::kObjectionHandling:
      return act == "objection_handling" || act == "evidence" || act == "value_statement";
    case Stage::kClosing:
      return act == "trial_close" || act == "close";
    case Stage::kCompleted:
    case Stage::kFailed:
      return false;
  }
  return false;
}

}  // namespace

conversation::TurnScores HeuristicEvaluator::Evaluate(const TurnContext& turn) {
  const std::string& lang = turn.session.language;
  const std::string folded = core::FoldText(turn.text);
  const std::string& act = turn.act.label;
  // The conduct rules decide what is a breach; a classifier's guess never does on its own.
  const auto findings = ConductRules::Builtin().Find(turn.text, lang);
  const auto broke = [&](auto&& which) { return std::any_of(findings.begin(), findings.end(), which); };
  const bool insult = broke([](const conversation::ComplianceFinding& f) { return f.rule == "insult"; });
  const bool risky =
      broke([](const conversation::ComplianceFinding& f) { return f.level == "BLOCK" && f.rule != "insult"; });
  const bool pressure = !findings.empty() && !risky && !insult;
  // The reason names the worst rule broken: a blocker before a warning.
  const auto worst = std::find_if(findings.begin(), findings.end(),
                                  [](const conversation::ComplianceFinding& f) { return f.level == "BLOCK"; });
  const std::string breach =
      findings.empty() ? std::string() : (worst != findings.end() ? worst : findings.begin())->message;
  const bool empathic = ContainsAny(folded, EmpathyCues());
  const bool superlative = ContainsAny(folded, SuperlativeCues());
  const bool touches = TouchesPersona(turn, folded);
  const bool pitch = act == "value_statement" || act == "evidence";
  const bool early_pitch = pitch && turn.customer.revealed.empty();
  const std::size_t chars = core::CountCodePoints(turn.text);
  const bool has_figures = std::any_of(turn.text.begin(), turn.text.end(), [](char c) { return c >= '0' && c <= '9'; });

  conversation::TurnScores out;
  auto set = [&](const char* dimension, double score, std::string_view en, std::string_view zh) {
    out.scores[dimension] = std::clamp(score, 0.0, 10.0);
    out.reasons[dimension] = std::string(Pick(lang, en, zh));
  };
  if (!findings.empty()) {
    out.scores["integrity"] = risky ? 1 : 3;
    out.reasons["integrity"] = breach;
  } else {
    set("integrity", 9, "Honest and transparent.", "诚实透明。");
  }
  const bool fits = FitsStage(turn.stage, act);
  if (insult) {
    set("relevance", 1, "Attacks the customer instead of the problem.", "攻击客户而不是解决问题。");
  } else if (act == "off_topic" && !touches && turn.act.confidence >= conversation::kSureOfAct) {
    set("relevance", 2, "Off the topic of the call.", "偏离了通话主题。");
  } else if (touches && fits) {
    set("relevance", 9, "On the customer's concerns and right for this stage.", "切中客户关注点，也符合当前阶段。");
  } else if (touches || fits) {
    set("relevance", 7, touches ? "Touches the customer's concerns." : "Fits this stage of the call.",
        touches ? "触及了客户关注的问题。" : "符合当前阶段。");
  } else {
    set("relevance", 5, "Not clearly linked to the customer's needs.", "和客户需求的联系不明显。");
  }
  if (risky) {
    out.scores["correctness"] = 2;
    out.reasons["correctness"] = breach;
  } else if (superlative) {
    set("correctness", 4, "Claims to be the best without evidence.", "没有依据地声称自己最好。");
  } else if (has_figures) {
    set("correctness", 8, "Concrete figures and terms.", "给出了具体的数字和条款。");
  } else {
    set("correctness", 7, "No factual claim to check.", "没有需要核实的事实陈述。");
  }
  if (chars < 4) {
    set("logic", 3, "Too short to carry a point.", "太短，没有表达出观点。");
  } else if (chars > 600) {
    set("logic", 5, "Too long for one turn of a call.", "作为一次发言太长了。");
  } else if (risky || insult) {
    out.scores["logic"] = 2;
    out.reasons["logic"] = breach;
  } else if (early_pitch || pressure) {
    set("logic", 4, early_pitch ? "Pitches before knowing the need." : "Pushes instead of reasoning.",
        early_pitch ? "还不了解需求就开始推销。" : "用施压代替说理。");
  } else {
    set("logic", fits ? 8 : 6, fits ? "A sensible next step." : "Could follow the call's flow more closely.",
        fits ? "合理的下一步。" : "可以更贴合通话的节奏。");
  }
  if (!findings.empty()) {
    out.scores["persuasiveness"] = risky || insult ? 1 : 2;
    out.reasons["persuasiveness"] = breach;
  } else if (early_pitch) {
    set("persuasiveness", 3, "A pitch without a known need does not persuade.", "没有需求支撑的推销缺乏说服力。");
  } else if (pitch && touches) {
    set("persuasiveness", 8, "Links value to what the customer cares about.", "把价值和客户关心的问题联系起来。");
  } else if (act == "objection_handling" || act == "trial_close" || act == "close") {
    set("persuasiveness", touches ? 8 : 6, "Moves the customer towards a decision.", "推动客户做决定。");
  } else {
    set("persuasiveness", 5, "Neutral.", "中性。");
  }
  if (insult) {
    set("empathy", 0, "Insults the customer.", "侮辱了客户。");
  } else if (empathic && findings.empty()) {
    set("empathy", 9, "Acknowledges the customer's view.", "体察了客户的感受。");
  } else if (!findings.empty()) {
    set("empathy", 3, "Puts the sale before the customer.", "把成交放在客户之前。");
  } else {
    set("empathy", act == "open_question" ? 7 : 6, "Polite, could acknowledge the customer more.",
        "礼貌，但可以多体察客户。");
  }
  return out;
}

boost::asio::awaitable<core::Result<conversation::TurnScores>> HeuristicEvaluator::Score(const TurnContext& turn) {
  co_return Evaluate(turn);
}

}  // namespace salesboost::brain
