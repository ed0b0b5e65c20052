#include "conversation/recommendation.hpp"

namespace salesboost::conversation {

namespace json = boost::json;

json::value RecommendNext(const std::vector<json::object>& scenarios, std::string_view scenario_id,
                          std::string_view language, std::string_view end_reason) {
  if (scenarios.empty()) return nullptr;
  std::size_t at = 0;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto* id = scenarios[i].if_contains("id");
    if (id != nullptr && id->is_string() && id->get_string() == scenario_id) at = i;
  }
  const bool next = end_reason == "won" && scenarios.size() > 1;
  const auto& chosen = scenarios[next ? (at + 1) % scenarios.size() : at];
  json::value title = nullptr;
  if (const auto* titles = chosen.if_contains("title"); titles != nullptr && titles->is_object()) {
    if (const auto* text = titles->as_object().if_contains(language)) title = *text;
  }
  return json::object{
      {"scenario_id", chosen.contains("id") ? chosen.at("id") : nullptr},
      {"title", title},
      {"why", next ? "the customer accepted: move on to the next scenario" : "practise this scenario again"}};
}

}  // namespace salesboost::conversation
