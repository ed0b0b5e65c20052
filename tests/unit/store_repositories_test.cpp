// The repositories over the Store port, run against every engine (the unit
// binary: SQLite; postgres_tests: PostgreSQL): the catalogue, users, sessions
// with their event log, and the knowledge tables.
#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "catalog/catalog_repository.hpp"
#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"
#include "catalog/rubric.hpp"
#include "conversation/session_store.hpp"
#include "core/id_generator.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "identity/user_repository.hpp"
#include "knowledge/document_repository.hpp"
#include "storage/migration.hpp"
#include "support/test_store.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;
using testing::TestEngine;

// A migrated store of the engine under test, with the trainee "u1".
class RepositoryContract : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    store_ = testing::OpenTestStore(GetParam(), dir_, pool_);
    ASSERT_NE(store_, nullptr);
    auto migrated = core::RunSync(storage::ApplyMigrations(*store_, storage::BuiltinMigrations()));
    ASSERT_TRUE(migrated) << migrated.error().message;
    storage::TransactionFn add_user = [](storage::Transaction& tx) -> core::Result<void> {
      auto done = tx.Execute(
          "INSERT INTO users (id, tenant_id, username, display_name, password_hash, role, created_at) "
          "VALUES ('u1', 'default', 'u', 'U', 'x', 'trainee', 'now')",
          {});
      return done ? core::Ok() : core::Fail(done.error());
    };
    ASSERT_TRUE(core::RunSync(store_->Transact(add_user)));
  }
  std::int64_t Count(const std::string& table) {
    std::int64_t rows = -1;
    storage::TransactionFn count = [&](storage::Transaction& tx) -> core::Result<void> {
      auto result = tx.Query("SELECT COUNT(*) FROM " + table, {});
      if (!result) return core::Fail(result.error());
      rows = result->front().Int(0);
      return core::Ok();
    };
    EXPECT_TRUE(core::RunSync(store_->Read(count)));
    return rows;
  }

  testing::TempDir dir_;
  core::BlockingPool pool_{2};
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<storage::Store> store_;
};

// --- catalogue ---------------------------------------------------------------

catalog::CourseBundle Demo() {
  return *catalog::ParseCourseFile(
      std::string(core::FindEmbeddedFile(catalog::DemoCourseFiles(), "crm-essentials.json").value_or("")));
}

TEST_P(RepositoryContract, CatalogImportIsIdempotentAndReadable) {
  catalog::CatalogRepository repo(*store_, clock_);
  ASSERT_TRUE(core::RunSync(repo.Import("default", Demo())));
  ASSERT_TRUE(core::RunSync(repo.Import("default", Demo())));  // again: replaces, no duplicates
  auto courses = core::RunSync(repo.Courses("default"));
  ASSERT_TRUE(courses) << courses.error().message;
  ASSERT_EQ(courses->size(), 1u);
  EXPECT_EQ((*courses)[0].at("id").as_string(), "crm-essentials");
  auto scenarios = core::RunSync(repo.Scenarios("default", "crm-essentials"));
  ASSERT_TRUE(scenarios);
  ASSERT_EQ(scenarios->size(), 2u);
  EXPECT_EQ((*scenarios)[0].at("course_id").as_string(), "crm-essentials");
  auto personas = core::RunSync(repo.Personas("default", "skeptical-manager"));
  ASSERT_TRUE(personas);
  ASSERT_EQ(personas->size(), 1u);
  EXPECT_EQ((*personas)[0].at("id").as_string(), "zhang-min-ops-manager");
}

TEST_P(RepositoryContract, CatalogUnknownParentsAreNotFoundAndTenantsAreSeparate) {
  catalog::CatalogRepository repo(*store_, clock_);
  ASSERT_TRUE(core::RunSync(repo.Import("default", Demo())));
  EXPECT_EQ(core::RunSync(repo.Scenarios("default", "nope")).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(core::RunSync(repo.Personas("default", "nope")).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(core::RunSync(repo.Course("default", "nope")).error().code, core::ErrorCode::kNotFound);
  auto course = core::RunSync(repo.Course("default", "crm-essentials"));
  ASSERT_TRUE(course);
  EXPECT_EQ(catalog::CourseCollections(*course), (std::vector<std::string>{"crm-essentials", "sales-compliance"}));
  EXPECT_EQ(core::RunSync(repo.CourseCount("other-tenant")).value(), 0);
}

TEST_P(RepositoryContract, CatalogPersonaCannotBeStolenByAnotherCourse) {
  catalog::CatalogRepository repo(*store_, clock_);
  ASSERT_TRUE(core::RunSync(repo.Import("default", Demo())));
  auto other = Demo();
  other.id = "another-course";
  other.scenarios.clear();
  auto result = core::RunSync(repo.Import("default", std::move(other)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(core::RunSync(repo.CourseCount("default")).value(), 1) << "the failed import left nothing behind";
}

TEST_P(RepositoryContract, CatalogReplaceRubricChangesOnlyThatScenario) {
  catalog::CatalogRepository repo(*store_, clock_);
  ASSERT_TRUE(core::RunSync(repo.Import("default", Demo())));
  auto before = core::RunSync(repo.Scenario("default", "first-call-retail"));
  ASSERT_TRUE(before);
  json::object rubric = catalog::DefaultRubricJson();
  rubric["blocker_cap"] = 2;
  rubric["criteria"].as_array().resize(1);
  auto replaced = core::RunSync(repo.ReplaceRubric("default", "first-call-retail", rubric));
  ASSERT_TRUE(replaced) << replaced.error().message;
  auto after = core::RunSync(repo.Scenario("default", "first-call-retail"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->at("rubric").as_object(), rubric);
  auto other = core::RunSync(repo.Scenario("default", "skeptical-manager"));
  ASSERT_TRUE(other);
  EXPECT_NE(catalog::RubricOf(*other).criteria.size(), 1u);
  auto unknown = core::RunSync(repo.ReplaceRubric("other-tenant", "first-call-retail", rubric));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
}

// --- users -------------------------------------------------------------------

TEST_P(RepositoryContract, UsersAreCreatedFoundCountedAndUniquePerTenant) {
  auto ids = core::MakeRandomIdGenerator();
  identity::UserRepository users(*store_, *ids, clock_);
  auto created = core::RunSync(users.Create({.tenant_id = "default",
                                             .username = "Alice",
                                             .display_name = "",
                                             .password_hash = "h",
                                             .role = identity::Role::kAdmin}));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->username, "alice");
  auto found = core::RunSync(users.FindByUsername("default", "ALICE"));
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, created->id);
  EXPECT_EQ((*found)->role, identity::Role::kAdmin);
  auto missing = core::RunSync(users.FindByUsername("default", "bob"));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  auto again = core::RunSync(users.Create({.tenant_id = "default",
                                           .username = "alice",
                                           .display_name = "",
                                           .password_hash = "h",
                                           .role = identity::Role::kTrainee}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(again.error().message, "user 'alice' already exists");
  EXPECT_EQ(core::RunSync(users.CountByRole("default", identity::Role::kAdmin)).value(), 1);
  EXPECT_EQ(core::RunSync(users.CountByRole("default", identity::Role::kTrainee)).value(), 1);  // u1
}

// --- sessions ----------------------------------------------------------------

conversation::Event E(std::int64_t seq, const std::string& type, std::string turn_id, const json::object& payload) {
  auto body = conversation::DecodeBody(type, payload);
  EXPECT_TRUE(body) << type;
  return conversation::Event{.seq = seq, .turn_id = std::move(turn_id), .body = std::move(*body), .created_at = {}};
}

class SessionContract : public RepositoryContract {
 protected:
  void SetUp() override {
    RepositoryContract::SetUp();
    if (HasFatalFailure()) return;
    sessions_ = std::make_unique<conversation::SessionStore>(*store_, clock_);
    conversation::Session s;
    s.id = "s1";
    s.tenant_id = "default";
    s.user_id = "u1";
    s.language = "en";
    std::vector<conversation::NewEvent> initial;
    initial.push_back(conversation::NewEvent{.turn_id = {}, .body = conversation::SessionReady{}});
    auto created = core::RunSync(sessions_->Create(s, std::move(initial)));
    ASSERT_TRUE(created) << created.error().message;
  }
  std::unique_ptr<conversation::SessionStore> sessions_;
};

TEST_P(SessionContract, DeltasAreOneRowAndReplayByteForByte) {
  using conversation::SessionStore;
  const std::vector<std::string> chunks = {"说实", "话，", "", "the real ", "problem."};
  std::vector<conversation::Event> turn = {E(2, "turn.started", "t", {{"text", "q"}})};
  for (const auto& chunk : chunks) turn.push_back(E(turn.back().seq + 1, "npc.delta", "t", {{"text", chunk}}));
  turn.push_back(E(turn.back().seq + 1, "turn.done", "t", {}));
  auto appended = core::RunSync(
      sessions_->Append("s1", SessionStore::Commit{.expected_last_seq = 1, .events = turn, .turns = 1, .ends = false}));
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(Count("session_events"), 4) << "ready, started, one row of deltas, done";
  for (std::int64_t after = 0; after <= 8; ++after) {
    auto events = core::RunSync(sessions_->EventsAfter("s1", after, 100));
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_EQ(static_cast<std::int64_t>(events->size()), 8 - after) << "after " << after;
    for (std::size_t i = 0; i < events->size(); ++i) {
      const auto& event = (*events)[i];
      EXPECT_EQ(event.seq, after + 1 + static_cast<std::int64_t>(i));
      if (event.seq >= 3 && event.seq <= 7) {
        EXPECT_EQ(event.As<conversation::NpcDelta>()->text, chunks[event.seq - 3]);
      }
    }
  }
  auto marks = core::RunSync(sessions_->TurnMarks("s1", "t"));
  ASSERT_TRUE(marks);
  ASSERT_EQ(marks->size(), 2u);
  EXPECT_EQ((*marks)[1].type, "turn.done");
  auto last = core::RunSync(sessions_->LastEvent("s1", "npc.delta"));
  ASSERT_TRUE(last);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->seq, 7);
  auto session = core::RunSync(sessions_->Get("default", "s1"));
  ASSERT_TRUE(session);
  EXPECT_EQ(session->last_seq, 8);
  EXPECT_EQ(session->turn_count, 1);
  auto page = core::RunSync(sessions_->List("default", "u1", 0, 10));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 1);
  ASSERT_EQ(page->sessions.size(), 1u);
  EXPECT_EQ(page->sessions[0].id, "s1");
}

TEST_P(SessionContract, ACommitOnAStaleSeqIsRefusedWholeAndReservationsStick) {
  using conversation::SessionStore;
  std::vector<conversation::Event> batch = {E(2, "turn.started", "t", {}), E(3, "turn.done", "t", {})};
  ASSERT_TRUE(core::RunSync(sessions_->Append("s1", SessionStore::Commit{.expected_last_seq = 1, .events = batch})));
  auto stale = core::RunSync(sessions_->Append("s1", SessionStore::Commit{.expected_last_seq = 1, .events = batch}));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::ErrorCode::kAborted);
  std::vector<conversation::Event> gap = {E(5, "turn.started", "u", {})};
  EXPECT_FALSE(core::RunSync(sessions_->Append("s1", SessionStore::Commit{.expected_last_seq = 3, .events = gap})));
  EXPECT_EQ(Count("session_events"), 3);
  auto fenced = core::RunSync(sessions_->Reserve("s1", "u", 1, 9));
  ASSERT_FALSE(fenced) << "a reservation naming a stale last seq is refused";
  EXPECT_EQ(fenced.error().code, core::ErrorCode::kAborted);
  ASSERT_TRUE(core::RunSync(sessions_->Reserve("s1", "u", 3, 9)));
  auto session = core::RunSync(sessions_->Get("default", "s1"));
  ASSERT_TRUE(session);
  EXPECT_EQ(session->reserved_seq, 9);
  EXPECT_EQ(session->running_turn_id, "u");
  EXPECT_EQ(core::RunSync(sessions_->Get("other", "s1")).error().code, core::ErrorCode::kNotFound);
}

TEST_P(SessionContract, WithReportsFiltersByCourseAndWindowAndCarriesTheStoredReport) {
  using conversation::SessionStore;
  const auto create = [&](std::string id, std::string tenant, std::string course) {
    conversation::Session s;
    s.id = std::move(id);
    s.tenant_id = std::move(tenant);
    s.user_id = "u1";
    s.course_id = std::move(course);
    s.language = "en";
    std::vector<conversation::NewEvent> initial;
    initial.push_back(conversation::NewEvent{.turn_id = {}, .body = conversation::SessionReady{}});
    auto created = core::RunSync(sessions_->Create(s, std::move(initial)));
    ASSERT_TRUE(created) << created.error().message;
  };
  create("s2", "default", "c1");
  const json::object report{{"overall", 7.5}, {"scorecard", {{"criteria", json::array{}}}}};
  std::vector<conversation::Event> end = {E(2, "session.ended", "", {{"reason", "trainee"}}),
                                          E(3, "report.ready", "", {{"report", report}})};
  ASSERT_TRUE(core::RunSync(
      sessions_->Append("s2", SessionStore::Commit{.expected_last_seq = 1, .events = end, .turns = 0, .ends = true})));
  clock_.Advance(std::chrono::hours(72));
  create("s3", "default", "c1");

  const auto ids = [](const std::vector<conversation::ReportedSession>& list) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (const auto& s : list) out.push_back(s.session.id);
    return out;
  };
  auto all = core::RunSync(sessions_->WithReports("default", {.course_id = "", .days = 0}));
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"s1", "s2", "s3"}));
  EXPECT_FALSE((*all)[0].report.has_value());
  ASSERT_TRUE((*all)[1].report.has_value());
  EXPECT_EQ(*(*all)[1].report, report);
  EXPECT_EQ((*all)[1].session.status, conversation::SessionStatus::kEnded);
  EXPECT_FALSE((*all)[2].report.has_value());

  auto course = core::RunSync(sessions_->WithReports("default", {.course_id = "c1", .days = 0}));
  ASSERT_TRUE(course);
  EXPECT_EQ(ids(*course), (std::vector<std::string>{"s2", "s3"}));
  auto recent = core::RunSync(sessions_->WithReports("default", {.course_id = "", .days = 2}));
  ASSERT_TRUE(recent);
  EXPECT_EQ(ids(*recent), (std::vector<std::string>{"s3"}));
  auto other = core::RunSync(sessions_->WithReports("other", {.course_id = "", .days = 0}));
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty()) << "another tenant's sessions stay out";
}

// --- knowledge ---------------------------------------------------------------

knowledge::NewDocument Document(const std::string& id, const std::string& name, const std::string& version) {
  knowledge::NewDocument doc;
  doc.info = {.id = id,
              .tenant_id = "default",
              .collection = "c",
              .name = name,
              .type = "faq",
              .language = "en",
              .version = version,
              .format = "markdown"};
  doc.format = "markdown";
  doc.bytes = 5'000'000'000;  // past 32 bits
  doc.pages = 2;
  doc.route.format = "markdown";
  doc.route.extractor = "markdown";
  knowledge::Chunk parent;
  parent.id = id + "-p";
  parent.page = 1;
  parent.page_end = 2;
  parent.heading_path = {"A", "B"};
  parent.end = 10;
  parent.text = "parent";
  knowledge::Chunk child;
  child.id = id + "-c";
  child.parent_id = parent.id;
  child.page = 2;
  child.page_end = 2;
  child.heading_path = {"A"};
  child.end = 5;
  child.text = "child";
  doc.chunks.parents.push_back(parent);
  doc.chunks.children.push_back(child);
  doc.terms.push_back({{"child", 1}});
  doc.now = "2026-01-01T00:00:00Z";
  return doc;
}

TEST_P(RepositoryContract, KnowledgeDocumentsAndJobsRoundTrip) {
  knowledge::DocumentRepository repo(*store_);
  ASSERT_TRUE(core::RunSync(repo.Replace(Document("d2", "b.md", "v1"))));
  auto replaced = core::RunSync(repo.Replace(Document("d1", "a.md", "v1")));
  ASSERT_TRUE(replaced) << replaced.error().message;
  auto list = core::RunSync(repo.List("default", ""));
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a.md");
  EXPECT_EQ((*list)[0].bytes, 5'000'000'000);
  auto detail = core::RunSync(repo.Get("default", "d1"));
  ASSERT_TRUE(detail) << detail.error().message;
  EXPECT_EQ(detail->parents, 1);
  EXPECT_EQ(detail->children, 1);
  auto same = core::RunSync(repo.WithVersion("default", "c", "v1"));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->size(), 2u);
  auto all = core::RunSync(repo.LoadAll());
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  for (const auto& doc : *all) {
    ASSERT_EQ(doc.parents.size(), 1u);
    ASSERT_EQ(doc.children.size(), 1u);
    EXPECT_EQ(doc.parents[0].page_end, 2);
    EXPECT_EQ(doc.parents[0].heading_path, (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(doc.children[0].terms, (knowledge::TermCounts{{"child", 1}}));
  }
  ASSERT_TRUE(core::RunSync(repo.Delete("default", "d2")));
  EXPECT_EQ(core::RunSync(repo.Delete("default", "d2")).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(Count("knowledge_chunks"), 2);

  knowledge::JobView job;
  job.id = "j1";
  job.tenant_id = "default";
  job.collection = "c";
  job.status = "running";
  job.files.push_back(knowledge::JobFile{.name = "a.md", .pages_done = 0, .pages_total = 0, .outcome = std::nullopt});
  job.created_at = "t0";
  job.updated_at = "t0";
  ASSERT_TRUE(core::RunSync(repo.SaveJob(job)));
  ASSERT_TRUE(core::RunSync(repo.FailUnfinishedJobs("t1")));
  auto found = core::RunSync(repo.FindJob("default", "j1"));
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->status, "failed");
  EXPECT_EQ(found->updated_at, "t1");
  EXPECT_EQ(core::RunSync(repo.FindJob("other", "j1")).error().code, core::ErrorCode::kNotFound);
}

#ifdef SALESBOOST_TEST_POSTGRES
INSTANTIATE_TEST_SUITE_P(Engines, RepositoryContract, ::testing::Values(TestEngine::kPostgres), testing::EngineName);
INSTANTIATE_TEST_SUITE_P(Engines, SessionContract, ::testing::Values(TestEngine::kPostgres), testing::EngineName);
#else
INSTANTIATE_TEST_SUITE_P(Engines, RepositoryContract, ::testing::Values(TestEngine::kSqlite), testing::EngineName);
INSTANTIATE_TEST_SUITE_P(Engines, SessionContract, ::testing::Values(TestEngine::kSqlite), testing::EngineName);
#endif

}  // namespace
}  // namespace salesboost
