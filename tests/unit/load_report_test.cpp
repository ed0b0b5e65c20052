#include "load_report.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <numeric>

namespace salesboost::load {
namespace {

TEST(LoadReport, SummarizeUsesNearestRank) {
  std::vector<double> values(100);
  std::iota(values.begin(), values.end(), 1.0);  // 1..100, shuffled below
  std::swap(values[3], values[97]);
  const auto s = Summarize(values);
  EXPECT_EQ(s.count, 100U);
  EXPECT_EQ(s.p50, 50);
  EXPECT_EQ(s.p90, 90);
  EXPECT_EQ(s.p99, 99);
  EXPECT_EQ(s.max, 100);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  const auto one = Summarize({7});
  EXPECT_EQ(one.p50, 7);
  EXPECT_EQ(one.p99, 7);
  const auto none = Summarize({});
  EXPECT_EQ(none.count, 0U);
  EXPECT_EQ(none.p99, 0);
}

TEST(LoadReport, SlopeFitsALine) {
  EXPECT_DOUBLE_EQ(Slope({0, 1, 2, 3}, {10, 12, 14, 16}), 2);
  EXPECT_NEAR(Slope({0, 1, 2, 3}, {10, 13, 13, 16}), 1.8, 1e-9);
  EXPECT_EQ(Slope({1}, {5}), 0);
  EXPECT_EQ(Slope({2, 2}, {1, 9}), 0);  // no spread in x
}

TEST(LoadReport, ReadsThisProcessFromProc) {
  const auto self = ReadProc(static_cast<int>(getpid()), 1.5);
  ASSERT_TRUE(self.has_value());
  EXPECT_GT(self->rss_kib, 0);
  EXPECT_GE(self->cpu_s, 0);
  EXPECT_EQ(self->at_s, 1.5);
  EXPECT_FALSE(ReadProc(0x7ffffff0, 0).has_value());
}

TEST(LoadReport, MemoryGrowthStartsAfterWarmup) {
  Report r;
  r.samples = {{0, 1000, 0}, {10, 2000, 1}, {20, 2000, 2}, {30, 2100, 3}, {40, 2200, 4}};
  r.warmup_s = 10;
  ASSERT_TRUE(r.MemoryGrowth().has_value());
  EXPECT_DOUBLE_EQ(*r.MemoryGrowth(), 0.1);              // 2000 -> 2200
  EXPECT_NEAR(*r.MemorySlopeKibPerMinute(), 420, 1e-6);  // 7 KiB/s fitted over 10..40 s
  r.warmup_s = 40;
  EXPECT_FALSE(r.MemoryGrowth().has_value());  // one sample left
}

TEST(LoadReport, IdleMemoryPerConnectionAndErrors) {
  Report r;
  r.connections = 4;
  r.connected = 4;
  r.connect_seconds = 2;
  EXPECT_EQ(r.KibPerConnection(), -1);  // not measured
  r.rss_before_kib = 1000;
  r.rss_held_kib = 1010;
  EXPECT_DOUBLE_EQ(r.KibPerConnection(), 2.5);
  EXPECT_DOUBLE_EQ(r.ConnectsPerSecond(), 2);
  r.connect_errors["connect: timeout"] = 2;
  Step step;
  step.errors["server rate_limited"] = 3;
  r.steps.push_back(step);
  r.dropped_while_held = 1;
  EXPECT_EQ(r.TotalErrors(), 6);
}

TEST(LoadReport, JsonAndMarkdownCarryTheSteps) {
  Report r;
  r.scenario = "llm";
  r.server = "127.0.0.1:1";
  r.connections = 2;
  r.connected = 2;
  r.sources_used = 2;
  r.provider_ttft_ms = 500;
  Step step;
  step.target_turns_per_s = 20;
  step.seconds = 10;
  step.turns = 150;
  step.first_delta_ms = Summarize({501, 502, 503});
  step.done_ms = Summarize({900, 1000});
  step.ttft_overhead_ms = Summarize({1, 2, 3});
  step.errors["timeout"] = 1;
  r.steps.push_back(step);
  const auto json = boost::json::serialize(ToJson(r));
  EXPECT_NE(json.find(R"("turns_per_second":1.5E1)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("ttft_overhead_ms":{"count":3,"p50":2E0)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("errors":{"timeout":1})"), std::string::npos) << json;
  EXPECT_EQ(json.find(R"("idle")"), std::string::npos) << json;
  const auto markdown = ToMarkdown(r);
  EXPECT_NE(markdown.find("from 2 source addresses"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| TTFT overhead p50 (ms) | p99 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| 20 | 15 | 150 | 502.00 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| 2.00 | 3.00 | 0 | - | - | timeout 1 |"), std::string::npos) << markdown;
}

}  // namespace
}  // namespace salesboost::load
