// UserRepository: users in the Store, in portable SQL. Awaitable; the SQL
// runs on the store's blocking threads. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/result.hpp"
#include "identity/principal.hpp"
#include "storage/store.hpp"

namespace salesboost::identity {

struct User {
  std::string id;
  std::string tenant_id;
  std::string username;
  std::string display_name;
  std::string password_hash;
  Role role = Role::kTrainee;
  std::string created_at;  // ISO 8601 UTC

  Principal ToPrincipal() const { return Principal{id, tenant_id, username, role}; }
};

struct NewUser {
  std::string tenant_id = "default";
  std::string username;
  std::string display_name;
  std::string password_hash;
  Role role = Role::kTrainee;
};

// Usernames are 1-64 characters of [a-z0-9._-] (stored lower-case).
core::Result<std::string> NormalizeUsername(std::string_view username);

class UserRepository {
 public:
  UserRepository(storage::Store& store, core::IdGenerator& ids, const core::Clock& clock)
      : store_(store), ids_(ids), clock_(clock) {}

  // kAlreadyExists when the tenant already has this username.
  boost::asio::awaitable<core::Result<User>> Create(NewUser user);
  boost::asio::awaitable<core::Result<std::optional<User>>> FindByUsername(std::string tenant_id, std::string username);
  boost::asio::awaitable<core::Result<std::int64_t>> CountByRole(std::string tenant_id, Role role);

 private:
  storage::Store& store_;
  core::IdGenerator& ids_;
  const core::Clock& clock_;
};

}  // namespace salesboost::identity
