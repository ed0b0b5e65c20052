// Percentiles of a sample of measurements (latencies, usually), for the
// tools that report them.
#pragma once

#include <cstddef>
#include <vector>

namespace salesboost::core {

struct Percentiles {
  std::size_t count = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

// Nearest-rank percentiles of `values`; all zero when empty.
Percentiles Summarize(std::vector<double> values);

}  // namespace salesboost::core
