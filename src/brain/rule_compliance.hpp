// RuleCompliance: compliance rules on a message: guaranteed-return and
// risk-free claims (BLOCK), prompt-injection attempts (BLOCK), pressure
// tactics (WARN), personal data: mobile, ID and card numbers, e-mail
// addresses (WARN), and banned words from configuration (WARN).
// Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "conversation/agents.hpp"

namespace salesboost::brain {

class RuleCompliance final : public conversation::ComplianceChecker {
 public:
  explicit RuleCompliance(std::vector<std::string> banned_words) : banned_words_(std::move(banned_words)) {}
  boost::asio::awaitable<core::Result<conversation::ComplianceReport>> Check(std::string_view text,
                                                                             std::string_view language) override;
  conversation::ComplianceReport Evaluate(std::string_view text) const;

 private:
  std::vector<std::string> banned_words_;
};

}  // namespace salesboost::brain
