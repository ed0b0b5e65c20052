#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace salesboost::core {
namespace {

TEST(Metrics, CounterAndGaugeWriteThePrometheusTextFormat) {
  MetricsRegistry registry;
  auto& requests = registry.AddCounter("salesboost_test_requests_total", "Requests", {"route", "status"});
  requests.With({"/healthz", "200"}).Inc();
  requests.With({"/healthz", "200"}).Inc(2);
  auto& open = registry.AddGauge("salesboost_test_open", "Open things").Get();
  open.Inc(5);
  open.Dec(2);
  EXPECT_EQ(registry.WritePrometheus(),
            "# HELP salesboost_test_requests_total Requests\n"
            "# TYPE salesboost_test_requests_total counter\n"
            "salesboost_test_requests_total{route=\"/healthz\",status=\"200\"} 3\n"
            "# HELP salesboost_test_open Open things\n"
            "# TYPE salesboost_test_open gauge\n"
            "salesboost_test_open 3\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  auto& latency = registry.AddHistogram("salesboost_test_seconds", "Latency", {}, {0.1, 1.0});
  latency.Get().Observe(0.05);
  latency.Get().Observe(0.5);
  latency.Get().Observe(3.0);
  EXPECT_EQ(registry.WritePrometheus(),
            "# HELP salesboost_test_seconds Latency\n"
            "# TYPE salesboost_test_seconds histogram\n"
            "salesboost_test_seconds_bucket{le=\"0.1\"} 1\n"
            "salesboost_test_seconds_bucket{le=\"1\"} 2\n"
            "salesboost_test_seconds_bucket{le=\"+Inf\"} 3\n"
            "salesboost_test_seconds_sum 3.55\n"
            "salesboost_test_seconds_count 3\n");
}

TEST(Metrics, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.AddCounter("salesboost_test_total", "T", {"path"}).With({"a\"b\\c\nd"}).Inc();
  EXPECT_NE(registry.WritePrometheus().find(R"(salesboost_test_total{path="a\"b\\c\nd"} 1)"), std::string::npos);
}

}  // namespace
}  // namespace salesboost::core
