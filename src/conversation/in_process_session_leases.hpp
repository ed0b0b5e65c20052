// InProcessSessionLeases: the embedded SessionLeases. One process runs every
// session through its actor map, which already keeps one actor per session, so
// every lease is granted at once and always continues. Never fails.
#pragma once

#include "conversation/session_leases.hpp"

namespace salesboost::conversation {

class InProcessSessionLeases final : public SessionLeases {
 public:
  boost::asio::awaitable<core::Result<Lease>> Acquire(std::string session_id, std::chrono::milliseconds wait) override;
  boost::asio::awaitable<core::Result<bool>> Renew(std::string session_id, Lease lease) override;
  boost::asio::awaitable<core::Result<void>> Release(std::string session_id, Lease lease) override;
  std::chrono::milliseconds RenewInterval() const override;
};

}  // namespace salesboost::conversation
