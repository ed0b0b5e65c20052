// The catalogue over REST (reads, and a scenario's rubric read and replaced)
// and the `catalog import` command, against the real binary.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "support/server_process.hpp"
#include "support/session_client.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
using testing::Client;
using testing::Type;
namespace json = boost::json;

constexpr const char* kAdminPassword = "admin-password-for-catalog";

// A valid rubric of two criteria, unlike any shipped one.
json::object TwoCriteriaRubric() {
  const auto text = [](const char* en, const char* zh) { return json::object{{"en", en}, {"zh", zh}}; };
  const auto levels = json::object{{"good", text("All of it", "全部做到")},
                                   {"fair", text("Some of it", "做到一部分")},
                                   {"poor", text("None of it", "没有做到")}};
  return json::object{
      {"blocker_cap", 2},
      {"pressure_cap", 4},
      {"criteria", json::array{json::object{{"id", "heard-a-need"},
                                            {"title", text("Hear one need", "听到一个需求")},
                                            {"weight", 4},
                                            {"skill", "discovery"},
                                            {"levels", levels},
                                            {"check", json::object{{"kind", "needs_uncovered"}, {"min", 1}}}},
                               json::object{{"id", "stayed-polite"},
                                            {"title", text("Stay polite", "保持礼貌")},
                                            {"weight", 1},
                                            {"skill", "conduct"},
                                            {"levels", levels},
                                            {"check", json::object{{"kind", "conduct"}}}}}}};
}

std::vector<std::string> CriterionIds(const json::value& report) {
  std::vector<std::string> ids;
  for (const auto& c : report.at("scorecard").at("criteria").as_array()) ids.emplace_back(c.at("id").as_string());
  return ids;
}

class CatalogE2e : public testing::SharedServerTest<CatalogE2e> {
 public:
  static std::vector<std::string> Flags() { return {"--set", "auth.bootstrap_admin_password=secret:admin/password"}; }
  static std::map<std::string, std::string> Environment() {
    return {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}};
  }

 protected:
  static std::string Admin() { return server().Login("admin", kAdminPassword); }
  static core::Result<client::HttpReply> Call(const std::string& token, const std::string& method,
                                              const std::string& target, const std::string& body = {}) {
    return Fetch(server().endpoint(), method, target, body, {{"Authorization", "Bearer " + token}});
  }
  // A session of `scenario` with one committed turn; its id.
  static std::string SessionWithOneTurn(const std::string& token, const std::string& scenario) {
    auto created = Call(token, "POST", "/api/v1/sessions",
                        json::serialize(json::object{{"scenario_id", scenario}, {"language", "en"}, {"seed", 7}}));
    EXPECT_TRUE(created && created->status == 201) << (created ? created->body : created.error().message);
    if (!created || created->status != 201) return {};
    std::string id(json::parse(created->body).at("id").as_string());
    Client c(server().endpoint(), token);
    EXPECT_TRUE(c);
    if (!c) return id;
    c.Join(id);
    EXPECT_EQ(Type(c.Next()), "session.ready");
    c.Turn("t1", "Hello, how do you follow up with your customers today?");
    const auto events = c.Until("turn.done");
    EXPECT_TRUE(!events.empty() && Type(events.back()) == "turn.done");
    return id;
  }
  // The report of ending session `id`.
  static json::value End(const std::string& token, const std::string& id) {
    auto ended = Call(token, "POST", "/api/v1/sessions/" + id + "/end");
    EXPECT_TRUE(ended && ended->status == 200) << (ended ? ended->body : ended.error().message);
    return ended && ended->status == 200 ? json::parse(ended->body).at("report") : json::value();
  }

  static std::string Token() {
    auto login =
        Fetch(server().endpoint(), "POST", "/api/v1/auth/login",
              json::serialize(json::object{{"username", "trainee"}, {"password", server().DemoTraineePassword()}}));
    EXPECT_TRUE(login && login->status == 200);
    return login ? std::string(json::parse(login->body).at("token").as_string()) : std::string();
  }
  static core::Result<client::HttpReply> Get(const std::string& target) {
    return Fetch(server().endpoint(), "GET", target, "", {{"Authorization", "Bearer " + Token()}});
  }
};

TEST_F(CatalogE2e, DemoCourseScenariosAndPersonasAreServed) {
  auto courses = Get("/api/v1/courses");
  ASSERT_TRUE(courses);
  ASSERT_EQ(courses->status, 200) << courses->body;
  const auto list = json::parse(courses->body).at("courses").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("id").as_string(), "card-upgrade");
  EXPECT_EQ(list[1].at("id").as_string(), "crm-essentials");
  EXPECT_EQ(list[1].at("title").at("zh").as_string(), "向中小企业销售 CRM 系统");

  auto scenarios = Get("/api/v1/scenarios?course_id=crm-essentials");
  ASSERT_TRUE(scenarios);
  ASSERT_EQ(scenarios->status, 200);
  EXPECT_EQ(json::parse(scenarios->body).at("scenarios").as_array().size(), 2u);

  auto personas = Get("/api/v1/personas?scenario_id=first-call-retail");
  ASSERT_TRUE(personas);
  ASSERT_EQ(personas->status, 200);
  const auto persona = json::parse(personas->body).at("personas").as_array().at(0);
  EXPECT_EQ(persona.at("id").as_string(), "li-wei-retail-owner");
  EXPECT_FALSE(persona.at("objections").as_array().empty());
}

TEST_F(CatalogE2e, BadQueriesAndUnknownIds) {
  auto missing = Get("/api/v1/scenarios");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  auto unknown = Get("/api/v1/personas?scenario_id=nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  auto anonymous = Fetch(server().endpoint(), "GET", "/api/v1/courses");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(CatalogE2e, ARubricIsServedAsStoredAndAsTheTraineeReadsIt) {
  std::ifstream demo(std::string(SALESBOOST_SOURCE_DIR) + "/data/demo/crm-essentials.json");
  std::stringstream text;
  text << demo.rdbuf();
  const auto file = json::parse(text.str());
  json::value shipped;
  for (const auto& s : file.at("scenarios").as_array()) {
    if (s.at("id") == "first-call-retail") shipped = s.at("rubric");
  }
  ASSERT_TRUE(shipped.is_object());

  auto full = Get("/api/v1/scenarios/first-call-retail/rubric");
  ASSERT_TRUE(full);
  ASSERT_EQ(full->status, 200) << full->body;
  EXPECT_EQ(json::parse(full->body), shipped);

  auto zh = Get("/api/v1/scenarios/first-call-retail/rubric?language=zh");
  ASSERT_TRUE(zh);
  ASSERT_EQ(zh->status, 200) << zh->body;
  const auto view = json::parse(zh->body).as_object();
  const auto& criteria = view.at("criteria").as_array();
  ASSERT_EQ(criteria.size(), shipped.at("criteria").as_array().size());
  const auto& first = shipped.at("criteria").as_array()[0];
  EXPECT_EQ(criteria[0].at("id"), first.at("id"));
  EXPECT_EQ(criteria[0].at("title"), first.at("title").at("zh"));
  EXPECT_EQ(criteria[0].at("good"), first.at("levels").at("good").at("zh"));
  EXPECT_FALSE(criteria[0].as_object().contains("check")) << "the trainee reads what, not how";
  EXPECT_TRUE(view.contains("blocker_cap"));

  auto en = Get("/api/v1/scenarios/first-call-retail/rubric?language=en");
  ASSERT_TRUE(en);
  ASSERT_EQ(en->status, 200);
  EXPECT_EQ(json::parse(en->body).at("criteria").at(0).at("title"), first.at("title").at("en"));

  auto unknown = Get("/api/v1/scenarios/nope/rubric");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  auto bad_language = Get("/api/v1/scenarios/first-call-retail/rubric?language=fr");
  ASSERT_TRUE(bad_language);
  EXPECT_EQ(bad_language->status, 400);
  auto anonymous = Fetch(server().endpoint(), "GET", "/api/v1/scenarios/first-call-retail/rubric");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_F(CatalogE2e, AReplacedRubricScoresNewSessionsWhileARunningOneKeepsItsOwn) {
  const auto admin = Admin();
  const auto trainee = Token();
  ASSERT_FALSE(admin.empty());
  const std::string target = "/api/v1/scenarios/skeptical-manager/rubric";
  auto shipped = Call(admin, "GET", target);
  ASSERT_TRUE(shipped && shipped->status == 200);
  std::vector<std::string> shipped_ids;
  const auto shipped_rubric = json::parse(shipped->body);
  for (const auto& c : shipped_rubric.at("criteria").as_array()) shipped_ids.emplace_back(c.at("id").as_string());

  // Running before the change: its scenario (and rubric) is already loaded.
  const auto running = SessionWithOneTurn(trainee, "skeptical-manager");
  ASSERT_FALSE(running.empty());

  auto put = Call(admin, "PUT", target, json::serialize(TwoCriteriaRubric()));
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(json::parse(put->body), TwoCriteriaRubric());
  auto read = Call(trainee, "GET", target);
  ASSERT_TRUE(read && read->status == 200);
  EXPECT_EQ(json::parse(read->body), TwoCriteriaRubric());
  auto view = Call(trainee, "GET", target + "?language=en");
  ASSERT_TRUE(view && view->status == 200);
  EXPECT_EQ(json::parse(view->body).at("criteria").at(0).at("title").as_string(), "Hear one need");

  EXPECT_EQ(CriterionIds(End(trainee, running)), shipped_ids) << "a running session keeps the rubric it started with";
  const auto fresh = SessionWithOneTurn(trainee, "skeptical-manager");
  ASSERT_FALSE(fresh.empty());
  EXPECT_EQ(CriterionIds(End(trainee, fresh)), (std::vector<std::string>{"heard-a-need", "stayed-polite"}));
}

TEST_F(CatalogE2e, AnInvalidRubricIsRefusedWithEveryProblemAndItsPath) {
  const auto admin = Admin();
  auto rubric = TwoCriteriaRubric();
  rubric["criteria"].as_array()[0].as_object()["weight"] = -1;
  rubric["criteria"].as_array()[1].as_object()["skill"] = "charm";
  auto put = Call(admin, "PUT", "/api/v1/scenarios/first-call-retail/rubric", json::serialize(rubric));
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 400) << put->body;
  const auto error = json::parse(put->body).at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "invalid_argument");
  EXPECT_NE(error.at("message").as_string().find("criteria[0].weight"), std::string::npos) << put->body;
  const auto& details = error.at("details").as_array();
  ASSERT_EQ(details.size(), 2u) << put->body;
  EXPECT_TRUE(details[0].as_string().starts_with("criteria[0].weight: ")) << put->body;
  EXPECT_TRUE(details[1].as_string().starts_with("criteria[1].skill: ")) << put->body;

  auto not_json = Call(admin, "PUT", "/api/v1/scenarios/first-call-retail/rubric", "[1]");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);
  auto unknown = Call(admin, "PUT", "/api/v1/scenarios/nope/rubric", json::serialize(TwoCriteriaRubric()));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  auto trainee =
      Call(Token(), "PUT", "/api/v1/scenarios/first-call-retail/rubric", json::serialize(TwoCriteriaRubric()));
  ASSERT_TRUE(trainee);
  EXPECT_EQ(trainee->status, 403);

  auto unchanged = Get("/api/v1/scenarios/first-call-retail/rubric");
  ASSERT_TRUE(unchanged && unchanged->status == 200);
  EXPECT_NE(json::parse(unchanged->body), TwoCriteriaRubric()) << "nothing refused was stored";
}

TEST_F(CatalogE2e, AScenarioWithoutRubricServesTheGenericOneAndReimportReplacesEdits) {
  // A copy of the demo course without rubrics, imported into the running server's database.
  testing::TempDir dir;
  std::ifstream demo(std::string(SALESBOOST_SOURCE_DIR) + "/data/demo/crm-essentials.json");
  std::stringstream text;
  text << demo.rdbuf();
  auto course = json::parse(text.str()).as_object();
  course["id"] = "crm-plain";
  for (auto& p : course["personas"].as_array()) p.as_object()["id"] = std::string(p.at("id").as_string()) + "-plain";
  for (auto& s : course["scenarios"].as_array()) {
    auto& scenario = s.as_object();
    scenario["id"] = std::string(scenario.at("id").as_string()) + "-plain";
    scenario.erase("rubric");
    for (auto& id : scenario["personas"].as_array()) id = std::string(id.as_string()) + "-plain";
  }
  const auto file = (dir.path() / "plain.json").string();
  std::ofstream(file) << json::serialize(course);
  const std::vector<std::string> import = {"catalog", "import", file, "--set",
                                           "data.dir=" + server().data_dir().string()};
  ASSERT_EQ(testing::RunCommand(import).exit_code, 0);

  const std::string target = "/api/v1/scenarios/first-call-retail-plain/rubric";
  auto generic = Get(target);
  ASSERT_TRUE(generic && generic->status == 200) << (generic ? generic->body : "");
  auto body = json::parse(generic->body).as_object();
  EXPECT_EQ(body.at("generic"), json::value(true));
  EXPECT_FALSE(body.at("criteria").as_array().empty());

  // What GET served goes back as it is, and is then the scenario's own.
  auto put = Call(Admin(), "PUT", target, generic->body);
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_FALSE(json::parse(put->body).as_object().contains("generic"));

  ASSERT_EQ(testing::RunCommand(import).exit_code, 0);
  auto again = Get(target);
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_EQ(json::parse(again->body).at("generic"), json::value(true)) << "a re-import restores the file's rubric";
}

TEST(CatalogE2eCli, ImportReportsEachFileAndIsIdempotent) {
  testing::TempDir dir;
  std::ifstream demo(std::string(SALESBOOST_SOURCE_DIR) + "/data/demo/crm-essentials.json");
  std::stringstream text;
  text << demo.rdbuf();
  auto course = json::parse(text.str()).as_object();
  course["id"] = "crm-copy";
  for (auto& p : course["personas"].as_array()) p.as_object()["id"] = std::string(p.at("id").as_string()) + "-copy";
  for (auto& s : course["scenarios"].as_array()) {
    auto& scenario = s.as_object();
    scenario["id"] = std::string(scenario.at("id").as_string()) + "-copy";
    for (auto& id : scenario["personas"].as_array()) id = std::string(id.as_string()) + "-copy";
  }
  std::filesystem::create_directories(dir.path() / "courses");
  std::ofstream(dir.path() / "courses" / "copy.json") << json::serialize(course);
  std::ofstream(dir.path() / "courses" / "broken.json") << R"({"id":"broken","title":{"en":"x"}})";

  const std::string data = "data.dir=" + (dir.path() / "data").string();
  const auto first = testing::RunCommand({"catalog", "import", (dir.path() / "courses").string(), "--set", data});
  EXPECT_EQ(first.exit_code, 1) << "one file is broken";
  EXPECT_NE(first.out.find("copy.json: imported course \"crm-copy\" (2 scenarios, 2 personas)"), std::string::npos)
      << first.out;
  EXPECT_NE(first.err.find("broken.json: description: is required"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("broken.json: scenarios: is required"), std::string::npos) << first.err;

  const auto again =
      testing::RunCommand({"catalog", "import", (dir.path() / "courses" / "copy.json").string(), "--set", data});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(CatalogE2e, ACourseFileComesBackAsStoredAndAnEditIsCheckedWithThePathOfEachProblem) {
  const auto admin = Admin();
  ASSERT_FALSE(admin.empty());
  auto got = Call(admin, "GET", "/api/v1/courses/card-upgrade/file");
  ASSERT_TRUE(got && got->status == 200) << (got ? got->body : got.error().message);
  const auto original = json::parse(got->body).as_object();
  EXPECT_EQ(original.at("id"), "card-upgrade");
  ASSERT_FALSE(original.at("personas").as_array().empty());
  ASSERT_FALSE(original.at("scenarios").as_array().empty());

  // Sent back unchanged, it is accepted and stored as it was.
  auto same = Call(admin, "PUT", "/api/v1/courses/card-upgrade", got->body);
  ASSERT_TRUE(same && same->status == 200) << (same ? same->body : same.error().message);
  EXPECT_EQ(json::parse(same->body), json::value(original));

  // An edit with two mistakes: both reported, each with its JSON path; nothing is stored.
  json::object edited = original;
  edited["personas"].as_array()[0].as_object()["difficulty"] = 9;
  edited["scenarios"].as_array()[0].as_object()["max_turns"] = 0;
  auto bad = Call(admin, "PUT", "/api/v1/courses/card-upgrade", json::serialize(edited));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  const auto error = json::parse(bad->body).at("error");
  EXPECT_EQ(error.at("code"), "invalid_argument");
  std::vector<std::string> details;
  for (const auto& d : error.at("details").as_array()) details.emplace_back(d.as_string());
  ASSERT_EQ(details.size(), 2U) << bad->body;
  EXPECT_TRUE(details[0].starts_with("personas[0].difficulty: ")) << details[0];
  EXPECT_TRUE(details[1].starts_with("scenarios[0].max_turns: ")) << details[1];
  auto unchanged = Call(admin, "GET", "/api/v1/courses/card-upgrade/file");
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(json::parse(unchanged->body), json::value(original));

  // A valid edit is stored and served to trainees.
  const std::string persona_id(original.at("personas").as_array()[0].at("id").as_string());
  edited = original;
  edited["personas"].as_array()[0].as_object()["difficulty"] = 2;
  auto good = Call(admin, "PUT", "/api/v1/courses/card-upgrade", json::serialize(edited));
  ASSERT_TRUE(good && good->status == 200) << (good ? good->body : good.error().message);
  std::string scenario_id;  // one that has the edited persona
  for (const auto& scenario : original.at("scenarios").as_array()) {
    for (const auto& id : scenario.at("personas").as_array()) {
      if (id.as_string() == persona_id && scenario_id.empty()) scenario_id = scenario.at("id").as_string();
    }
  }
  ASSERT_FALSE(scenario_id.empty());
  auto personas = Get("/api/v1/personas?scenario_id=" + scenario_id);
  ASSERT_TRUE(personas && personas->status == 200);
  bool found = false;
  const auto listed = json::parse(personas->body);
  for (const auto& p : listed.at("personas").as_array()) {
    if (p.at("id").as_string() == persona_id) {
      found = true;
      EXPECT_EQ(p.at("difficulty"), 2);
    }
  }
  EXPECT_TRUE(found);

  // Another course's id in the body, a trainee, an unknown course.
  auto other = Call(admin, "PUT", "/api/v1/courses/crm-essentials", got->body);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400);
  EXPECT_NE(other->body.find("id: must be"), std::string::npos) << other->body;
  auto trainee = Call(Token(), "PUT", "/api/v1/courses/card-upgrade", got->body);
  ASSERT_TRUE(trainee);
  EXPECT_EQ(trainee->status, 403);
  auto unknown = Call(admin, "GET", "/api/v1/courses/nope/file");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);

  auto restored = Call(admin, "PUT", "/api/v1/courses/card-upgrade", got->body);
  ASSERT_TRUE(restored && restored->status == 200);
}

}  // namespace
}  // namespace salesboost
