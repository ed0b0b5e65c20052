// RuleCompliance: compliance rules on a message: the conduct rules
// (conduct_rules.hpp and data/cues/conduct_rules.json: promised returns,
// requests for ID or card numbers, coercion, payment outside the company,
// other customers' data, ignoring the rules, insults, instructions to the
// simulator are BLOCK; false urgency, pressure, cost played down, disparaging
// competitors WARN), personal data written out: mobile,
// ID and card numbers, e-mail addresses (WARN), and banned words from
// configuration (WARN). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "brain/conduct_rules.hpp"
#include "conversation/agents.hpp"

namespace salesboost::brain {

class RuleCompliance final : public conversation::ComplianceChecker {
 public:
  explicit RuleCompliance(std::vector<std::string> banned_words)
      : rules_(ConductRules::Builtin()), banned_words_(std::move(banned_words)) {}
  boost::asio::awaitable<core::Result<conversation::ComplianceReport>> Check(std::string_view text,
                                                                             std::string_view language) override;
  conversation::ComplianceReport Evaluate(std::string_view text, std::string_view language = "en") const;
  const ConductRules& rules() const { return rules_; }

 private:
  const ConductRules& rules_;
  std::vector<std::string> banned_words_;
};

}  // namespace salesboost::brain
