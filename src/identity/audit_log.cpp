#include "identity/audit_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace salesboost::identity {
namespace {

using storage::Transaction;
using storage::TransactionFn;

// Milliseconds, so that records of one second keep their order.
std::string IsoMillis(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", std::chrono::floor<std::chrono::seconds>(ms),
                     static_cast<int>((ms.time_since_epoch() % std::chrono::seconds(1)).count()));
}

}  // namespace

boost::asio::awaitable<core::Result<void>> AuditLog::Record(AuditEvent event) {
  const std::string id = ids_.Next();
  const std::string at = IsoMillis(clock_.Now());
  logger_.Info("audit", {{"tenant_id", event.tenant_id},
                         {"actor", event.actor},
                         {"action", event.action},
                         {"target", event.target},
                         {"outcome", event.outcome},
                         {"remote", event.remote},
                         {"detail", event.detail}});
  TransactionFn insert = [&](Transaction& tx) -> core::Result<void> {
    auto done = tx.Execute(
        "INSERT INTO audit_log (id, tenant_id, at, actor, action, target, outcome, remote, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, event.tenant_id, at, event.actor, event.action, event.target, event.outcome, event.remote, event.detail});
    return done ? core::Ok() : core::Fail(done.error());
  };
  auto written = co_await store_.Transact(std::move(insert));
  if (!written) logger_.Error("audit_write_failed", {{"action", event.action}, {"error", written.error().message}});
  co_return written;
}

boost::asio::awaitable<core::Result<std::vector<AuditEntry>>> AuditLog::List(std::string tenant_id, std::int64_t limit,
                                                                             std::string before) {
  std::vector<AuditEntry> entries;
  limit = std::clamp<std::int64_t>(limit, 1, 1000);
  TransactionFn list = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT id, at, actor, action, target, outcome, remote, detail FROM audit_log "
        "WHERE tenant_id = ? AND (? = '' OR at < ?) ORDER BY at DESC, id DESC LIMIT ?",
        {tenant_id, before, before, limit});
    if (!rows) return core::Fail(rows.error());
    entries.reserve(rows->size());
    for (const auto& row : *rows) {
      entries.push_back(AuditEntry{.id = row.Text(0),
                                   .at = row.Text(1),
                                   .event = AuditEvent{.tenant_id = tenant_id,
                                                       .actor = row.Text(2),
                                                       .action = row.Text(3),
                                                       .target = row.Text(4),
                                                       .outcome = row.Text(5),
                                                       .remote = row.Text(6),
                                                       .detail = row.Text(7)}});
    }
    return core::Ok();
  };
  auto result = co_await store_.Read(std::move(list));
  if (!result) co_return core::Fail(result.error());
  co_return entries;
}

}  // namespace salesboost::identity
