// FallbackCounter: salesboost_llm_fallbacks_total{agent, from, reason}, the
// replies an agent handed from a provider to the next engine. One family,
// shared by every LLM agent. Thread-safe (the registry's families are).
#pragma once

#include "core/metrics.hpp"

namespace salesboost::llm {

core::Family<core::Counter>& FallbackCounter(core::MetricsRegistry& metrics);

}  // namespace salesboost::llm
