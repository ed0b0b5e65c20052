// Practice sessions over REST against the real binary: creation with its
// session.ready event, access rules across users and roles, end and report.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

constexpr const char* kAdminPassword = "admin-password-for-tests";

class SessionE2e : public testing::SharedServerTest<SessionE2e> {
 public:
  static std::vector<std::string> Flags() { return {"--set", "auth.bootstrap_admin_password=secret:admin/password"}; }
  static std::map<std::string, std::string> Environment() {
    return {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}};
  }

 protected:
  static std::string Token(const std::string& username, const std::string& password) {
    auto login = Fetch(server().endpoint(), "POST", "/api/v1/auth/login",
                       json::serialize(json::object{{"username", username}, {"password", password}}));
    EXPECT_TRUE(login && login->status == 200) << (login ? login->body : login.error().message);
    return login ? std::string(json::parse(login->body).at("token").as_string()) : std::string();
  }
  static std::string Trainee() { return Token("trainee", server().DemoTraineePassword()); }
  static std::string Admin() { return Token("admin", kAdminPassword); }

  // A second trainee, created with the CLI against the running server's database.
  static std::string OtherTrainee() {
    static const std::string password = [] {
      const auto created =
          testing::RunCommand({"user", "add", "bob", "--set", "data.dir=" + server().data_dir().string(), "--set",
                               "auth.password_hash_memory_kib=64", "--set", "auth.password_hash_iterations=1"});
      EXPECT_EQ(created.exit_code, 0) << created.err;
      return created.out.substr(created.out.find("password: ") + 10, 20);
    }();
    return Token("bob", password);
  }

  static core::Result<client::HttpReply> Call(const std::string& token, const std::string& method,
                                              const std::string& target, const std::string& body = {}) {
    return Fetch(server().endpoint(), method, target, body, {{"Authorization", "Bearer " + token}});
  }

  static json::object Start(const std::string& token, const std::string& language = "zh") {
    auto created = Call(token, "POST", "/api/v1/sessions",
                        json::serialize(json::object{{"scenario_id", "first-call-retail"}, {"language", language}}));
    EXPECT_TRUE(created && created->status == 201) << (created ? created->body : created.error().message);
    return created ? json::parse(created->body).as_object() : json::object{};
  }
};

TEST_F(SessionE2e, StartingASessionRecordsSessionReady) {
  const auto token = Trainee();
  const auto session = Start(token);
  EXPECT_EQ(session.at("status").as_string(), "active");
  EXPECT_EQ(session.at("persona_id").as_string(), "li-wei-retail-owner");
  EXPECT_EQ(session.at("last_seq").as_int64(), 1);
  const std::string id(session.at("id").as_string());

  auto events = Call(token, "GET", "/api/v1/sessions/" + id + "/events?after_seq=0");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->status, 200) << events->body;
  const auto list = json::parse(events->body).at("events").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("type").as_string(), "session.ready");
  EXPECT_EQ(list[0].at("seq").as_int64(), 1);
  EXPECT_EQ(list[0].at("stage").as_string(), "OPENING");
  EXPECT_EQ(list[0].at("persona").at("name").as_string(), "李伟");
  EXPECT_EQ(list[0].at("scenario").at("max_turns").as_int64(), 20);

  auto none = Call(token, "GET", "/api/v1/sessions/" + id + "/events?after_seq=1");
  ASSERT_TRUE(none);
  EXPECT_TRUE(json::parse(none->body).at("events").as_array().empty());
}

TEST_F(SessionE2e, OtherTraineesCannotSeeASessionButAdminsCan) {
  const auto session = Start(Trainee());
  const std::string id(session.at("id").as_string());
  const auto bob = OtherTrainee();
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/sessions/" + id},
                                                        {"GET", "/api/v1/sessions/" + id + "/events"},
                                                        {"GET", "/api/v1/sessions/" + id + "/report"},
                                                        {"POST", "/api/v1/sessions/" + id + "/end"}}) {
    auto reply = Call(bob, method, target);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 404) << method << " " << target << " -> " << reply->body;
  }
  auto bobs = Call(bob, "GET", "/api/v1/sessions");
  ASSERT_TRUE(bobs);
  const auto bobs_list = json::parse(bobs->body);
  for (const auto& s : bobs_list.at("sessions").as_array()) EXPECT_NE(s.at("id").as_string(), id);

  const auto admin = Admin();
  auto seen = Call(admin, "GET", "/api/v1/sessions/" + id);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, 200);
  auto all = Call(admin, "GET", "/api/v1/sessions?page_size=100");
  ASSERT_TRUE(all);
  bool listed = false;
  const auto all_list = json::parse(all->body);
  for (const auto& s : all_list.at("sessions").as_array()) listed |= s.at("id").as_string() == id;
  EXPECT_TRUE(listed);
}

TEST_F(SessionE2e, ListIsPagedNewestFirst) {
  const auto token = OtherTrainee();
  for (int i = 0; i < 3; ++i) Start(token);
  auto first = Call(token, "GET", "/api/v1/sessions?page=1&page_size=2");
  auto second = Call(token, "GET", "/api/v1/sessions?page=2&page_size=2");
  ASSERT_TRUE(first && second);
  const auto a = json::parse(first->body);
  const auto b = json::parse(second->body);
  EXPECT_GE(a.at("total").as_int64(), 3);
  EXPECT_EQ(a.at("sessions").as_array().size(), 2u);
  EXPECT_GE(b.at("sessions").as_array().size(), 1u);
  EXPECT_NE(a.at("sessions").as_array()[0].at("id"), b.at("sessions").as_array()[0].at("id"));
}

TEST_F(SessionE2e, EndingProducesAReportOnce) {
  const auto token = Trainee();
  const std::string id(Start(token, "en").at("id").as_string());
  auto early = Call(token, "GET", "/api/v1/sessions/" + id + "/report");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409);

  auto ended = Call(token, "POST", "/api/v1/sessions/" + id + "/end");
  ASSERT_TRUE(ended);
  ASSERT_EQ(ended->status, 200) << ended->body;
  const auto body = json::parse(ended->body);
  EXPECT_EQ(body.at("session").at("status").as_string(), "ended");
  EXPECT_EQ(body.at("session").at("last_seq").as_int64(), 3);
  EXPECT_EQ(body.at("report").at("end_reason").as_string(), "trainee");
  EXPECT_EQ(body.at("report").at("stage_timeline").as_array().at(0).at("stage").as_string(), "OPENING");

  auto again = Call(token, "POST", "/api/v1/sessions/" + id + "/end");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  auto report = Call(token, "GET", "/api/v1/sessions/" + id + "/report");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200);
  EXPECT_EQ(json::parse(report->body), body.at("report"));
  auto events = Call(token, "GET", "/api/v1/sessions/" + id + "/events");
  const auto list = json::parse(events->body).at("events").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1].at("type").as_string(), "session.ended");
  EXPECT_EQ(list[2].at("type").as_string(), "report.ready");
}

TEST_F(SessionE2e, BadRequestsAreRefusedWithReasons) {
  const auto token = Trainee();
  const std::vector<std::pair<std::string, int>> cases = {
      {R"({"scenario_id":"no-such-scenario"})", 404},
      {R"({"scenario_id":"first-call-retail","persona_id":"zhang-min-ops-manager"})", 400},
      {R"({"scenario_id":"first-call-retail","language":"fr"})", 400},
      {R"({"persona_id":"x"})", 400},
      {"not json", 400}};
  for (const auto& [body, status] : cases) {
    auto reply = Call(token, "POST", "/api/v1/sessions", body);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, status) << body << " -> " << reply->body;
  }
  auto bad_page = Call(token, "GET", "/api/v1/sessions?page_size=0");
  ASSERT_TRUE(bad_page);
  EXPECT_EQ(bad_page->status, 400);
  auto anonymous = Fetch(server().endpoint(), "GET", "/api/v1/sessions");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

}  // namespace
}  // namespace salesboost
