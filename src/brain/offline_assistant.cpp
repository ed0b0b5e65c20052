#include "brain/offline_assistant.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "brain/localized.hpp"
#include "core/markdown.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace salesboost::brain {
namespace {

using conversation::AssistSuggestion;

struct Reply {
  std::string_view en;
  std::string_view zh;
  bool needs_fact = false;  // the reply quotes {fact}: only offered when the knowledge base has one
};

struct Playbook {
  std::string_view intent;
  std::string_view technique;
  std::string_view topic;  // added to the knowledge query: where the answer to this intent is written
  std::array<Reply, 3> replies;
};

// What a good salesperson answers to each intent: the technique, and replies
// written for it. {fact} is the best passage the knowledge base has.
const std::vector<Playbook>& Playbooks() {
  static const std::vector<Playbook> playbooks = {
      {"price_inquiry",
       "transparent pricing anchored on value",
       "price plan fee 价格 方案 费用",
       {{{"Here is how the price works: {fact} Which option fits how you work today?",
          "价格是这样的：{fact} 您看哪种方式更适合您现在的情况？", true},
         {"I'll give you the exact figure; first, how many people would use it, so I quote the right plan?",
          "我把准确的数字给您；先确认一下，大概有多少人会用，我好报对方案？"},
         {"The price depends on the plan; may I ask what matters most to you, so I compare the right ones?",
          "价格取决于方案；您最看重哪一点？我帮您对比最合适的。"}}}},
      {"price_objection",
       "feel-felt-found",
       "price objection too expensive value 价格 太贵 价值",
       {{{"I understand, it is a real amount. Other owners felt the same, and found that {fact}",
          "理解，这确实不是小数目。其他老板一开始也这么觉得，后来发现：{fact}", true},
         {"That's fair. Could we look at what the current way costs you each month, and compare it honestly?",
          "您说得对。我们一起算算现在的做法每个月实际花多少，再客观比较一下，好吗？"},
         {"If the price were right, is there anything else that would hold you back?",
          "如果价格合适，还有其他让您犹豫的地方吗？"}}}},
      {"product_inquiry",
       "answer from the product sheet, then check the need",
       "feature how it works 功能",
       {{{"Yes: {fact} Would that cover what you need it for?", "可以的：{fact} 这能满足您的需要吗？", true},
         {"Good question. What would you use it for, so I can show you the part that matters?",
          "好问题。您主要想用在哪个场景？我给您看最相关的部分。"},
         {"Let me check that precisely for your setup and come back to you today. What are you using now?",
          "我针对您的情况确认一下，今天之内回复您。您现在用的是什么？"}}}},
      {"benefit_inquiry",
       "FAB (feature, advantage, benefit)",
       "benefit result customers 好处 效果",
       {{{"For you it means this: {fact} Where do you lose the most time today?",
          "对您来说意味着：{fact} 您现在最花时间的是哪一块？", true},
         {"It depends on what hurts most today. What happens now when a customer doesn't come back?",
          "这取决于您现在最头疼的是什么。现在客户不再回头时，一般会怎样？"},
         {"Let's take one thing you do every week and see what it would change. Which task would you pick?",
          "我们拿您每周都要做的一件事，看看能改变什么。您选哪一件？"}}}},
      {"competitor_comparison",
       "differentiate without criticising",
       "competitor compare difference 竞争 对比 区别",
       {{{"They are a good company. What customers tell us makes the difference for them: {fact}",
          "他们也是不错的公司。客户告诉我们，对他们来说真正的区别在于：{fact}", true},
         {"What matters most to you in the comparison? I'd rather show you where we fit than claim we're better.",
          "您比较时最看重什么？我更愿意让您看清我们适不适合，而不是说我们更好。"},
         {"Would a side-by-side of the two offers on your own numbers help you decide?",
          "要不要用您自己的数据，把两家方案并排比一比？"}}}},
      {"case_request",
       "evidence",
       "case cases customer customers results 案例 客户 效果",
       {{{"Yes, here is one: {fact} Would you like to speak with a similar customer?",
          "有的，比如：{fact} 您想和类似的客户聊一聊吗？", true},
         {"I can arrange a call with a customer of a similar size. Which questions would you ask them?",
          "我可以安排您和规模相近的客户通个电话。您最想问他们什么？"},
         {"I'll send you a short case with the numbers; which result would matter most to you?",
          "我给您发一个带数据的简短案例；您最关心哪个结果？"}}}},
      {"negotiation",
       "trade concessions, protect value",
       "discount trial terms 折扣 试用 条款",
       {{{"I may have some room if we agree on the scope. If I could do that, would you be ready to start?",
          "如果范围定下来，我可以争取一些空间。如果能做到，您准备开始吗？"},
         {"What we can offer is on the record: {fact} Which part matters most to you?",
          "我们能提供的都写得很清楚：{fact} 您最看重哪一部分？", true},
         {"Rather than cutting the price, could we start smaller and grow when you see results?",
          "与其降价，不如先从小范围开始，看到效果再扩大，您觉得呢？"}}}},
      {"hesitation",
       "uncover the concern with an open question",
       "concern trial risk 顾虑 试用",
       {{{"Of course, it is a real decision. What is the one thing you would need to be sure about?",
          "当然，这是个认真的决定。您最需要确认的是哪一点？"},
         {"Many owners hesitated at first. What helped them: {fact}", "很多老板一开始也犹豫。对他们有帮助的是：{fact}",
          true},
         {"Would a short trial in one place make it easier to decide?",
          "先在一个地方小范围试用，会不会更好做决定？"}}}},
      {"positive_feedback",
       "trial close",
       "trial next step 试用 下一步",
       {{{"Glad that helps. Shall we see how it would look for you in a short trial?",
          "很高兴对您有帮助。要不要先短期试用，看看在您这里效果如何？"},
         {"Great. Is there anything else you would want to see before we talk about next steps?",
          "太好了。在谈下一步之前，还有什么您想先了解的吗？"},
         {"Since that fits, would it make sense to set up a pilot next week?", "既然合适，下周安排一个试点怎么样？"}}}},
      {"final_confirmation",
       "confirm next steps",
       "onboarding contract start 上线 合同",
       {{{"Thank you. I'll send the agreement today and we'll agree the start date together.",
          "谢谢您。我今天把协议发给您，开始时间我们一起确定。"},
         {"Great decision. Who on your side should I set up first, and when suits you for the onboarding?",
          "好的。您这边先给谁开通？上线培训您什么时候方便？"},
         {"Thank you. Let me summarise what we agreed, so nothing is missed.",
          "谢谢。我把我们谈好的内容总结一下，确保没有遗漏。"}}}},
      {"soft_rejection",
       "keep the door open with permission",
       "objection follow up 异议 跟进",
       {{{"I understand. May I ask what would need to change for this to be worth another look?",
          "理解。方便问一下，什么情况下值得再看一看？"},
         {"No problem. May I send you one short page and check back in a month?",
          "没问题。我给您发一页简短资料，一个月后再跟您确认，可以吗？"},
         {"Thank you for your time. If the situation changes, here is what to keep in mind: {fact}",
          "谢谢您的时间。如果情况有变化，可以记住这一点：{fact}", true}}}},
      {"time_pressure",
       "respect the time, one-line value, next step",
       "summary value 价值 简介",
       {{{"I'll be brief: {fact} Could we find fifteen minutes later this week?",
          "长话短说：{fact} 这周能再约十五分钟吗？", true},
         {"Of course. When would be a better time for a ten-minute call?", "好的。您什么时候方便，我们再聊十分钟？"},
         {"In one sentence: we help you keep customers coming back. May I send you a short summary?",
          "一句话：我们帮您让客户持续回头。我发一份简短介绍给您，可以吗？"}}}},
      {"filler",
       "keep the customer talking with an open question",
       "discovery question 提问",
       {{{"How do you handle that today?", "您现在是怎么处理的？"},
         {"What would you most like to improve there?", "这方面您最想改进的是什么？"},
         {"Could you tell me a bit more about how it works in your team?", "能多说说您团队里具体是怎么做的吗？"}}}},
      {"greeting",
       "rapport and an agenda",
       "opening agenda 开场",
       {{{"Thank you for making the time. May I ask a few questions about how you work today, so I only show what's "
          "relevant?",
          "感谢您抽时间。我先了解一下您现在的做法，这样只给您讲相关的内容，可以吗？"},
         {"Nice to meet you. How much time do we have, so I keep to it?",
          "很高兴认识您。我们有多少时间？我好控制节奏。"},
         {"Hello, thank you. What made you interested in talking today?", "您好，谢谢。今天是什么让您想聊一聊？"}}}},
      {"unclear",
       "rephrase simply and check understanding",
       "summary 简介",
       {{{"Sorry, let me put it more simply. Which part should I explain again?",
          "不好意思，我说得简单一点。哪一部分需要我再解释？"},
         {"Let me check I understood you: what is the main question on your mind?",
          "我确认一下我理解对了：您现在最想问的是什么？"},
         {"In short: {fact} Does that answer it?", "简单说：{fact} 这样回答您的问题吗？", true}}}},
  };
  return playbooks;
}

const Playbook& PlaybookFor(std::string_view intent) {
  for (const auto& playbook : Playbooks()) {
    if (playbook.intent == intent) return playbook;
  }
  return Playbooks().back();  // unclear
}

// One sentence of the best customer-facing passage, short enough to say:
// the first with a number in it (the most concrete), else the first. Said
// aloud, so plain text: no headings, list markers, emphasis, table pipes or
// link targets; each line (a list item, a table row) is sentences of its own.
std::string Fact(const std::vector<conversation::KnowledgeHit>& hits) {
  const auto hit = std::find_if(hits.begin(), hits.end(), conversation::IsCustomerFacing);
  if (hit == hits.end()) return {};
  const std::string plain = core::StripMarkdown(hit->text);
  std::string first;
  std::string_view rest = plain;
  while (!rest.empty()) {
    const auto end = std::min(rest.find('\n'), rest.size());
    const auto line = rest.substr(0, end);
    rest.remove_prefix(std::min(end + 1, rest.size()));
    for (auto& sentence : core::SplitSentences(line)) {
      const auto length = core::CountCodePoints(sentence);
      if (length < 8 || length > 160) continue;  // "Yes." says nothing; a paragraph is not a line
      if (std::any_of(sentence.begin(), sentence.end(), [](char c) { return c >= '0' && c <= '9'; })) return sentence;
      if (first.empty()) first = std::move(sentence);
    }
  }
  return first;
}

// What a customer says when they are ready to buy ("好的，那怎么办理？", "how do
// I sign up"): asking how to proceed is a buying signal, whatever the words
// of doubt around it ("好的，那…" reads as hesitation to the classifier). A
// signal only counts without a word of holding back in the same message.
// Phrases in lower case, matched on the folded message (core::ContainsPhrase).
constexpr auto kBuyingSignals = std::to_array<std::string_view>({"怎么办理",
                                                                 "如何办理",
                                                                 "在哪办理",
                                                                 "办理流程",
                                                                 "怎么开通",
                                                                 "如何开通",
                                                                 "怎么签约",
                                                                 "怎么签合同",
                                                                 "怎么购买",
                                                                 "怎么买",
                                                                 "怎么申请",
                                                                 "那就办",
                                                                 "就办吧",
                                                                 "帮我办",
                                                                 "给我办",
                                                                 "我要办",
                                                                 "那就买",
                                                                 "那就定了",
                                                                 "就这么定",
                                                                 "签吧",
                                                                 "下一步怎么",
                                                                 "下一步是什么",
                                                                 "什么时候能开通",
                                                                 "什么时候可以开始",
                                                                 "how do i sign up",
                                                                 "how do we sign up",
                                                                 "sign me up",
                                                                 "where do i sign",
                                                                 "how do i get started",
                                                                 "how do we get started",
                                                                 "what are the next steps",
                                                                 "what's the next step",
                                                                 "what is the next step",
                                                                 "let's do it",
                                                                 "lets do it",
                                                                 "let's go ahead",
                                                                 "i'll take it",
                                                                 "we'll take it",
                                                                 "how do i apply",
                                                                 "how do we proceed",
                                                                 "send me the contract"});
constexpr auto kHoldingBack =
    std::to_array<std::string_view>({"再想想", "考虑一下", "考虑考虑", "不想", "先不", "不办", "不买", "还没想好",
                                     "not ready", "not sure", "don't want", "think about it", "not now"});

bool IsBuyingSignal(std::string_view message) {
  const std::string folded = core::FoldText(message);
  const auto in = [&](std::string_view phrase) { return core::ContainsPhrase(folded, phrase); };
  return std::any_of(kBuyingSignals.begin(), kBuyingSignals.end(), in) &&
         std::none_of(kHoldingBack.begin(), kHoldingBack.end(), in);
}

}  // namespace

boost::asio::awaitable<core::Result<conversation::Assistance>> OfflineAssistant::Assist(
    conversation::AssistRequest request) {
  constexpr double kRelevant = 1.0;  // BM25 score below which a passage is not grounding
  conversation::Assistance out;
  out.language = core::ContainsHan(request.customer_message) ? "zh" : "en";
  out.intent = intents_.Classify(request.customer_message);
  if (IsBuyingSignal(request.customer_message) && out.intent.label != "final_confirmation") {
    // The classifier's confidence was for another label; a matched signal is reported at kSignalConfidence.
    constexpr double kSignalConfidence = 0.9;
    out.intent = {.label = "final_confirmation", .confidence = std::max(out.intent.confidence, kSignalConfidence)};
  }
  const auto& playbook = PlaybookFor(out.intent.label);
  std::string query = fmt::format("{}\n{}\n{}", request.customer_message, request.context, playbook.topic);
  auto search = knowledge_.Search(
      {.text = std::move(query), .language = out.language, .k = 4, .collections = std::move(request.collections)});
  auto hits = co_await std::move(search);
  if (!hits) co_return core::Fail(hits.error());
  for (auto& hit : *hits) {
    if (hit.lexical_score >= kRelevant) out.knowledge.push_back(std::move(hit));
  }
  const std::string fact = Fact(out.knowledge);
  if (out.knowledge.size() > 3) out.knowledge.resize(3);
  for (const auto& reply : playbook.replies) {
    if (reply.needs_fact && fact.empty()) continue;
    std::string text(Pick(out.language, reply.en, reply.zh));
    if (const auto at = text.find("{fact}"); at != std::string::npos) text.replace(at, 6, fact);
    auto checked = co_await compliance_.Check(text, out.language);
    if (!checked || checked->level == "BLOCK") continue;  // never offer what the rules block
    out.suggestions.push_back(AssistSuggestion{.text = std::move(text), .technique = std::string(playbook.technique)});
  }
  if (out.suggestions.empty()) {
    co_return core::Fail(core::ErrorCode::kInternal, "no compliant suggestion could be written");
  }
  co_return out;
}

}  // namespace salesboost::brain
