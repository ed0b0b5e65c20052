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

// The text of the persona's objection or need `id` in the session's language; empty when unknown.
std::string PersonaText(const TurnContext& turn, std::string_view id) {
  for (const char* list : {"objections", "needs", "hidden_pains"}) {
    const auto* items = turn.persona.if_contains(list);
    if (items == nullptr || !items->is_array()) continue;
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) continue;
      const auto* key = item.get_object().if_contains("id");
      if (key != nullptr && key->is_string() && key->get_string() == id) {
        return Localized(item.get_object().if_contains("text"), turn.session.language);
      }
    }
  }
  return {};
}

// The first objection of the persona open in `customer`: {text, a phrase that resolves it}.
std::optional<std::pair<std::string, std::string>> OpenObjection(const TurnContext& turn,
                                                                 const conversation::CustomerState& customer) {
  const auto* objections = turn.persona.if_contains("objections");
  if (objections == nullptr || !objections->is_array()) return std::nullopt;
  for (const auto& o : objections->get_array()) {
    if (!o.is_object()) continue;
    const auto* id = o.get_object().if_contains("id");
    if (id == nullptr || !id->is_string()) continue;
    const std::string key(id->get_string());
    if (!customer.raised.contains(key) || customer.resolved.contains(key)) continue;
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

CoachTip OfflineCoach::Decide(const TurnContext& turn, const conversation::TurnAfter& after) const {
  const std::string& lang = turn.session.language;
  const std::string& act = turn.act.label;
  const auto& before = turn.customer;
  const auto quoted = [&](const std::string& text) {
    return text.empty() ? std::string()
                        : fmt::format(fmt::runtime(std::string(Pick(lang, " (\"{}\")", "（“{}”）"))), text);
  };
  // 1. A rule broken: name it and say what to say instead. Never praise such a turn.
  const conversation::ComplianceFinding* worst = nullptr;
  for (const auto& finding : after.findings) {
    if (worst == nullptr || (finding.level == "BLOCK" && worst->level != "BLOCK")) worst = &finding;
  }
  if (worst != nullptr) {
    const ConductRule* rule = rules_.Rule(worst->rule);
    const std::string title = worst->message.empty() ? worst->rule : worst->message;
    std::string text = rule != nullptr ? fmt::format("{}: {}", title, rule->Advice(lang)) : title;
    if (worst->level == "BLOCK") {
      text += Pick(lang, " This caps the session's score.", "本次练习的得分会因此封顶。");
    }
    return CoachTip{.type = "warning",
                    .technique = worst->rule,
                    .text = std::move(text),
                    .example = rule != nullptr ? std::string(rule->Example(lang)) : std::string(),
                    .evidence = {}};
  }
  // 2. An objection the customer has just accepted.
  for (const auto& id : after.customer.resolved) {
    if (before.resolved.contains(id) || !after.customer.raised.contains(id)) continue;
    if (!before.raised.contains(id)) {
      // Settled before the customer had to voice it: nothing the customer said to quote.
      return Tip(lang, "praise", "objection handling",
                 std::string(Pick(lang,
                                  "You answered a concern before the customer had to raise it. Check whether anything "
                                  "else holds them back, then ask for the next step.",
                                  "客户还没提出顾虑，你就先讲清楚了。确认一下还有没有其他顾虑，然后提出下一步。")),
                 "Is there anything else you'd want to know before we go ahead?",
                 "在我们往下走之前，您还有什么想了解的吗？");
    }
    return Tip(
        lang, "praise", "objection handling",
        fmt::format(fmt::runtime(std::string(Pick(lang,
                                                  "That answered the customer's concern{}. Check whether "
                                                  "anything else holds them back, then ask for the next step.",
                                                  "你化解了客户的顾虑{}。确认一下还有没有其他顾虑，然后提出下一步。"))),
                    quoted(PersonaText(turn, id))),
        "Is there anything else you'd want to know before we go ahead?", "在我们往下走之前，您还有什么想了解的吗？");
  }
  // 3. An objection still open after the reply.
  if (const auto open = OpenObjection(turn, after.customer)) {
    const auto& [objection, hint] = *open;
    const bool price = after.reply_intent == "price_objection" || after.reply_intent == "negotiation";
    return Tip(
        lang, "suggestion", price ? "value reframing" : "feel-felt-found",
        fmt::format(fmt::runtime(std::string(Pick(lang,
                                                  "The customer's concern is still open: \"{}\". Answer it "
                                                  "directly{}.",
                                                  "客户的顾虑还没有解决：“{}”。请正面回应{}。"))),
                    objection,
                    hint.empty() ? std::string()
                                 : fmt::format(fmt::runtime(std::string(Pick(
                                                   lang, ", for example by talking about \"{}\"", "，例如谈谈“{}”"))),
                                               hint)),
        price ? std::string_view("Let's look at what it brings back each month against what it costs.")
              : std::string_view("I understand how you feel; others felt the same, and what they found was..."),
        price ? std::string_view("我们算一下它每个月带来的回报和成本。")
              : std::string_view("我理解您的感受，其他客户一开始也这么觉得，后来他们发现……"));
  }
  const bool pitch = act == "value_statement" || act == "evidence";
  // 4. A pitch before any need is known.
  if (pitch && before.revealed.empty()) {
    return Tip(lang, "warning", "SPIN",
               std::string(Pick(lang, "You are pitching before you know what the customer needs. Ask first.",
                                "还不了解客户需求就开始介绍产品了。先提问。")),
               "How do you handle this today, and what gets in the way?", "您现在是怎么处理的？遇到过什么麻烦？");
  }
  // 5. A need the customer has just told.
  for (const auto& id : after.customer.revealed) {
    if (before.revealed.contains(id)) continue;
    return Tip(
        lang, "praise", "SPIN",
        fmt::format(fmt::runtime(std::string(Pick(lang,
                                                  "Good: the customer told you a need{}. Summarise it in their "
                                                  "words, then tie one benefit to it.",
                                                  "很好，客户说出了需求{}。用客户的话复述一遍，再对应一项好处。"))),
                    quoted(PersonaText(turn, id))),
        "So what matters most to you is..., did I get that right?", "也就是说，您最在意的是……我理解得对吗？");
  }
  // 6. A buying signal in the reply.
  if (after.customer.buying_signal && !before.buying_signal && act != "close" && act != "trial_close") {
    return Tip(lang, "suggestion", "trial close",
               std::string(Pick(lang,
                                "The customer is signalling interest: answer the question, then ask for the "
                                "next step.",
                                "客户在释放购买信号：先回答问题，再提出下一步。")),
               "Shall we set it up now so it's ready when you need it?", "那我们现在就帮您办好，好吗？");
  }
  if (act == "open_question") {
    return Tip(lang, "praise", "SPIN",
               std::string(Pick(lang, "Good open question: it lets the customer tell you about the problem.",
                                "很好的开放式问题，让客户自己说出问题。")),
               "What happens when that goes wrong?", "出了这种情况，会怎么样？");
  }
  if (act == "needs_summary") {
    return Tip(lang, "praise", "SPIN",
               std::string(Pick(lang, "Good summary: the customer hears you listened. Now tie a benefit to each need.",
                                "总结得好，客户感到被倾听了。接下来把好处和每个需求对应起来。")),
               "Because you ..., the ... means you no longer have to ...", "因为您……，所以……，您就不用再……");
  }
  if (act == "closed_question") {
    return Tip(lang, "suggestion", "SPIN",
               std::string(Pick(lang, "A yes/no question gets a short answer. Turn it into an open question.",
                                "是非题只能得到简短回答，试着改成开放式问题。")),
               "How do you handle that today?", "您现在是怎么处理的？");
  }
  if (pitch) {
    return Tip(lang, "praise", "FAB",
               std::string(Pick(lang,
                                "You tie the product to a need the customer told you. Add the benefit in their "
                                "words.",
                                "你把产品和客户说过的需求联系起来了。再用客户的话讲出好处。")),
               "Because of that, you no longer have to..., which means...", "有了这个，您就不用再……，也就是说……");
  }
  if (act == "trial_close" || act == "close") {
    return Tip(lang, "praise", "trial close",
               std::string(Pick(lang, "You asked for a concrete next step.", "你明确提出了下一步。")),
               "Shall we fix a date for it?", "我们定一个时间吧？");
  }
  if (!after.customer.revealed.empty() && turn.stage != Stage::kOpening && turn.stage != Stage::kNeedsDiscovery) {
    return Tip(lang, "suggestion", "trial close",
               std::string(Pick(lang, "The concerns are answered. Test the waters with a trial close.",
                                "顾虑已经解决，可以试探性地促成。")),
               "Would it make sense to start with a first step?", "要不要先从第一步开始试试？");
  }
  const std::string goal = StageGoal(turn);
  return Tip(
      lang, "suggestion", "SPIN",
      goal.empty()
          ? std::string(Pick(lang, "Ask about the customer's situation.", "了解一下客户的现状。"))
          : fmt::format(fmt::runtime(std::string(Pick(lang, "Goal of this stage: {}.", "本阶段目标：{}。"))), goal),
      "Could you tell me how you handle this today?", "能说说您现在是怎么处理的吗？");
}

std::string OfflineCoach::EvidenceQuery(const TurnContext& turn, const conversation::TurnAfter& after) {
  std::string query = turn.text;
  if (const auto open = OpenObjection(turn, after.customer)) query += fmt::format("\n{}", open->first);
  if (!after.findings.empty()) query += "\ncompliance 合规";
  return query;
}

boost::asio::awaitable<core::Result<CoachTip>> OfflineCoach::Advise(const TurnContext& turn,
                                                                    const conversation::TurnAfter& after) {
  CoachTip tip = Decide(turn, after);
  constexpr double kRelevant = 1.0;                // BM25 score below which a passage is not evidence
  std::string query = EvidenceQuery(turn, after);  // named: no temporaries inside co_await (g++ 12)
  auto search = knowledge_.Search(
      {.text = std::move(query), .language = turn.session.language, .k = 2, .collections = turn.collections});
  auto hits = co_await std::move(search);
  if (hits) {
    for (const auto& hit : *hits) {
      if (hit.lexical_score < kRelevant) continue;
      tip.evidence.push_back(conversation::Evidence{.text = hit.text,
                                                    .source = hit.source,
                                                    .heading = hit.heading,
                                                    .score = hit.score,
                                                    .citation = hit.citation.empty() ? hit.source : hit.citation});
    }
  }
  co_return tip;
}

}  // namespace salesboost::brain
