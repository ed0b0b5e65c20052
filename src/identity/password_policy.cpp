#include "identity/password_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/embedded_file.hpp"
#include "core/utf8.hpp"
#include "identity/common_passwords.hpp"

namespace salesboost::identity {
namespace {

constexpr std::size_t kMaxBytes = 1024;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::unordered_set<std::string_view> LoadCommonPasswords() {
  std::unordered_set<std::string_view> set;
  for (const auto& file : CommonPasswordFiles()) {
    std::string_view rest = file.content;
    while (!rest.empty()) {
      const auto end = std::min(rest.find('\n'), rest.size());
      const auto line = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (!line.empty() && line.front() != '#') set.insert(line);
    }
  }
  return set;
}

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> kSet = LoadCommonPasswords();  // views into the embedded list
  return kSet;
}

// Only spaces: ASCII, no-break (U+00A0) and ideographic (U+3000) ones.
bool OnlySpaces(std::string_view password) {
  while (!password.empty()) {
    if (password.front() == ' ') {
      password.remove_prefix(1);
    } else if (password.starts_with("\xc2\xa0") || password.starts_with("\xe3\x80\x80")) {
      password.remove_prefix(password.front() == '\xc2' ? 2 : 3);
    } else {
      return false;
    }
  }
  return true;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// "aaaaaaaa", "12345678", "87654321", "abcdefgh": every step between neighbours the same 0 or ±1.
bool IsTrivialRun(std::string_view password) {
  if (password.size() < 2) return true;
  const int step = static_cast<unsigned char>(password[1]) - static_cast<unsigned char>(password[0]);
  if (step < -1 || step > 1) return false;
  for (std::size_t i = 2; i < password.size(); ++i) {
    if (static_cast<unsigned char>(password[i]) - static_cast<unsigned char>(password[i - 1]) != step) return false;
  }
  return true;
}

core::Result<void> Refuse(std::string message) {
  return core::Fail(core::ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

bool IsCommonPassword(std::string_view password) { return CommonPasswords().contains(Lower(password)); }

core::Result<void> PasswordPolicy::Check(std::string_view password, std::string_view username) const {
  if (password.size() > kMaxBytes) return Refuse(fmt::format("password must be at most {} bytes", kMaxBytes));
  if (!core::IsValidUtf8(password)) return Refuse("password must be valid UTF-8");
  if (std::any_of(password.begin(), password.end(), [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return Refuse("password must not contain control characters");
  }
  if (static_cast<std::int64_t>(core::CountCodePoints(password)) < options_.min_length) {
    return Refuse(fmt::format("password must be at least {} characters", options_.min_length));
  }
  if (OnlySpaces(password)) return Refuse("password must not be only spaces");
  if (IsTrivialRun(password)) return Refuse("password must not be one character repeated or a run like 12345678");
  if (Lower(password) == Lower(username)) return Refuse("password must not be the username");
  if (IsCommonPassword(password)) return Refuse("password is too common: it is on the list attackers try first");
  return core::Ok();
}

}  // namespace salesboost::identity
