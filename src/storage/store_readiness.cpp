#include "storage/store_readiness.hpp"

#include <fmt/format.h>

namespace salesboost::storage {

boost::asio::awaitable<core::ProbeResult> StoreReadiness::Check() {
  auto status = co_await ReadSchemaStatus(store_, migrations_);
  if (!status) co_return core::ProbeResult{.ready = false, .detail = std::string(store_.Engine()) + " unavailable"};
  co_return core::ProbeResult{
      .ready = status->IsCurrent(),
      .detail = fmt::format("{} schema version {} of {}", store_.Engine(), status->current, status->latest)};
}

}  // namespace salesboost::storage
