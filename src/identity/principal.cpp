#include "identity/principal.hpp"

namespace salesboost::identity {

std::string_view RoleName(Role role) { return role == Role::kAdmin ? "admin" : "trainee"; }

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "trainee") return Role::kTrainee;
  return std::nullopt;
}

}  // namespace salesboost::identity
