// The team view's arithmetic and its CSV, on reports written by hand.
#include "conversation/team_summary.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

ReportedSession Ended(std::string id, std::string user, std::string ended_at, const std::string& report) {
  ReportedSession s;
  s.session.id = std::move(id);
  s.session.user_id = std::move(user);
  s.session.scenario_id = "sc";
  s.session.language = "en";
  s.session.status = SessionStatus::kEnded;
  s.session.created_at = "2026-01-01T00:00:00Z";
  s.session.ended_at = std::move(ended_at);
  s.report = json::parse(report).as_object();
  return s;
}

ReportedSession Active(std::string id, std::string user) {
  ReportedSession s;
  s.session.id = std::move(id);
  s.session.user_id = std::move(user);
  s.session.scenario_id = "sc";
  s.session.language = "zh";
  s.session.status = SessionStatus::kActive;
  s.session.created_at = "2026-01-02T00:00:00Z";
  return s;
}

const std::vector<TeamMember> kMembers = {
    {.user_id = "u1", .username = "ann", .display_name = "Ann", .trainee = true},
    {.user_id = "u2", .username = "-bob", .display_name = "", .trainee = true},
    {.user_id = "u3", .username = "idle", .display_name = "", .trainee = true},
    {.user_id = "a1", .username = "admin", .display_name = "", .trainee = false},
};

std::vector<ReportedSession> Sessions() {
  return {
      Ended("s1", "u1", "2026-01-01T00:10:00Z",
            R"({"language":"en","overall":6.0,"scorecard":{"criteria":[
                {"id":"open","title":"Open","skill":"rapport","result":"met"},
                {"id":"close","title":"Close","skill":"closing","result":"not_met"}]}})"),
      Ended("s2", "u1", "2026-01-01T00:20:00Z",
            R"({"language":"zh","overall":7.5,"scorecard":{"criteria":[
                {"id":"open","title":"开场","skill":"rapport","result":"partly"},
                {"id":"close","title":"促成","skill":"closing","result":"partly"}]}})"),
      Ended("s3", "u2", "2026-01-01T00:30:00Z",
            R"({"language":"zh","overall":null,"scorecard":{"criteria":[
                {"id":"open","title":"开场","skill":"rapport","result":"not_met"}]}})"),
      Active("s4", "u2"),
  };
}

TEST(TeamSummary, AveragesLatestAndRatesComeFromTheReports) {
  const auto summary = TeamSummary(Sessions(), kMembers, "en");
  const auto& trainees = summary.at("trainees").as_array();
  ASSERT_EQ(trainees.size(), 3u) << "the trainees, not the admin without sessions";
  const auto& bob = trainees[0].as_object();  // "-bob" sorts first
  EXPECT_EQ(bob.at("username"), "-bob");
  EXPECT_EQ(bob.at("sessions_started").as_int64(), 2);
  EXPECT_EQ(bob.at("sessions_ended").as_int64(), 1);
  EXPECT_TRUE(bob.at("average_overall").is_null());
  EXPECT_TRUE(bob.at("latest_overall").is_null());
  EXPECT_EQ(bob.at("criteria").at("open").as_double(), 0.0);
  const auto& ann = trainees[1].as_object();
  EXPECT_EQ(ann.at("display_name"), "Ann");
  EXPECT_EQ(ann.at("sessions_ended").as_int64(), 2);
  EXPECT_DOUBLE_EQ(ann.at("average_overall").as_double(), 6.75);
  EXPECT_DOUBLE_EQ(ann.at("latest_overall").as_double(), 7.5);
  EXPECT_DOUBLE_EQ(ann.at("criteria").at("open").as_double(), 0.75);
  EXPECT_DOUBLE_EQ(ann.at("criteria").at("close").as_double(), 0.25);
  EXPECT_EQ(trainees[2].at("sessions_started").as_int64(), 0);
  EXPECT_TRUE(trainees[2].at("criteria").as_object().empty());

  const auto& criteria = summary.at("criteria").as_array();
  ASSERT_EQ(criteria.size(), 2u);
  EXPECT_EQ(criteria[0].at("id"), "close") << "0.25 is weaker than 0.5";
  EXPECT_DOUBLE_EQ(criteria[0].at("met_rate").as_double(), 0.25);
  EXPECT_EQ(criteria[0].at("sessions").as_int64(), 2);
  EXPECT_EQ(criteria[0].at("title"), "Close") << "the title of a report in the requested language";
  EXPECT_EQ(criteria[1].at("id"), "open");
  EXPECT_DOUBLE_EQ(criteria[1].at("met_rate").as_double(), 0.5);
  EXPECT_EQ(criteria[1].at("sessions").as_int64(), 3);
  EXPECT_EQ(criteria[1].at("skill"), "rapport");

  const auto zh = TeamSummary(Sessions(), kMembers, "zh");
  EXPECT_EQ(zh.at("criteria").at(0).at("title"), "促成");
}

TEST(TeamSummary, RatesRoundToThreeDecimals) {
  std::vector<ReportedSession> sessions;
  for (const char* result : {"met", "not_met", "not_met"}) {
    sessions.push_back(
        Ended("s", "u1", "2026-01-01T00:10:00Z",
              std::string(R"({"overall":1,"scorecard":{"criteria":[{"id":"c","result":")") + result + R"("}]}})"));
  }
  const auto summary = TeamSummary(sessions, kMembers, "en");
  EXPECT_DOUBLE_EQ(summary.at("criteria").at(0).at("met_rate").as_double(), 0.333);
}

TEST(TeamCsv, QuotesAndNeutralisesCells) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvCell("=1+1"), "'=1+1");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-bob"), "'-bob");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvCell(""), "");
}

TEST(TeamCsv, OneRowPerSessionWithEachCriterionsResult) {
  const auto csv = TeamCsv(Sessions(), kMembers);
  EXPECT_EQ(csv,
            "session_id,username,scenario_id,language,status,created_at,ended_at,overall,close,open\r\n"
            "s1,ann,sc,en,ended,2026-01-01T00:00:00Z,2026-01-01T00:10:00Z,6,not_met,met\r\n"
            "s2,ann,sc,en,ended,2026-01-01T00:00:00Z,2026-01-01T00:20:00Z,7.5,partly,partly\r\n"
            "s3,'-bob,sc,en,ended,2026-01-01T00:00:00Z,2026-01-01T00:30:00Z,,,not_met\r\n"
            "s4,'-bob,sc,zh,active,2026-01-02T00:00:00Z,,,,\r\n");
}

}  // namespace
}  // namespace salesboost::conversation
