#include "identity/user_repository.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/clock.hpp"

namespace salesboost::identity {
namespace {

using storage::Transaction;
using storage::TransactionFn;

constexpr std::string_view kColumns =
    "id, tenant_id, username, display_name, password_hash, role, created_at, token_version, deleted_at";
constexpr std::string_view kInsertColumns = "id, tenant_id, username, display_name, password_hash, role, created_at";

User FromRow(const storage::SqlRow& row) {
  return User{.id = row.Text(0),
              .tenant_id = row.Text(1),
              .username = row.Text(2),
              .display_name = row.Text(3),
              .password_hash = row.Text(4),
              .role = ParseRole(row.Text(5)).value_or(Role::kTrainee),
              .created_at = row.Text(6),
              .token_version = row.Int(7),
              .deleted_at = row.Text(8)};
}

core::Result<std::optional<User>> SelectById(Transaction& tx, const std::string& tenant_id, const std::string& id) {
  auto rows = tx.Query(fmt::format("SELECT {} FROM users WHERE tenant_id = ? AND id = ?", kColumns), {tenant_id, id});
  if (!rows) return core::Fail(rows.error());
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(FromRow(rows->front()));
}

core::Error NoSuchUser(const std::string& id) {
  return core::Error{core::ErrorCode::kNotFound, "no user with id '" + id + "'"};
}

}  // namespace

core::Result<std::string> NormalizeUsername(std::string_view username) {
  if (username.empty() || username.size() > 64) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "username must be 1 to 64 characters");
  }
  std::string out;
  for (char c : username) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '.' && c != '_' && c != '-') {
      return core::Fail(core::ErrorCode::kInvalidArgument, "username may contain only letters, digits, '.', '_', '-'");
    }
    out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

boost::asio::awaitable<core::Result<User>> UserRepository::Create(NewUser user) {
  auto username = NormalizeUsername(user.username);
  if (!username) co_return core::Fail(username.error());
  User created{.id = ids_.Next(),
               .tenant_id = user.tenant_id,
               .username = *username,
               .display_name = user.display_name.empty() ? *username : user.display_name,
               .password_hash = user.password_hash,
               .role = user.role,
               .created_at = core::IsoSeconds(clock_.Now()),
               .token_version = 0,
               .deleted_at = {}};
  TransactionFn insert = [&created](Transaction& tx) -> core::Result<void> {
    auto inserted = tx.Execute(fmt::format("INSERT INTO users ({}) VALUES (?, ?, ?, ?, ?, ?, ?)", kInsertColumns),
                               {created.id, created.tenant_id, created.username, created.display_name,
                                created.password_hash, std::string(RoleName(created.role)), created.created_at});
    if (!inserted) {
      if (inserted.error().code == core::ErrorCode::kAlreadyExists) {
        return core::Fail(core::ErrorCode::kAlreadyExists, "user '" + created.username + "' already exists");
      }
      return core::Fail(inserted.error());
    }
    return core::Ok();
  };
  auto result = co_await store_.Transact(std::move(insert));
  if (!result) co_return core::Fail(result.error());
  co_return created;
}

boost::asio::awaitable<core::Result<std::optional<User>>> UserRepository::FindByUsername(std::string tenant_id,
                                                                                         std::string username) {
  auto normalized = NormalizeUsername(username);
  if (!normalized) co_return std::optional<User>();  // cannot exist
  std::optional<User> found;
  TransactionFn find = [&](Transaction& tx) -> core::Result<void> {
    auto rows =
        tx.Query(fmt::format("SELECT {} FROM users WHERE tenant_id = ? AND username = ? AND deleted_at = ''", kColumns),
                 {tenant_id, *normalized});
    if (!rows) return core::Fail(rows.error());
    if (!rows->empty()) found = FromRow(rows->front());
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(find));
  if (!result) co_return core::Fail(result.error());
  co_return found;
}

boost::asio::awaitable<core::Result<std::int64_t>> UserRepository::CountByRole(std::string tenant_id, Role role) {
  std::int64_t count = 0;
  TransactionFn query = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role = ? AND deleted_at = ''",
                         {tenant_id, std::string(RoleName(role))});
    if (!rows) return core::Fail(rows.error());
    count = rows->front().Int(0);
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(query));
  if (!result) co_return core::Fail(result.error());
  co_return count;
}

boost::asio::awaitable<core::Result<std::optional<User>>> UserRepository::FindById(std::string tenant_id,
                                                                                   std::string id) {
  std::optional<User> found;
  TransactionFn find = [&](Transaction& tx) -> core::Result<void> {
    auto row = SelectById(tx, tenant_id, id);
    if (!row) return core::Fail(row.error());
    found = std::move(*row);
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(find));
  if (!result) co_return core::Fail(result.error());
  co_return found;
}

boost::asio::awaitable<core::Result<std::vector<User>>> UserRepository::List(std::string tenant_id) {
  std::vector<User> users;
  TransactionFn list = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        fmt::format("SELECT {} FROM users WHERE tenant_id = ? AND deleted_at = '' ORDER BY username", kColumns),
        {tenant_id});
    if (!rows) return core::Fail(rows.error());
    users.reserve(rows->size());
    for (const auto& row : *rows) users.push_back(FromRow(row));
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(list));
  if (!result) co_return core::Fail(result.error());
  co_return users;
}

boost::asio::awaitable<core::Result<User>> UserRepository::SetPasswordHash(std::string tenant_id, std::string id,
                                                                           std::string hash) {
  User updated;
  TransactionFn change = [&](Transaction& tx) -> core::Result<void> {
    auto user = SelectById(tx, tenant_id, id);
    if (!user) return core::Fail(user.error());
    if (!user->has_value() || (*user)->Deleted()) return core::Fail(NoSuchUser(id));
    updated = std::move(**user);
    updated.password_hash = hash;
    ++updated.token_version;
    auto done = tx.Execute("UPDATE users SET password_hash = ?, token_version = ? WHERE tenant_id = ? AND id = ?",
                           {updated.password_hash, updated.token_version, tenant_id, id});
    return done ? core::Ok() : core::Fail(done.error());
  };
  auto result = co_await store_.Transact(std::move(change));
  if (!result) co_return core::Fail(result.error());
  co_return updated;
}

boost::asio::awaitable<core::Result<User>> UserRepository::Delete(std::string tenant_id, std::string id) {
  User deleted;
  const std::string now = core::IsoSeconds(clock_.Now());
  TransactionFn remove = [&](Transaction& tx) -> core::Result<void> {
    auto user = SelectById(tx, tenant_id, id);
    if (!user) return core::Fail(user.error());
    if (!user->has_value() || (*user)->Deleted()) return core::Fail(NoSuchUser(id));
    deleted = std::move(**user);
    deleted.username += "~" + deleted.id;
    deleted.password_hash.clear();
    ++deleted.token_version;
    deleted.deleted_at = now;
    auto done = tx.Execute(
        "UPDATE users SET username = ?, password_hash = '', token_version = ?, deleted_at = ? "
        "WHERE tenant_id = ? AND id = ?",
        {deleted.username, deleted.token_version, deleted.deleted_at, tenant_id, id});
    return done ? core::Ok() : core::Fail(done.error());
  };
  auto result = co_await store_.Transact(std::move(remove));
  if (!result) co_return core::Fail(result.error());
  co_return deleted;
}

}  // namespace salesboost::identity
