#include "llm/fallback_counter.hpp"

namespace salesboost::llm {

core::Family<core::Counter>& FallbackCounter(core::MetricsRegistry& metrics) {
  return metrics.AddCounter("salesboost_llm_fallbacks_total",
                            "Replies handed to the next engine, by the engine that gave up and why",
                            {"agent", "from", "reason"});
}

}  // namespace salesboost::llm
