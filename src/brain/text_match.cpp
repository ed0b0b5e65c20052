#include "brain/text_match.hpp"

#include "core/text.hpp"

namespace salesboost::brain {
bool ContainsKeyword(std::string_view folded, std::string_view keyword) {
  return core::ContainsPhrase(folded, keyword);
}

bool ContainsAny(std::string_view folded, const std::vector<std::string_view>& keywords) {
  for (const auto keyword : keywords) {
    if (ContainsKeyword(folded, keyword)) return true;
  }
  return false;
}

bool ContainsAny(std::string_view folded, const std::vector<std::string>& keywords) {
  for (const auto& keyword : keywords) {
    if (ContainsKeyword(folded, keyword)) return true;
  }
  return false;
}

std::string FirstMatch(std::string_view folded, const boost::json::array& keywords) {
  for (const auto& keyword : keywords) {
    if (keyword.is_string() && ContainsKeyword(folded, keyword.get_string())) return std::string(keyword.get_string());
  }
  return {};
}

const std::vector<std::string_view>& EmpathyCues() {
  static const std::vector<std::string_view> cues = {"understand", "appreciate", "sorry", "thank", "makes sense",
                                                     "理解",       "感谢",       "谢谢",  "抱歉",  "辛苦"};
  return cues;
}

const std::vector<std::string_view>& SuperlativeCues() {
  static const std::vector<std::string_view> cues = {"the best", "number one", "no.1", "unbeatable", "best product",
                                                     "最好",     "第一",       "最强", "无人能比"};
  return cues;
}

}  // namespace salesboost::brain
