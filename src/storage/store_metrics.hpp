// StoreMetrics: what both Store adapters report, labelled by engine:
//   salesboost_store_transaction_duration_seconds{engine,kind=read|write}
//   salesboost_store_errors_total{engine,code}
//   salesboost_store_pool_connections{engine,state=idle|busy}
// Built from the registry the composition root passes in; the children are
// looked up once here, so updates are lock-free. Thread-safe.
#pragma once

#include <string>

#include "core/error.hpp"
#include "core/metrics.hpp"

namespace salesboost::storage {

class StoreMetrics {
 public:
  StoreMetrics(core::MetricsRegistry& registry, std::string engine);

  void ObserveTransaction(bool read_only, double seconds);
  void CountError(core::ErrorCode code);
  core::Gauge& Idle() { return idle_; }
  core::Gauge& Busy() { return busy_; }

 private:
  std::string engine_;
  core::Histogram& read_;
  core::Histogram& write_;
  core::Family<core::Counter>& errors_;
  core::Gauge& idle_;
  core::Gauge& busy_;
};

}  // namespace salesboost::storage
