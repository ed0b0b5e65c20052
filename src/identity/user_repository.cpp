#include "identity/user_repository.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/clock.hpp"

namespace salesboost::identity {
namespace {

using storage::Transaction;
using storage::TransactionFn;

constexpr std::string_view kColumns = "id, tenant_id, username, display_name, password_hash, role, created_at";

User FromRow(const storage::SqlRow& row) {
  return User{row.Text(0), row.Text(1), row.Text(2),
              row.Text(3), row.Text(4), ParseRole(row.Text(5)).value_or(Role::kTrainee),
              row.Text(6)};
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
  User created{ids_.Next(),
               user.tenant_id,
               *username,
               user.display_name.empty() ? *username : user.display_name,
               user.password_hash,
               user.role,
               core::IsoSeconds(clock_.Now())};
  TransactionFn insert = [&created](Transaction& tx) -> core::Result<void> {
    auto inserted = tx.Execute(fmt::format("INSERT INTO users ({}) VALUES (?, ?, ?, ?, ?, ?, ?)", kColumns),
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
    auto rows = tx.Query(fmt::format("SELECT {} FROM users WHERE tenant_id = ? AND username = ?", kColumns),
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
    auto rows = tx.Query("SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role = ?",
                         {tenant_id, std::string(RoleName(role))});
    if (!rows) return core::Fail(rows.error());
    count = rows->front().Int(0);
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(query));
  if (!result) co_return core::Fail(result.error());
  co_return count;
}

}  // namespace salesboost::identity
