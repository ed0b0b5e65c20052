// ComplianceChecker: the port that checks a text (the trainee's or the
// customer's) for compliance findings (ComplianceReport, events.hpp). Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>
#include "conversation/events.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

class ComplianceChecker {
 public:
  virtual ~ComplianceChecker() = default;
  virtual boost::asio::awaitable<core::Result<ComplianceReport>> Check(std::string_view text,
                                                                       std::string_view language) = 0;
};

}  // namespace salesboost::conversation
