#include "conversation/in_process_session_leases.hpp"

namespace salesboost::conversation {

boost::asio::awaitable<core::Result<Lease>> InProcessSessionLeases::Acquire(std::string /*session_id*/,
                                                                            std::chrono::milliseconds /*wait*/) {
  co_return Lease{.epoch = 1, .continued = true};
}

boost::asio::awaitable<core::Result<bool>> InProcessSessionLeases::Renew(std::string /*session_id*/, Lease /*lease*/) {
  co_return true;
}

boost::asio::awaitable<core::Result<void>> InProcessSessionLeases::Release(std::string /*session_id*/,
                                                                           Lease /*lease*/) {
  co_return core::Ok();
}

std::chrono::milliseconds InProcessSessionLeases::RenewInterval() const { return std::chrono::hours(1); }

}  // namespace salesboost::conversation
