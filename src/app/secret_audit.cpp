#include "app/secret_audit.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace salesboost::app {

void SecretAuditTrail::OnSecretAccess(const core::SecretAccess& access) noexcept {
  log_.OnSecretAccess(access);
  try {
    std::lock_guard lock(mutex_);
    if (pending_.size() >= kMaxKept) pending_.pop_front();
    pending_.push_back(identity::AuditEvent{
        .tenant_id = "default",
        .actor = "system",
        .action = "secret.read",
        .target = std::string(access.name),
        .outcome = std::string(core::SecretOutcomeName(access.outcome)),
        .remote = {},
        .detail = std::string(access.provider) + ", " + std::string(core::SecretSourceName(access.source))});
    DrainLocked();
  } catch (...) {  // out of memory: the log line above is the record
  }
}

void SecretAuditTrail::Attach(identity::AuditLog& audit, boost::asio::any_io_executor executor) {
  std::lock_guard lock(mutex_);
  audit_ = &audit;
  executor_ = std::move(executor);
  DrainLocked();
}

void SecretAuditTrail::DrainLocked() {
  if (audit_ == nullptr || draining_ || pending_.empty()) return;
  draining_ = true;
  auto drain = [this]() -> boost::asio::awaitable<void> {
    for (;;) {
      identity::AuditEvent event;
      {
        std::lock_guard lock(mutex_);
        if (pending_.empty()) {
          draining_ = false;
          co_return;
        }
        event = std::move(pending_.front());
        pending_.pop_front();
      }
      co_await audit_->Record(std::move(event));  // a failure is logged by the audit log
    }
  };
  boost::asio::co_spawn(*executor_, std::move(drain), boost::asio::detached);
}

}  // namespace salesboost::app
