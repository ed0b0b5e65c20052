#include "brain/offline_coach.hpp"

#include <fmt/format.h>
#include <boost/json/array.hpp>

#include "brain/localized.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;
using conversation::CoachTip;
using conversation::Stage;
using conversation::TurnContext;

CoachTip Tip(std::string_view lang, std::string_view type, std::string_view technique, std::string text,
             std::string_view example_en, std::string_view example_zh) {
  return CoachTip{.type = std::string(type),
                  .technique = std::string(technique),
                  .text = std::move(text),
                  .example = std::string(Pick(lang, example_en, example_zh)),
                  .evidence = {}};
}

// The first open objection of the persona: {text, a phrase that resolves it}.
std::optional<std::pair<std::string, std::string>> OpenObjection(const TurnContext& turn) {
  const auto* objections = turn.persona.if_contains("objections");
  if (objections == nullptr || !objections->is_array()) return std::nullopt;
  for (const auto& o : objections->get_array()) {
    if (!o.is_object()) continue;
    const auto* id = o.get_object().if_contains("id");
    if (id == nullptr || !id->is_string()) continue;
    const std::string key(id->get_string());
    if (!turn.customer.raised.contains(key) || turn.customer.resolved.contains(key)) continue;
    std::string hint;
    if (const auto* by = o.get_object().if_contains("resolved_by"); by != nullptr && by->is_array()) {
      for (const auto& word : by->get_array()) {
        if (!word.is_string()) continue;
        const bool cjk = !word.get_string().empty() && static_cast<unsigned char>(word.get_string()[0]) >= 0x80;
        if (cjk == (turn.session.language == "zh")) {
          hint = word.get_string();
          break;
        }
      }
    }
    return std::make_pair(Localized(o.get_object().if_contains("text"), turn.session.language), hint);
  }
  return std::nullopt;
}

std::string StageGoal(const TurnContext& turn) {
  const auto* goals = turn.scenario.if_contains("stage_goals");
  if (goals == nullptr || !goals->is_object()) return {};
  const auto name = conversation::StageName(turn.stage);
  return Localized(goals->get_object().if_contains(name), turn.session.language);
}

}  // namespace

CoachTip OfflineCoach::Decide(const TurnContext& turn) {
  const std::string& lang = turn.session.language;
  const std::string& act = turn.act.label;
  if (act == "compliance_risk") {
    return Tip(lang, "warning", "compliance",
               std::string(Pick(lang,
                                "Never promise returns or say there is no risk: it breaks the rules and the "
                                "customer's trust.",
                                "不要承诺收益或说没有风险：这违反合规要求，也会失去客户信任。")),
               "What I can show you is how similar stores measured their results.",
               "我可以给您看看同类门店是怎么衡量效果的。");
  }
  if (const auto open = OpenObjection(turn)) {
    const auto& [objection, hint] = *open;
    return Tip(
        lang, "suggestion", "feel-felt-found",
        fmt::format(fmt::runtime(std::string(Pick(lang,
                                                  "The customer's concern is still open: \"{}\". Answer it "
                                                  "directly{}.",
                                                  "客户的顾虑还没有解决：“{}”。请正面回应{}。"))),
                    objection,
                    hint.empty() ? std::string()
                                 : fmt::format(fmt::runtime(std::string(Pick(
                                                   lang, ", for example by talking about \"{}\"", "，例如谈谈“{}”"))),
                                               hint)),
        "I understand how you feel; other owners felt the same, and what they found was...",
        "我理解您的感受，其他老板一开始也这么觉得，后来他们发现……");
  }
  if ((act == "value_statement" || act == "evidence") && turn.customer.revealed.empty()) {
    return Tip(lang, "warning", "SPIN",
               std::string(Pick(lang, "You are pitching before you know what the customer needs. Ask first.",
                                "还不了解客户需求就开始介绍产品了。先提问。")),
               "How do you follow up with customers after their first visit today?",
               "现在客户第一次到店后，您是怎么跟进的？");
  }
  if (act == "open_question") {
    return Tip(lang, "praise", "SPIN",
               std::string(Pick(lang, "Good open question: it lets the customer tell you about the problem.",
                                "很好的开放式问题，让客户自己说出问题。")),
               "What happens when a salesperson forgets to follow up?", "销售忘记跟进的时候，会发生什么？");
  }
  if (act == "closed_question") {
    return Tip(lang, "suggestion", "SPIN",
               std::string(Pick(lang, "A yes/no question gets a short answer. Turn it into an open question.",
                                "是非题只能得到简短回答，试着改成开放式问题。")),
               "How do you keep track of customers across your stores?", "您现在是怎么管理几家店的客户的？");
  }
  if ((act == "value_statement" || act == "evidence") && !turn.customer.revealed.empty()) {
    return Tip(lang, "praise", "FAB",
               std::string(Pick(lang,
                                "You tie the product to a need the customer told you. Add the benefit in their "
                                "words.",
                                "你把产品和客户说过的需求联系起来了。再用客户的话讲出好处。")),
               "Because reminders go out automatically, no lead is forgotten, so you keep those sales.",
               "系统会自动提醒跟进，所以不会再漏掉客户，这些生意就留住了。");
  }
  if (!turn.customer.revealed.empty() && turn.stage != Stage::kOpening && turn.stage != Stage::kNeedsDiscovery &&
      act != "trial_close" && act != "close") {
    return Tip(lang, "suggestion", "trial close",
               std::string(Pick(lang, "The concerns are answered. Test the waters with a trial close.",
                                "顾虑已经解决，可以试探性地促成。")),
               "Would it make sense to try it in one store first?", "要不要先在一家店试用看看？");
  }
  if (act == "trial_close" || act == "close") {
    return Tip(lang, "praise", "trial close",
               std::string(Pick(lang, "You asked for a concrete next step.", "你明确提出了下一步。")),
               "Shall we pick a start date for the trial?", "我们定一个试用开始的时间吧？");
  }
  const std::string goal = StageGoal(turn);
  return Tip(
      lang, "suggestion", "SPIN",
      goal.empty()
          ? std::string(Pick(lang, "Ask about the customer's situation.", "了解一下客户的现状。"))
          : fmt::format(fmt::runtime(std::string(Pick(lang, "Goal of this stage: {}.", "本阶段目标：{}。"))), goal),
      "Could you tell me how you handle this today?", "能说说您现在是怎么处理的吗？");
}

std::string OfflineCoach::EvidenceQuery(const TurnContext& turn) {
  std::string query = turn.text;
  if (const auto open = OpenObjection(turn)) query += fmt::format("\n{}", open->first);
  if (turn.act.label == "compliance_risk") query += "\ncompliance 合规";
  return query;
}

boost::asio::awaitable<core::Result<CoachTip>> OfflineCoach::Advise(const TurnContext& turn) {
  CoachTip tip = Decide(turn);
  constexpr double kRelevant = 1.0;         // BM25 score below which a passage is not evidence
  std::string query = EvidenceQuery(turn);  // named: no temporaries inside co_await (g++ 12)
  auto search = knowledge_.Search(
      {.text = std::move(query), .language = turn.session.language, .k = 2, .collections = turn.collections});
  auto hits = co_await std::move(search);
  if (hits) {
    for (const auto& hit : *hits) {
      if (hit.lexical_score < kRelevant) continue;
      tip.evidence.push_back(
          conversation::Evidence{.text = hit.text, .source = hit.source, .heading = hit.heading, .score = hit.score});
    }
  }
  co_return tip;
}

}  // namespace salesboost::brain
