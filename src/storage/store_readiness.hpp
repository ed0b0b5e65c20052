// StoreReadiness: the store is ready when it answers and its schema is at the
// version this binary expects.
#pragma once

#include <vector>

#include "core/readiness.hpp"
#include "storage/migration.hpp"
#include "storage/store.hpp"

namespace salesboost::storage {

class StoreReadiness final : public core::ReadinessProbe {
 public:
  StoreReadiness(Store& store, std::vector<Migration> migrations) : store_(store), migrations_(std::move(migrations)) {}

  std::string Name() const override { return "store"; }
  boost::asio::awaitable<core::ProbeResult> Check() override;

 private:
  Store& store_;
  std::vector<Migration> migrations_;
};

}  // namespace salesboost::storage
