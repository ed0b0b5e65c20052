#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "catalog/catalog_repository.hpp"
#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"
#include "catalog/rubric.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"
#include "support/server_process.hpp"

namespace salesboost::catalog {
namespace {

namespace json = boost::json;

std::string DemoText() {
  return std::string(core::FindEmbeddedFile(DemoCourseFiles(), "crm-essentials.json").value_or(""));
}

std::string Errors(const CourseFileErrors& errors) {
  std::string out;
  for (const auto& line : errors.lines) out += line + "\n";
  return out;
}

TEST(CourseFile, ShippedDemoCourseIsValid) {
  ASSERT_FALSE(DemoCourseFiles().empty());
  for (const auto& file : DemoCourseFiles()) {
    auto bundle = ParseCourseFile(file.content);
    ASSERT_TRUE(bundle) << file.name << "\n" << Errors(bundle.error());
    EXPECT_FALSE(bundle->scenarios.empty());
    EXPECT_FALSE(bundle->personas.empty());
    EXPECT_FALSE(bundle->course.contains("personas")) << "personas are stored apart from the course";
  }
}

TEST(CourseFile, EveryProblemIsReportedWithItsPath) {
  auto doc = json::parse(DemoText()).as_object();
  doc["id"] = "Bad Id";
  auto& scenario = doc["scenarios"].as_array()[0].as_object();
  scenario["max_turns"] = 0;
  scenario["personas"] = json::array{"nobody"};
  scenario["stage_goals"].as_object()["DANCING"] = json::object{{"en", "x"}};
  auto& persona = doc["personas"].as_array()[1].as_object();
  persona["initial_mood"] = 3;
  persona["close_conditions"] = json::array{"no-such-objection"};
  persona["name"] = json::object{{"fr", "Zhang"}};
  auto bundle = ParseCourseFile(json::serialize(doc));
  ASSERT_FALSE(bundle);
  const auto text = Errors(bundle.error());
  for (const char* expected :
       {"id: may contain only a-z, 0-9 and '-'", "scenarios[0].max_turns: must be a number from 1 to 200",
        "scenarios[0].personas: must name personas defined in this file",
        "scenarios[0].stage_goals.DANCING: is not a stage", "personas[1].initial_mood: must be a number from 0 to 1",
        "personas[1].close_conditions: must list ids of this persona's objections",
        "personas[1].name.fr: language must be \"en\" or \"zh\""}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\nin:\n" << text;
  }
}

TEST(CourseFile, ThePersonasCustomerFieldsAreCheckedWithTheirPaths) {
  auto doc = json::parse(DemoText()).as_object();
  auto& persona = doc["personas"].as_array()[0].as_object();
  persona["facts"] = json::array{json::object{{"id", "staff"}, {"says", json::object{{"en", "Ten."}}}},
                                 json::object{{"id", "follow-up"}, {"says", "plain"}, {"asked_by", json::array{"x"}}}};
  persona["next_step"] = json::array{"trial"};
  persona["templates"].as_object()["en"].as_object()["shout"] = json::array{"HEY"};
  persona["buying_signals"].as_array()[0].as_object()["answered_by"] = json::array{};
  persona["objections"].as_array()[0].as_object()["topic"] = json::object{{"de", "Preis"}};
  auto bundle = ParseCourseFile(json::serialize(doc));
  ASSERT_FALSE(bundle);
  const auto text = Errors(bundle.error());
  for (const char* expected :
       {"personas[0].facts[0].asked_by: is required", "personas[0].facts[1].id: is used twice in this persona",
        "personas[0].facts[1].says: must be an object of texts by language",
        "personas[0].next_step: must be an object with \"offered_by\"",
        "personas[0].templates.en.shout: is not a phrase kind of the customer",
        "personas[0].buying_signals[0].answered_by: must be a non-empty array of strings",
        "personas[0].objections[0].topic.de: language must be \"en\" or \"zh\""}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(CourseFile, CollectionsAreOptionalAndDefaultToTheCourseId) {
  auto doc = json::parse(DemoText()).as_object();
  auto listed = ParseCourseFile(json::serialize(doc));
  ASSERT_TRUE(listed) << Errors(listed.error());
  EXPECT_EQ(CourseCollections(listed->course), (std::vector<std::string>{"crm-essentials", "sales-compliance"}));
  doc.erase("collections");
  auto absent = ParseCourseFile(json::serialize(doc));
  ASSERT_TRUE(absent) << Errors(absent.error());
  EXPECT_EQ(CourseCollections(absent->course), std::vector<std::string>{"crm-essentials"});

  for (const auto& [value, expected] : std::vector<std::pair<json::value, std::string>>{
           {json::array{}, "collections: must be a non-empty array of collection names"},
           {"crm", "collections: must be a non-empty array of collection names"},
           {json::array{"a", ""}, "collections[1]: must be 1 to 64 of A-Z, a-z, 0-9, '_', '.' and '-'"},
           {json::array{"card upgrade"}, "collections[0]: must be 1 to 64 of A-Z, a-z, 0-9, '_', '.' and '-'"},
           {json::array{7}, "collections[0]: must be 1 to 64 of A-Z, a-z, 0-9, '_', '.' and '-'"},
           {json::array{std::string(65, 'x')}, "collections[0]: must be 1 to 64 of A-Z, a-z, 0-9, '_', '.' and '-'"},
           {json::array{"a", "b", "a"}, "collections[2]: is listed twice"}}) {
    doc["collections"] = value;
    auto bundle = ParseCourseFile(json::serialize(doc));
    ASSERT_FALSE(bundle) << json::serialize(value);
    EXPECT_EQ(Errors(bundle.error()), expected + "\n");
  }
}

TEST(CourseFile, TheDemoContentCoversTwoCoursesFourScenariosAndSixPersonasOfDifferentDifficulty) {
  std::size_t scenarios = 0;
  std::set<std::string> personas;
  std::set<std::int64_t> difficulties;
  for (const auto& file : DemoCourseFiles()) {
    auto bundle = ParseCourseFile(file.content);
    ASSERT_TRUE(bundle) << file.name << "\n" << Errors(bundle.error());
    scenarios += bundle->scenarios.size();
    for (const auto& persona : bundle->personas) {
      personas.insert(persona.id);
      difficulties.insert(persona.document.at("difficulty").to_number<std::int64_t>());
      for (const auto* language : {"en", "zh"}) {
        EXPECT_TRUE(persona.document.at("templates").as_object().contains(language)) << persona.id << " " << language;
      }
    }
  }
  EXPECT_GE(DemoCourseFiles().size(), 2u);
  EXPECT_GE(scenarios, 4u);
  EXPECT_GE(personas.size(), 6u);
  EXPECT_GE(difficulties.size(), 4u) << "personas of different difficulty";
}

TEST(CourseFile, HostileInputIsAnErrorNotACrash) {
  for (const std::string& input :
       {std::string(""), std::string("[]"), std::string("{"), std::string("\xff\xfe"),
        std::string(R"({"id":"x","personas":5,"scenarios":"no"})"), std::string(100000, '[')}) {
    EXPECT_FALSE(ParseCourseFile(input)) << input.substr(0, 20);
  }
}

class CatalogRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = infra::SqliteStore::Open(dir_.path() / "c.db", {}, pool_);
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    ASSERT_TRUE(core::RunSync(storage::ApplyMigrations(*store_, storage::BuiltinMigrations())));
    repo_ = std::make_unique<CatalogRepository>(*store_, clock_);
  }
  CourseBundle Demo() { return *ParseCourseFile(DemoText()); }

  testing::TempDir dir_;
  core::BlockingPool pool_{1};
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<infra::SqliteStore> store_;
  std::unique_ptr<CatalogRepository> repo_;
};

TEST_F(CatalogRepositoryTest, ImportIsIdempotentAndReadable) {
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));  // again: replaces, no duplicates
  auto courses = core::RunSync(repo_->Courses("default"));
  ASSERT_TRUE(courses);
  ASSERT_EQ(courses->size(), 1u);
  EXPECT_EQ((*courses)[0].at("id").as_string(), "crm-essentials");
  auto scenarios = core::RunSync(repo_->Scenarios("default", "crm-essentials"));
  ASSERT_TRUE(scenarios);
  ASSERT_EQ(scenarios->size(), 2u);
  EXPECT_EQ((*scenarios)[0].at("course_id").as_string(), "crm-essentials");
  auto personas = core::RunSync(repo_->Personas("default", "skeptical-manager"));
  ASSERT_TRUE(personas);
  ASSERT_EQ(personas->size(), 1u);
  EXPECT_EQ((*personas)[0].at("id").as_string(), "zhang-min-ops-manager");
}

TEST_F(CatalogRepositoryTest, UnknownParentsAreNotFoundAndTenantsAreSeparate) {
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  EXPECT_EQ(core::RunSync(repo_->Scenarios("default", "nope")).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(core::RunSync(repo_->Personas("default", "nope")).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(core::RunSync(repo_->Course("default", "nope")).error().code, core::ErrorCode::kNotFound);
  auto course = core::RunSync(repo_->Course("default", "crm-essentials"));
  ASSERT_TRUE(course);
  EXPECT_EQ(CourseCollections(*course), (std::vector<std::string>{"crm-essentials", "sales-compliance"}));
  EXPECT_EQ(core::RunSync(repo_->CourseCount("other-tenant")).value(), 0);
}

TEST_F(CatalogRepositoryTest, APersonaCannotBeStolenByAnotherCourse) {
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  auto other = Demo();
  other.id = "another-course";
  other.scenarios.clear();
  auto result = core::RunSync(repo_->Import("default", std::move(other)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(core::RunSync(repo_->CourseCount("default")).value(), 1) << "the failed import left nothing behind";
}

TEST_F(CatalogRepositoryTest, ReplaceRubricChangesOnlyThatScenarioUntilTheNextImport) {
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  auto before = core::RunSync(repo_->Scenario("default", "first-call-retail"));
  ASSERT_TRUE(before);
  json::object rubric = DefaultRubricJson();
  rubric["blocker_cap"] = 2;
  rubric["criteria"].as_array().resize(1);
  ASSERT_TRUE(ValidateRubric(rubric, "").empty());

  auto replaced = core::RunSync(repo_->ReplaceRubric("default", "first-call-retail", rubric));
  ASSERT_TRUE(replaced) << replaced.error().message;
  auto after = core::RunSync(repo_->Scenario("default", "first-call-retail"));
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, *replaced);
  EXPECT_EQ(after->at("rubric").as_object(), rubric);
  json::object rest = *after;
  json::object rest_before = *before;
  rest.erase("rubric");
  rest_before.erase("rubric");
  EXPECT_EQ(rest, rest_before) << "the rest of the document is kept";
  ASSERT_EQ(RubricOf(*after).criteria.size(), 1u);
  EXPECT_EQ(RubricOf(*after).blocker_cap, 2);

  auto other = core::RunSync(repo_->Scenario("default", "skeptical-manager"));
  ASSERT_TRUE(other);
  EXPECT_NE(RubricOf(*other).criteria.size(), 1u) << "another scenario keeps its rubric";

  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  auto reimported = core::RunSync(repo_->Scenario("default", "first-call-retail"));
  ASSERT_TRUE(reimported);
  EXPECT_EQ(*reimported, *before) << "a re-import restores the file's rubric";
}

TEST_F(CatalogRepositoryTest, ReplaceRubricOfAnUnknownScenarioOrTenantIsNotFound) {
  ASSERT_TRUE(core::RunSync(repo_->Import("default", Demo())));
  auto unknown = core::RunSync(repo_->ReplaceRubric("default", "nope", DefaultRubricJson()));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  auto elsewhere = core::RunSync(repo_->ReplaceRubric("other-tenant", "first-call-retail", DefaultRubricJson()));
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace salesboost::catalog
