#include "identity/login_lockout.hpp"

#include <algorithm>

namespace salesboost::identity {
namespace {

using storage::Transaction;
using storage::TransactionFn;

std::int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::chrono::seconds LoginLockout::LockLength(std::int64_t failures) const {
  if (options_.threshold <= 0 || failures < options_.threshold) return std::chrono::seconds(0);
  std::int64_t length = options_.base_s;
  for (std::int64_t i = options_.threshold; i < failures && length < options_.max_s; ++i) length *= 2;
  return std::chrono::seconds(std::min(length, options_.max_s));
}

boost::asio::awaitable<core::Result<std::optional<std::chrono::seconds>>> LoginLockout::LockedFor(
    std::string tenant_id, std::string username) {
  std::optional<std::chrono::seconds> locked;
  if (options_.threshold <= 0) co_return locked;
  const std::int64_t now = UnixSeconds(clock_.Now());
  TransactionFn read = [&](Transaction& tx) -> core::Result<void> {
    auto rows =
        tx.Query("SELECT locked_until FROM login_failures WHERE tenant_id = ? AND username = ?", {tenant_id, username});
    if (!rows) return core::Fail(rows.error());
    if (!rows->empty() && rows->front().Int(0) > now) locked = std::chrono::seconds(rows->front().Int(0) - now);
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(read));
  if (!result) co_return core::Fail(result.error());
  co_return locked;
}

boost::asio::awaitable<core::Result<std::optional<std::chrono::seconds>>> LoginLockout::RecordFailure(
    std::string tenant_id, std::string username) {
  std::optional<std::chrono::seconds> locked;
  if (options_.threshold <= 0) co_return locked;
  const std::int64_t now = UnixSeconds(clock_.Now());
  TransactionFn record = [&](Transaction& tx) -> core::Result<void> {
    // Old, unlocked rows go first: a spray of usernames cannot grow the table without end.
    auto pruned = tx.Execute("DELETE FROM login_failures WHERE last_failure_at < ? AND locked_until < ?",
                             {now - options_.forget_s, now});
    if (!pruned) return core::Fail(pruned.error());
    auto counted = tx.Execute(
        "INSERT INTO login_failures (tenant_id, username, failures, locked_until, last_failure_at) "
        "VALUES (?, ?, 1, 0, ?) ON CONFLICT (tenant_id, username) DO UPDATE SET "
        "failures = login_failures.failures + 1, last_failure_at = excluded.last_failure_at",
        {tenant_id, username, now});
    if (!counted) return core::Fail(counted.error());
    auto rows =
        tx.Query("SELECT failures FROM login_failures WHERE tenant_id = ? AND username = ?", {tenant_id, username});
    if (!rows) return core::Fail(rows.error());
    const auto length = LockLength(rows->empty() ? 0 : rows->front().Int(0));
    if (length.count() == 0) return core::Ok();
    locked = length;
    auto lock = tx.Execute("UPDATE login_failures SET locked_until = ? WHERE tenant_id = ? AND username = ?",
                           {now + length.count(), tenant_id, username});
    return lock ? core::Ok() : core::Fail(lock.error());
  };
  auto result = co_await store_.Transact(std::move(record));
  if (!result) co_return core::Fail(result.error());
  co_return locked;
}

boost::asio::awaitable<core::Result<void>> LoginLockout::Clear(std::string tenant_id, std::string username) {
  if (options_.threshold <= 0) co_return core::Ok();
  TransactionFn clear = [&](Transaction& tx) -> core::Result<void> {
    auto done = tx.Execute("DELETE FROM login_failures WHERE tenant_id = ? AND username = ?", {tenant_id, username});
    return done ? core::Ok() : core::Fail(done.error());
  };
  co_return co_await store_.Transact(std::move(clear));
}

}  // namespace salesboost::identity
