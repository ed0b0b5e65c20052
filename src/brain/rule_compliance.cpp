#include "brain/rule_compliance.hpp"

#include <fmt/format.h>

#include <cctype>

#include "brain/text_match.hpp"
#include "core/text.hpp"

namespace salesboost::brain {
namespace {

using conversation::ComplianceFinding;

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Runs of digits (spaces and dashes inside allowed) that look like a mobile,
// ID or card number; and e-mail addresses.
void FindPersonalData(std::string_view text, std::string_view language, std::vector<ComplianceFinding>& out) {
  const std::string message(language == "zh" ? "对话中出现了个人信息" : "Personal data written in the conversation");
  for (std::size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    std::string digits;
    while (i < text.size() && (IsDigit(text[i]) || ((text[i] == ' ' || text[i] == '-') && i + 1 < text.size() &&
                                                    IsDigit(text[i + 1]) && !digits.empty()))) {
      if (IsDigit(text[i])) digits.push_back(text[i]);
      ++i;
    }
    bool id_suffix = false;
    if (digits.size() == 17 && i < text.size() && (text[i] == 'X' || text[i] == 'x')) id_suffix = true, ++i;
    const std::string excerpt(text.substr(start, i - start));
    if (digits.size() == 11 && digits[0] == '1') {
      out.push_back({"personal_data", "WARN", fmt::format("mobile number {}", excerpt), message});
    } else if (digits.size() == 18 || id_suffix) {
      out.push_back({"personal_data", "WARN", fmt::format("ID number {}", excerpt), message});
    } else if (digits.size() >= 13 && digits.size() <= 19) {
      out.push_back({"personal_data", "WARN", fmt::format("card number {}", excerpt), message});
    }
  }
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) != 0 || text[begin - 1] == '.' ||
                         text[begin - 1] == '_' || text[begin - 1] == '-')) {
      --begin;
    }
    std::size_t end = at + 1;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '.' || text[end] == '-')) {
      ++end;
    }
    const auto domain = text.substr(at + 1, end - at - 1);
    if (begin < at && domain.find('.') != std::string_view::npos) {
      out.push_back(
          {"personal_data", "WARN", fmt::format("e-mail address {}", text.substr(begin, end - begin)), message});
    }
  }
}

}  // namespace

conversation::ComplianceReport RuleCompliance::Evaluate(std::string_view text, std::string_view language) const {
  conversation::ComplianceReport report;
  report.findings = rules_.Find(text, language);
  FindPersonalData(text, language, report.findings);
  const std::string folded = core::FoldText(text);
  for (const auto& word : banned_words_) {
    if (ContainsKeyword(folded, word)) {
      report.findings.push_back(
          {"banned_word", "WARN", word, std::string(language == "zh" ? "使用了禁用词" : "A banned word")});
    }
  }
  for (const auto& finding : report.findings) {
    if (finding.level == "BLOCK") report.level = "BLOCK";
    if (finding.level == "WARN" && report.level == "OK") report.level = "WARN";
  }
  return report;
}

boost::asio::awaitable<core::Result<conversation::ComplianceReport>> RuleCompliance::Check(std::string_view text,
                                                                                           std::string_view language) {
  co_return Evaluate(text, language);
}

}  // namespace salesboost::brain
