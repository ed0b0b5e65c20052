// PasswordPolicy: what a new password must be. At least `min_length`
// characters (code points) and at most 1024 bytes of valid UTF-8 without
// control characters; not only whitespace; not one character repeated or a
// run like "12345678" or "abcdefgh"; not the username; and not one of the
// common passwords attackers try first (a list compiled into the binary:
// src/identity/common_passwords.txt). The error says which rule failed.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace salesboost::identity {

struct PasswordPolicyOptions {
  std::int64_t min_length = 10;
};

class PasswordPolicy {
 public:
  explicit PasswordPolicy(PasswordPolicyOptions options = {}) : options_(options) {}

  // kInvalidArgument naming the rule when `password` may not be used by `username`.
  core::Result<void> Check(std::string_view password, std::string_view username) const;

 private:
  PasswordPolicyOptions options_;
};

// True when `password`, lower-cased, is on the common-passwords list.
bool IsCommonPassword(std::string_view password);

}  // namespace salesboost::identity
