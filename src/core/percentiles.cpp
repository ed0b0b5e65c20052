#include "core/percentiles.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace salesboost::core {

Percentiles Summarize(std::vector<double> values) {
  Percentiles summary;
  summary.count = values.size();
  if (values.empty()) return summary;
  std::sort(values.begin(), values.end());
  const auto rank = [&](double p) {
    // Nearest rank: the smallest value with at least p of the values at or below it.
    const auto n = static_cast<double>(values.size());
    const auto index = static_cast<std::size_t>(std::max(1.0, std::ceil(p * n))) - 1;
    return values[std::min(index, values.size() - 1)];
  };
  summary.p50 = rank(0.50);
  summary.p90 = rank(0.90);
  summary.p99 = rank(0.99);
  summary.max = values.back();
  summary.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return summary;
}

}  // namespace salesboost::core
