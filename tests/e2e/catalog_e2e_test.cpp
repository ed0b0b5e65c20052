// The catalogue over REST and the `catalog import` command, against the real binary.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

class CatalogE2e : public testing::SharedServerTest<CatalogE2e> {
 public:
  static std::vector<std::string> Flags() { return {}; }

 protected:
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

}  // namespace
}  // namespace salesboost
