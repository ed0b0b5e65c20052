// AuditLog: who did what, kept in the Store and echoed as an "audit" log line.
// Recorded: logins (success, failure, lockout), administrators' changes
// (every request to an administrators-only route) and secret reads. Never a
// password, token or secret value. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/id_generator.hpp"
#include "core/logging.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace salesboost::identity {

struct AuditEvent {
  std::string tenant_id = "default";
  std::string actor;    // the user id, a username for logins, or "system"
  std::string action;   // "login", "user.delete", "POST /api/v1/knowledge/documents", "secret.read"
  std::string target;   // what was acted on: a username, a path, a secret name
  std::string outcome;  // "ok", "denied", "locked", "failed", or an HTTP status
  std::string remote;   // the client's address, when there is one
  std::string detail;   // anything else worth knowing, never a secret
};

struct AuditEntry {
  std::string id;
  std::string at;  // ISO 8601 UTC, milliseconds
  AuditEvent event;
};

class AuditLog {
 public:
  AuditLog(storage::Store& store, core::IdGenerator& ids, const core::Clock& clock, core::Logger logger)
      : store_(store), ids_(ids), clock_(clock), logger_(std::move(logger)) {}

  // Writes the record; a store failure is logged and returned, the log line is always written.
  boost::asio::awaitable<core::Result<void>> Record(AuditEvent event);
  // The newest records first, at most `limit`; `before` (an entry's `at`) pages back.
  boost::asio::awaitable<core::Result<std::vector<AuditEntry>>> List(std::string tenant_id, std::int64_t limit,
                                                                     std::string before = {});

 private:
  storage::Store& store_;
  core::IdGenerator& ids_;
  const core::Clock& clock_;
  core::Logger logger_;
};

}  // namespace salesboost::identity
