// UserRepository: users in the Store, in portable SQL. Awaitable; the SQL
// runs on the store's blocking threads. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

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
  std::string created_at;          // ISO 8601 UTC
  std::int64_t token_version = 0;  // tokens of another version are revoked
  std::string deleted_at;          // ISO 8601 UTC; empty while the user exists

  bool Deleted() const { return !deleted_at.empty(); }
  Principal ToPrincipal() const {
    return Principal{
        .user_id = id, .tenant_id = tenant_id, .username = username, .role = role, .token_version = token_version};
  }
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
  // Users that exist (not deleted).
  boost::asio::awaitable<core::Result<std::optional<User>>> FindByUsername(std::string tenant_id, std::string username);
  // Deleted users too (their deleted_at is set).
  boost::asio::awaitable<core::Result<std::optional<User>>> FindById(std::string tenant_id, std::string id);
  // Users that exist, by username.
  boost::asio::awaitable<core::Result<std::vector<User>>> List(std::string tenant_id);
  boost::asio::awaitable<core::Result<std::int64_t>> CountByRole(std::string tenant_id, Role role);
  // Replaces the password hash and bumps the token version, which revokes every
  // token issued before. kNotFound when the user does not exist.
  boost::asio::awaitable<core::Result<User>> SetPasswordHash(std::string tenant_id, std::string id, std::string hash);
  // Deletes a user: tokens revoked, password removed, username freed (renamed
  // to "<username>~<id>", which no login can name); sessions and reports keep
  // the row they refer to. kNotFound when the user does not exist.
  boost::asio::awaitable<core::Result<User>> Delete(std::string tenant_id, std::string id);

 private:
  storage::Store& store_;
  core::IdGenerator& ids_;
  const core::Clock& clock_;
};

}  // namespace salesboost::identity
