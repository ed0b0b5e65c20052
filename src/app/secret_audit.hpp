// SecretAuditTrail: where secret reads are recorded. Each read is a
// "secret_access" log line at once and, once the audit log is attached, an
// audit record (action "secret.read", the name as target, outcome and source;
// never the value). Reads made before the store is open (at start, resolving
// the configuration) are kept and written when it is attached. Thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <deque>
#include <mutex>
#include <optional>

#include "core/secret_access_listener.hpp"
#include "identity/audit_log.hpp"

namespace salesboost::app {

class SecretAuditTrail final : public core::SecretAccessListener {
 public:
  explicit SecretAuditTrail(core::Logger logger) : log_(std::move(logger)) {}

  void OnSecretAccess(const core::SecretAccess& access) noexcept override;

  // From now on records are written to `audit` by coroutines on `executor`,
  // those kept so far first. Both must outlive every such coroutine (declare
  // them before the I/O pool that runs the executor).
  void Attach(identity::AuditLog& audit, boost::asio::any_io_executor executor);

 private:
  static constexpr std::size_t kMaxKept = 1000;  // before the store is open; older ones are dropped

  void DrainLocked();

  core::LoggingSecretAccessListener log_;
  std::mutex mutex_;
  std::deque<identity::AuditEvent> pending_;              // guarded by mutex_
  identity::AuditLog* audit_ = nullptr;                   // guarded by mutex_
  std::optional<boost::asio::any_io_executor> executor_;  // guarded by mutex_
  bool draining_ = false;                                 // guarded by mutex_
};

}  // namespace salesboost::app
