// Principal: who is making a request, as proven by a verified token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace salesboost::identity {

enum class Role { kTrainee, kAdmin };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Principal {
  std::string user_id;
  std::string tenant_id;
  std::string username;
  Role role = Role::kTrainee;
  std::int64_t token_version = 0;  // the user's token version when the token was issued

  bool IsAdmin() const { return role == Role::kAdmin; }
};

}  // namespace salesboost::identity
