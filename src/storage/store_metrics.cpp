#include "storage/store_metrics.hpp"

#include <utility>

namespace salesboost::storage {
namespace {

core::Family<core::Histogram>& Durations(core::MetricsRegistry& registry) {
  return registry.AddHistogram("salesboost_store_transaction_duration_seconds",
                               "Store transactions by engine and kind (read or write), seconds", {"engine", "kind"},
                               core::DefaultLatencyBuckets());
}

core::Family<core::Gauge>& Connections(core::MetricsRegistry& registry) {
  return registry.AddGauge("salesboost_store_pool_connections", "Store connections by engine and state (idle or busy)",
                           {"engine", "state"});
}

}  // namespace

StoreMetrics::StoreMetrics(core::MetricsRegistry& registry, std::string engine)
    : engine_(std::move(engine)),
      read_(Durations(registry).With({engine_, "read"})),
      write_(Durations(registry).With({engine_, "write"})),
      errors_(registry.AddCounter("salesboost_store_errors_total", "Failed store transactions by engine and code",
                                  {"engine", "code"})),
      idle_(Connections(registry).With({engine_, "idle"})),
      busy_(Connections(registry).With({engine_, "busy"})) {}

void StoreMetrics::ObserveTransaction(bool read_only, double seconds) { (read_only ? read_ : write_).Observe(seconds); }

void StoreMetrics::CountError(core::ErrorCode code) { errors_.With({engine_, core::ErrorCodeName(code)}).Inc(); }

}  // namespace salesboost::storage
