#include "core/logging.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace salesboost::core {
namespace {

TEST(Logging, WritesOneJsonObjectPerLineWithFields) {
  std::string out;
  Logger logger = Logger::ToString(out, LogLevel::kInfo);
  logger.Info("http_request", {{"request_id", "abc"}, {"status", 404}, {"ok", false}, {"ms", 1.5}});
  ASSERT_FALSE(out.empty());
  ASSERT_EQ(out.back(), '\n');
  auto line = boost::json::parse(out).as_object();
  EXPECT_EQ(line.at("level").as_string(), "info");
  EXPECT_EQ(line.at("msg").as_string(), "http_request");
  EXPECT_EQ(line.at("request_id").as_string(), "abc");
  EXPECT_EQ(line.at("status").as_int64(), 404);
  EXPECT_EQ(line.at("ok").as_bool(), false);
  EXPECT_DOUBLE_EQ(line.at("ms").as_double(), 1.5);
  const std::string time(line.at("time").as_string());
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-11-21T10:00:00.123Z
  EXPECT_EQ(time.back(), 'Z');
}

TEST(Logging, LevelBelowThresholdIsDropped) {
  std::string out;
  Logger logger = Logger::ToString(out, LogLevel::kWarn);
  logger.Info("lifecycle");
  EXPECT_TRUE(out.empty());
  logger.Error("broken", {{"error", "disk full"}});
  EXPECT_NE(out.find("\"level\":\"error\""), std::string::npos);
}

TEST(Logging, HostileTextStaysValidJson) {
  std::string out;
  Logger logger = Logger::ToString(out, LogLevel::kDebug);
  logger.Debug("x\"y", {{"path", "/\xFF\n\"}"}});
  EXPECT_NO_THROW(boost::json::parse(out));
}

TEST(Logging, ParseLogLevelRejectsUnknownNames) {
  EXPECT_EQ(ParseLogLevel("debug").value(), LogLevel::kDebug);
  EXPECT_FALSE(ParseLogLevel("loud").has_value());
}

}  // namespace
}  // namespace salesboost::core
