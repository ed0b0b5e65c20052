#include "conversation/recommendation.hpp"

#include <fmt/format.h>

#include "catalog/rubric.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

std::string_view Pick(std::string_view language, std::string_view en, std::string_view zh) {
  return language == "zh" ? zh : en;
}

// The share of a scenario's rubric weight on `skill`.
double SkillShare(const json::object& scenario, std::string_view skill) {
  const auto rubric = catalog::RubricOf(scenario);
  double on = 0;
  double all = 0;
  for (const auto& c : rubric.criteria) {
    all += c.weight;
    if (c.skill == skill) on += c.weight;
  }
  return all > 0 ? on / all : 0;
}

}  // namespace

json::value RecommendNext(const std::vector<json::object>& scenarios, std::string_view scenario_id,
                          std::string_view language, const Scorecard& card) {
  if (scenarios.empty()) return nullptr;
  std::size_t at = 0;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto* id = scenarios[i].if_contains("id");
    if (id != nullptr && id->is_string() && id->get_string() == scenario_id) at = i;
  }
  const CriterionResult* weakest = nullptr;
  for (const auto& c : card.criteria) {
    const double missed = c.weight * (1 - c.points);
    if (missed > 0 && (weakest == nullptr || missed > weakest->weight * (1 - weakest->points))) weakest = &c;
  }
  std::size_t chosen = at;
  std::string why;
  if (!card.blockers.empty()) {
    const auto& blocker = card.blockers.front();
    why = fmt::format(fmt::runtime(std::string(Pick(language, "practise this scenario again without breaking \"{}\"",
                                                    "再练一次本场景，不要再违反“{}”"))),
                      blocker.message.empty() ? blocker.rule : blocker.message);
  } else if (weakest != nullptr) {
    double best = SkillShare(scenarios[at], weakest->skill);
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      const double share = SkillShare(scenarios[i], weakest->skill);
      if (share > best + 1e-9) {
        best = share;
        chosen = i;
      }
    }
    why = fmt::format(
        fmt::runtime(std::string(Pick(language, "your weakest criterion was \"{}\": this scenario trains it",
                                      "你最弱的一项是“{}”：这个场景专门练习它"))),
        weakest->title);
  } else if (card.outcome.result == "won" && scenarios.size() > 1) {
    chosen = (at + 1) % scenarios.size();
    why = std::string(Pick(language, "every criterion met and the customer agreed: move on to the next scenario",
                           "所有标准都达到了，客户也同意了：进入下一个场景"));
  } else {
    why = std::string(Pick(language, "every criterion met: practise this scenario again and win the customer",
                           "所有标准都达到了：再练一次，争取客户同意"));
  }
  const auto& scenario = scenarios[chosen];
  json::value title = nullptr;
  if (const auto* titles = scenario.if_contains("title"); titles != nullptr && titles->is_object()) {
    if (const auto* text = titles->as_object().if_contains(language)) title = *text;
  }
  return json::object{{"scenario_id", scenario.contains("id") ? scenario.at("id") : nullptr},
                      {"title", title},
                      {"why", std::move(why)}};
}

}  // namespace salesboost::conversation
