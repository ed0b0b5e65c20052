#include "brain/keyword_act_classifier.hpp"

#include <array>

#include "brain/text_match.hpp"
#include "core/text.hpp"

namespace salesboost::brain {
namespace {

struct Rule {
  std::string_view label;
  double confidence;
  std::vector<std::string_view> cues;
};

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      {"close",
       0.85,
       {"sign the contract", "sign today", "place the order", "shall i send the contract", "签合同", "签约", "下单",
        "把合同发"}},
      {"trial_close",
       0.8,
       {"trial", "try it", "pilot", "shall we start", "would you like to start", "how about starting", "试用", "试一下",
        "试试", "先在一家", "要不要开始"}},
      {"objection_handling",
       0.75,
       {"i understand your", "understand the concern", "other owners felt", "customers felt", "found that", "concern",
        "理解您", "理解你", "很多客户也", "顾虑", "担心", "后来发现"}},
      {"evidence",
       0.75,
       {"for example", "case study", "one of our customers", "a customer of ours", "data shows", "例如", "比如", "案例",
        "有一家", "数据显示"}},
      {"needs_summary",
       0.75,
       {"so you", "if i understand", "sounds like", "what i hear", "所以您", "所以你", "也就是说", "听起来",
        "总结一下"}},
      {"open_question",
       0.8,
       {"what ", "how ", "why ", "which ", "tell me", "could you describe", "walk me through", "哪些", "怎么", "如何",
        "为什么", "什么", "说说", "介绍一下您"}},
      {"closed_question",
       0.6,
       {"?", "？", "吗", "是不是", "有没有", "do you", "is it", "are you", "have you", "can you"}},
      {"value_statement",
       0.65,
       {"our ", "we offer", "product", "feature", "helps you", "it can", "我们的", "产品", "功能", "可以帮", "帮助您",
        "帮您"}},
      {"greeting",
       0.7,
       {"hello", "hi ", "good morning", "good afternoon", "my name is", "this is", "你好", "您好", "我是", "打扰"}},
  };
  return rules;
}

}  // namespace

conversation::SalesAct KeywordActClassifier::Classify(std::string_view text, std::string_view /*language*/) const {
  // A trailing space lets "what " and "hi " match at the end of the text too.
  const std::string folded = core::FoldText(text) + " ";
  if (ContainsAny(folded, GuaranteeCues())) return conversation::SalesAct{"compliance_risk", 0.9};
  for (const auto& rule : Rules()) {
    if (ContainsAny(folded, rule.cues)) return conversation::SalesAct{std::string(rule.label), rule.confidence};
  }
  return conversation::SalesAct{"off_topic", 0.3};
}

}  // namespace salesboost::brain
