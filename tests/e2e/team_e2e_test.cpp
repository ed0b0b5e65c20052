// The trainer's team view against the real binary: GET /api/v1/team and
// /api/v1/team.csv after two trainees have played sessions over the API; the
// numbers are checked against the reports the sessions stored.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <map>
#include <set>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kBobPassword = "bob-password-for-tests";

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// Splits RFC 4180 text (CRLF rows, quoted cells with doubled quotes) into rows of cells.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      row.push_back(std::move(cell));
      cell.clear();
      rows.push_back(std::move(row));
      row.clear();
      ++i;
    } else {
      cell += c;
    }
  }
  EXPECT_TRUE(cell.empty() && row.empty()) << "the last row ends with CRLF";
  return rows;
}

class TeamE2e : public testing::SharedServerTest<TeamE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "auth.bootstrap_admin_password=secret:admin/password",
            "--set", "limits.turn_burst=100",
            "--set", "limits.turn_per_minute=1000"};
  }
  static std::map<std::string, std::string> Environment() {
    return {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}};
  }

 protected:
  static std::string Token(const std::string& username, const std::string& password) {
    auto token = server().Login(username, password);
    EXPECT_FALSE(token.empty()) << username << " could not sign in";
    return token;
  }
  static core::Result<client::HttpReply> Call(const std::string& token, const std::string& method,
                                              const std::string& target, const std::string& body = {}) {
    return Fetch(server().endpoint(), method, target, body, {{"Authorization", "Bearer " + token}});
  }
  static json::value Json(const core::Result<client::HttpReply>& reply, int status) {
    EXPECT_TRUE(reply) << reply.error().message;
    if (!reply) return nullptr;
    EXPECT_EQ(reply->status, status) << reply->body;
    return json::parse(reply->body);
  }

  // Starts a session, sends `messages` as turns and, when `end`, ends it: the report, else null.
  static json::value Play(const std::string& token, const std::vector<std::string>& messages, bool end) {
    const auto session =
        Json(Call(token, "POST", "/api/v1/sessions",
                  json::serialize(json::object{{"scenario_id", "first-call-retail"}, {"language", "en"}})),
             201);
    const std::string id(session.at("id").as_string());
    int n = 0;
    for (const auto& text : messages) {
      const auto body = json::serialize(json::object{{"turn_id", id + "-t" + std::to_string(++n)}, {"text", text}});
      auto turn = Call(token, "POST", "/api/v1/sessions/" + id + "/turns", body);
      EXPECT_TRUE(turn && turn->status == 200) << (turn ? turn->body : turn.error().message);
    }
    if (!end) return nullptr;
    return Json(Call(token, "POST", "/api/v1/sessions/" + id + "/end"), 200).at("report");
  }

  // The team's data, played once for the suite: the demo trainee ends two
  // sessions, "-bob" ends one and leaves one active.
  struct Played {
    std::string admin;
    std::string trainee;
    std::map<std::string, std::vector<json::object>> reports;  // by username, oldest first
  };
  static const Played& Team() {
    static const Played played = [] {
      Played p;
      p.admin = Token("admin", kAdminPassword);
      p.trainee = Token("trainee", server().DemoTraineePassword());
      Json(Call(p.admin, "POST", "/api/v1/users",
                json::serialize(json::object{{"username", "-bob"}, {"password", kBobPassword}})),
           201);
      const auto bob = Token("-bob", kBobPassword);
      const std::vector<std::string> good = {
          "Hello Mr. Li, thanks for your time. How do you keep track of your customers today?",
          "What is the biggest problem with following up on customers? How much time does it take?",
          "So you lose repeat customers because follow-ups slip. Our CRM reminds your staff automatically.",
          "Shall we set up a two-week trial next Monday?"};
      p.reports["trainee"].push_back(Play(p.trainee, good, true).as_object());
      p.reports["trainee"].push_back(Play(p.trainee, {"Buy our CRM now, it is the best."}, true).as_object());
      p.reports["-bob"].push_back(Play(bob, {good[0], good[1]}, true).as_object());
      Play(bob, {good[0]}, false);
      return p;
    }();
    return played;
  }
};

TEST_F(TeamE2e, TraineesAreRefused) {
  const auto& team = Team();
  for (const char* target : {"/api/v1/team", "/api/v1/team.csv"}) {
    auto reply = Call(team.trainee, "GET", target);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 403) << target;
  }
  auto anonymous = Fetch(server().endpoint(), "GET", "/api/v1/team", "");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(TeamE2e, TheNumbersAreTheReportsNumbers) {
  const auto& team = Team();
  const auto summary = Json(Call(team.admin, "GET", "/api/v1/team?language=en"), 200).as_object();
  std::map<std::string, json::object> by_name;
  for (const auto& trainee : summary.at("trainees").as_array()) {
    by_name[std::string(trainee.at("username").as_string())] = trainee.as_object();
  }
  ASSERT_EQ(by_name.count("trainee"), 1u);
  ASSERT_EQ(by_name.count("-bob"), 1u);
  EXPECT_EQ(by_name["trainee"].at("sessions_started").as_int64(), 2);
  EXPECT_EQ(by_name["trainee"].at("sessions_ended").as_int64(), 2);
  EXPECT_EQ(by_name["-bob"].at("sessions_started").as_int64(), 2);
  EXPECT_EQ(by_name["-bob"].at("sessions_ended").as_int64(), 1);

  std::map<std::string, std::pair<double, std::int64_t>> team_credit;  // criterion -> (credit, judged)
  std::set<std::string> results_seen;
  for (const auto& [name, reports] : team.reports) {
    const auto& got = by_name[name];
    double sum = 0;
    int scored = 0;
    std::map<std::string, std::pair<double, std::int64_t>> credit;
    for (const auto& report : reports) {
      if (report.at("overall").is_number()) {
        sum += report.at("overall").to_number<double>();
        ++scored;
      }
      for (const auto& c : report.at("scorecard").at("criteria").as_array()) {
        const std::string id(c.at("id").as_string());
        const std::string result(c.at("result").as_string());
        results_seen.insert(result);
        const double value = result == "met" ? 1.0 : result == "partly" ? 0.5 : 0.0;
        credit[id].first += value;
        credit[id].second += 1;
        team_credit[id].first += value;
        team_credit[id].second += 1;
      }
    }
    ASSERT_GT(scored, 0) << name;
    EXPECT_NEAR(got.at("average_overall").to_number<double>(), Round(sum / scored, 2), 1e-9) << name;
    EXPECT_NEAR(got.at("latest_overall").to_number<double>(), reports.back().at("overall").to_number<double>(), 1e-9)
        << name;
    const auto& rates = got.at("criteria").as_object();
    ASSERT_EQ(rates.size(), credit.size()) << name;
    for (const auto& [id, tally] : credit) {
      EXPECT_NEAR(rates.at(id).to_number<double>(), Round(tally.first / static_cast<double>(tally.second), 3), 1e-9)
          << name << " " << id;
    }
  }
  EXPECT_GT(results_seen.size(), 1u) << "the sessions judged criteria differently";

  const auto& criteria = summary.at("criteria").as_array();
  ASSERT_EQ(criteria.size(), team_credit.size());
  double previous = -1;
  for (const auto& item : criteria) {
    const auto& c = item.as_object();
    const std::string id(c.at("id").as_string());
    const auto& tally = team_credit.at(id);
    EXPECT_EQ(c.at("sessions").as_int64(), tally.second) << id;
    const double rate = c.at("met_rate").to_number<double>();
    EXPECT_NEAR(rate, Round(tally.first / static_cast<double>(tally.second), 3), 1e-9) << id;
    EXPECT_GE(rate, previous) << "weakest first";
    previous = rate;
    for (const auto& rc : team.reports.at("trainee").front().at("scorecard").at("criteria").as_array()) {
      if (rc.at("id").as_string() == id) {
        EXPECT_EQ(c.at("title"), rc.at("title")) << "the English title";
      }
    }
  }

  auto bad = Call(team.admin, "GET", "/api/v1/team?days=0");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  const auto none = Json(Call(team.admin, "GET", "/api/v1/team?course_id=no-such-course"), 200);
  for (const auto& trainee : none.at("trainees").as_array()) EXPECT_EQ(trainee.at("sessions_started").as_int64(), 0);
  const auto recent = Json(Call(team.admin, "GET", "/api/v1/team?days=1"), 200);
  EXPECT_EQ(recent.at("criteria"), summary.at("criteria")) << "every session is from today";
}

TEST_F(TeamE2e, TheCsvParsesBackToTheReportsAndNeutralisesFormulas) {
  const auto& team = Team();
  auto reply = Call(team.admin, "GET", "/api/v1/team.csv");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(reply->Header("content-type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(reply->Header("content-disposition").value_or(""), "attachment; filename=\"team.csv\"");
  const auto rows = ParseCsv(reply->body);
  ASSERT_EQ(rows.size(), 5u) << reply->body;  // the header and four sessions
  const auto& header = rows[0];
  ASSERT_GE(header.size(), 8u);
  EXPECT_EQ(std::vector<std::string>(header.begin(), header.begin() + 8),
            (std::vector<std::string>{"session_id", "username", "scenario_id", "language", "status", "created_at",
                                      "ended_at", "overall"}));
  std::map<std::string, json::object> reports;  // by session id
  for (const auto& [name, list] : team.reports) {
    for (const auto& report : list) reports[std::string(report.at("session_id").as_string())] = report;
  }
  int ended = 0;
  int bob_rows = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    ASSERT_EQ(row.size(), header.size());
    EXPECT_NE(row[1], "-bob") << "a cell starting with - is neutralised";
    if (row[1] == "'-bob") ++bob_rows;
    EXPECT_EQ(row[2], "first-call-retail");
    const auto found = reports.find(row[0]);
    if (found == reports.end()) {
      EXPECT_EQ(row[4], "active");
      EXPECT_EQ(row[7], "");
      continue;
    }
    ++ended;
    const auto& report = found->second;
    EXPECT_EQ(row[4], "ended");
    EXPECT_FALSE(row[6].empty());
    EXPECT_NEAR(std::stod(row[7]), report.at("overall").to_number<double>(), 1e-9);
    for (const auto& c : report.at("scorecard").at("criteria").as_array()) {
      const auto column = std::find(header.begin(), header.end(), std::string(c.at("id").as_string()));
      ASSERT_NE(column, header.end());
      EXPECT_EQ(row[static_cast<std::size_t>(column - header.begin())], c.at("result").as_string());
    }
  }
  EXPECT_EQ(ended, 3);
  EXPECT_EQ(bob_rows, 2);
}

}  // namespace
}  // namespace salesboost
