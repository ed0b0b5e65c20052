// Operational endpoints: /healthz, /readyz, /metrics, /api/v1/version.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/readiness.hpp"
#include "server/router.hpp"

namespace salesboost::api {

struct SystemRoutesDeps {
  core::MetricsRegistry& metrics;
  std::vector<core::ReadinessProbe*> probes;  // each must outlive the router
  std::function<bool()> is_draining;          // true once shutdown began: /readyz answers 503
  std::string metrics_token;                  // non-empty: /metrics requires "Authorization: Bearer <token>"
};

void AddSystemRoutes(server::Router& router, SystemRoutesDeps deps);

}  // namespace salesboost::api
