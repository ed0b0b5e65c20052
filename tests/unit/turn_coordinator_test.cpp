// The coordinator, its session actors and the session feed over a real
// SQLite store, the demo catalogue and fake agents: what gets committed,
// published, buffered and replayed.
#include "conversation/turn_coordinator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "app/catalog_setup.hpp"
#include "brain/in_memory_knowledge.hpp"
#include "brain/offline_coach.hpp"
#include "conversation/in_process_live_buffer.hpp"
#include "conversation/in_process_session_hub.hpp"
#include "conversation/session_feed.hpp"
#include "conversation/store_turn_ledger.hpp"
#include "core/blocking_pool.hpp"
#include "core/in_process_rate_limiter.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"
#include "support/fake_agents.hpp"
#include "support/server_process.hpp"
#include "support/trainee_store.hpp"

namespace salesboost::conversation {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

class SequentialIds final : public core::IdGenerator {
 public:
  std::string Next() override { return "id" + std::to_string(++next_); }

 private:
  int next_ = 0;
};

// Keeps what a feed sends, in order.
class RecordingSubscriber final : public FeedSubscriber {
 public:
  void Send(const Event& event) override { events.push_back(event); }
  void Replaced() override { ++replaced; }
  std::vector<std::int64_t> Seqs() const {
    std::vector<std::int64_t> out;
    out.reserve(events.size());
    for (const auto& e : events) out.push_back(e.seq);
    return out;
  }
  std::vector<Event> events;
  int replaced = 0;
};

std::vector<std::string_view> Types(const std::vector<Event>& events) {
  std::vector<std::string_view> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(e.Type());
  return out;
}

asio::awaitable<void> Sleep(milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

// SessionLeases as another instance would make them look: held elsewhere for
// a while, taken over, unreachable, or granted after another instance wrote.
class ScriptedLeases final : public SessionLeases {
 public:
  bool held_elsewhere = false;  // Acquire waits (or fails at once with no wait)
  bool continued = true;        // granted leases continue this process's cache
  bool unavailable = false;     // the lease service is down
  bool lose_on_renew = false;   // the next Renew says the lease was taken over
  int acquired = 0;
  int released = 0;

  asio::awaitable<core::Result<Lease>> Acquire(std::string /*session_id*/, milliseconds wait) override {
    if (unavailable) co_return core::Fail(core::ErrorCode::kUnavailable, "lease service unreachable");
    const auto until = std::chrono::steady_clock::now() + wait;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (held_elsewhere) {
      if (std::chrono::steady_clock::now() >= until) {
        co_return core::Fail(core::ErrorCode::kResourceExhausted, "another instance holds the session");
      }
      timer.expires_after(milliseconds(5));
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    ++acquired;
    co_return Lease{.epoch = acquired, .continued = continued};
  }
  asio::awaitable<core::Result<bool>> Renew(std::string /*session_id*/, Lease /*lease*/) override {
    co_return !lose_on_renew;
  }
  asio::awaitable<core::Result<void>> Release(std::string /*session_id*/, Lease /*lease*/) override {
    ++released;
    co_return core::Ok();
  }
  milliseconds RenewInterval() const override { return milliseconds(10); }
};

class TurnCoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenStoreWithTrainee(dir_.path() / "s.db", pool_);
    ASSERT_NE(store_, nullptr);
    catalog_ = std::make_unique<catalog::CatalogRepository>(*store_, clock_);
    ASSERT_TRUE(core::RunSync(app::ImportDemoIfEmpty(*catalog_, "default")));
    sessions_ = std::make_unique<SessionStore>(*store_, clock_);
    service_ = std::make_unique<SessionService>(*sessions_, *catalog_, ids_);
    ledger_ = std::make_unique<StoreTurnLedger>(*sessions_);
    fakes_.evaluator->scores.scores = {{"relevance", 8}};
    fakes_.evaluator->scores.reasons = {{"relevance", "on topic"}};
    auto started = core::RunSync(service_->Start(
        who_, StartRequest{.scenario_id = "first-call-retail", .persona_id = {}, .language = "en", .seed = 7}));
    ASSERT_TRUE(started);
    session_ = *started;
    Rebuild();
  }

  // A coordinator as after a restart: nothing in memory.
  void Rebuild(CoordinatorOptions options = {}) {
    feed_.reset();
    coordinator_.reset();
    metrics_ = std::make_unique<core::MetricsRegistry>();
    coordinator_ = std::make_unique<TurnCoordinator>(
        options, CoordinatorDeps{.sessions = *sessions_,
                                 .service = *service_,
                                 .catalog = *catalog_,
                                 .hub = hub_,
                                 .live = live_,
                                 .leases = leases_,
                                 .ledger = *ledger_,
                                 .turn_limiter = limiter_,
                                 .agents = fakes_.agents,
                                 .metrics = *metrics_,
                                 .logger = core::Logger::ToString(log_, core::LogLevel::kError)});
    feed_ = std::make_unique<SessionFeed>(FeedOptions{.replay_page = 3}, *service_, *coordinator_, hub_, live_);
  }

  asio::awaitable<core::Result<TurnAdmission>> Submit(std::string turn_id, std::string text = "How do you follow up?") {
    return coordinator_->Submit(who_,
                                TurnRequest{.session_id = session_.id,
                                            .turn_id = std::move(turn_id),
                                            .text = std::move(text),
                                            .on_refused = [this](const core::Error& e) { refused_.push_back(e); }});
  }

  std::vector<Event> Log() {
    auto events = core::RunSync(sessions_->EventsAfter(session_.id, 0, 1000));
    EXPECT_TRUE(events);
    return events ? *events : std::vector<Event>{};
  }

  // Joins with a fresh subscriber after `last_seq`.
  std::shared_ptr<RecordingSubscriber> Join(std::int64_t last_seq) {
    auto subscriber = std::make_shared<RecordingSubscriber>();
    subscription_ = feed_->Subscribe(subscriber);
    EXPECT_TRUE(core::RunSync(feed_->Join(who_, session_.id, last_seq, subscription_)));
    return subscriber;
  }

  testing::TempDir dir_;
  core::BlockingPool pool_{1};
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<infra::SqliteStore> store_;
  std::unique_ptr<catalog::CatalogRepository> catalog_;
  std::unique_ptr<SessionStore> sessions_;
  SequentialIds ids_;
  std::unique_ptr<SessionService> service_;
  std::unique_ptr<StoreTurnLedger> ledger_;
  InProcessSessionHub hub_;
  InProcessLiveBuffer live_;
  ScriptedLeases leases_;
  core::InProcessRateLimiter limiter_{{.per_minute = 600, .burst = 100}, clock_};
  testing::FakeAgents fakes_;
  std::unique_ptr<core::MetricsRegistry> metrics_;
  std::unique_ptr<TurnCoordinator> coordinator_;
  std::unique_ptr<SessionFeed> feed_;
  std::shared_ptr<SessionFeed::Subscription> subscription_;
  identity::Principal who_{.user_id = "u1", .tenant_id = "default", .username = "u", .role = identity::Role::kTrainee};
  Session session_;
  std::vector<core::Error> refused_;
  std::string log_;
};

TEST_F(TurnCoordinatorTest, ATurnCommitsWholeInSeqOrderAndIsPublishedOnce) {
  auto live = Join(0);
  ASSERT_EQ(live->Seqs(), (std::vector<std::int64_t>{1})) << "session.ready";
  auto admitted = core::RunSync(Submit("t1"));
  ASSERT_TRUE(admitted);
  EXPECT_EQ(admitted->status, TurnAdmission::Status::kAccepted);

  const auto log = Log();
  auto types = Types(log);
  const auto tip = std::find(types.begin(), types.end(), "coach.tip");
  ASSERT_NE(tip, types.end());
  EXPECT_LT(tip - types.begin(), types.end() - types.begin() - 3) << "the tip is provisional, before the commit's tail";
  types.erase(tip);
  EXPECT_EQ(types, (std::vector<std::string_view>{"session.ready", "turn.started", "npc.delta", "npc.delta", "npc.done",
                                                  "stage.changed", "turn.scored", "turn.done"}));
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq, static_cast<std::int64_t>(i) + 1);
  EXPECT_EQ(live->Seqs().size(), log.size()) << "every event reached the subscriber once";
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(EventText(live->events[i]), EventText(log[i])) << i;
  EXPECT_EQ(live_.Sessions(), 0u) << "the live buffer is empty once the turn is committed";
}

TEST_F(TurnCoordinatorTest, TheSameTurnIdIsAnsweredOnce) {
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  const auto before = Log().size();
  auto again = core::RunSync(Submit("t1"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, TurnAdmission::Status::kReplayed);
  EXPECT_EQ(again->replay.front().Type(), "turn.started");
  EXPECT_EQ(again->replay.back().Type(), "turn.done");
  EXPECT_EQ(Log().size(), before);
  EXPECT_EQ(fakes_.npc->calls, 1);

  Rebuild();  // the ledger, not memory, answers after a restart
  auto after_restart = core::RunSync(Submit("t1"));
  ASSERT_TRUE(after_restart);
  EXPECT_EQ(after_restart->status, TurnAdmission::Status::kReplayed);
  EXPECT_EQ(fakes_.npc->calls, 1);
}

TEST_F(TurnCoordinatorTest, TheSameTurnIdWithAnotherTextIsRefusedNotReplayed) {
  ASSERT_TRUE(core::RunSync(Submit("t1", "How do you follow up?")));
  const auto before = Log().size();
  auto other = core::RunSync(Submit("t1", "What does it cost?"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(other.error().message.find("different text"), std::string::npos) << other.error().message;
  EXPECT_EQ(Log().size(), before);
  EXPECT_EQ(fakes_.npc->calls, 1);

  auto same = core::RunSync(Submit("t1", "How do you follow up?"));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, TurnAdmission::Status::kReplayed);

  Rebuild();  // the stored turn.started, not memory, holds the text after a restart
  auto after_restart = core::RunSync(Submit("t1", "What does it cost?"));
  ASSERT_FALSE(after_restart);
  EXPECT_EQ(after_restart.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST_F(TurnCoordinatorTest, ARunningTurnIdWithAnotherTextIsRefused) {
  fakes_.npc->hang = true;
  struct Outcome {
    core::Result<TurnAdmission> other;
    core::Result<TurnAdmission> same;
  };
  auto scenario = [this]() -> asio::awaitable<Outcome> {
    auto admitted = co_await Submit("t1", "How do you follow up?");
    EXPECT_TRUE(admitted);
    co_await Sleep(milliseconds(20));
    // Separate statements: GCC 12 mishandles co_await inside a braced initializer.
    auto other = co_await Submit("t1", "What does it cost?");
    auto same = co_await Submit("t1", "How do you follow up?");
    Outcome out{.other = std::move(other), .same = std::move(same)};
    auto ended = co_await coordinator_->End(who_, session_.id, "trainee");
    EXPECT_TRUE(ended);
    co_return out;
  };
  const auto outcome = core::RunSync(scenario());
  ASSERT_FALSE(outcome.other);
  EXPECT_EQ(outcome.other.error().code, core::ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(outcome.same);
  EXPECT_EQ(outcome.same->status, TurnAdmission::Status::kAttached);
  EXPECT_EQ(fakes_.npc->calls, 1);
}

TEST_F(TurnCoordinatorTest, AFailedCustomerAbortsTheTurnAndLeavesNoTraceInTheFold) {
  fakes_.npc->error = core::Error{core::ErrorCode::kUnavailable, "every provider failed"};
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  const auto log = Log();
  ASSERT_EQ(log.back().Type(), "turn.aborted");
  EXPECT_EQ(log.back().As<TurnAborted>()->reason, "npc_failed");
  const auto state = FoldEvents(log);
  EXPECT_EQ(state.turns, 0);
  EXPECT_TRUE(state.transcript.empty());

  fakes_.npc->error.reset();
  auto retried = core::RunSync(Submit("t1"));
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, TurnAdmission::Status::kAccepted) << "an aborted turn_id runs again";
  EXPECT_EQ(Log().back().Type(), "turn.done");
}

TEST_F(TurnCoordinatorTest, EndingDuringATurnAbortsItThenReports) {
  fakes_.npc->hang = true;
  auto scenario = [this]() -> asio::awaitable<core::Result<EndedSession>> {
    auto admitted = co_await Submit("t1");
    if (!admitted) co_return core::Fail(admitted.error());
    co_await Sleep(milliseconds(20));
    co_return co_await coordinator_->End(who_, session_.id, "trainee");
  };
  auto ended = core::RunSync(scenario());
  ASSERT_TRUE(ended);
  EXPECT_EQ(Types(ended->events), (std::vector<std::string_view>{"session.ended", "report.ready"}));
  EXPECT_EQ(ended->session.status, SessionStatus::kEnded);
  const auto log = Log();
  const auto aborted = std::find_if(log.begin(), log.end(), [](const Event& e) { return e.Is<TurnAborted>(); });
  ASSERT_NE(aborted, log.end());
  EXPECT_EQ(aborted->As<TurnAborted>()->reason, "session_ended");
  auto late = core::RunSync(Submit("t2"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST_F(TurnCoordinatorTest, TheTurnDeadlineAbortsTheTurn) {
  Rebuild({.turn_deadline = milliseconds(100), .part_deadline = milliseconds(10000)});
  fakes_.npc->hang = true;
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  EXPECT_EQ(Log().back().As<TurnAborted>()->reason, "deadline");
}

TEST_F(TurnCoordinatorTest, SeqsReservedByADeadProcessAreRecordedAsLostNotReused) {
  ASSERT_TRUE(
      core::RunSync(sessions_->Reserve(session_.id, "t9", 1, 4)));  // a turn held seqs 2..4, then the process died
  auto session = core::RunSync(sessions_->Get("default", session_.id));
  ASSERT_TRUE(session);
  ASSERT_TRUE(core::RunSync(coordinator_->Recover(*session)));
  const auto log = Log();
  EXPECT_EQ(Types(log),
            (std::vector<std::string_view>{"session.ready", "npc.delta", "npc.delta", "npc.delta", "turn.aborted"}));
  EXPECT_EQ(log.back().turn_id, "t9");
  EXPECT_EQ(log.back().As<TurnAborted>()->reason, "interrupted");
  ASSERT_TRUE(core::RunSync(Submit("t10")));
  EXPECT_EQ(Log()[5].seq, 6) << "the next turn starts after the lost seqs";
}

TEST_F(TurnCoordinatorTest, AJoinSendsStoredBufferedAndLiveEventsExactlyOnceInOrder) {
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  const auto log = Log();
  const auto last = log.back().seq;
  // A running turn's provisional events, the first two of them already stored
  // as far as this join can tell (overlap), the rest only buffered.
  std::vector<Event> running;
  for (std::int64_t seq = last - 1; seq <= last + 3; ++seq) {
    running.push_back(Event{.seq = seq, .turn_id = "t2", .body = NpcDelta{.text = "x"}, .created_at = {}});
  }
  std::vector<Event> fresh(running.begin() + 2, running.end());
  ASSERT_TRUE(core::RunSync(live_.Append(session_.id, fresh)));
  auto subscriber = Join(2);
  // Live deliveries that repeat what the join sent, then one new event.
  ASSERT_TRUE(core::RunSync(hub_.Publish(session_.id, running)));
  std::vector<Event> next = {Event{.seq = last + 4, .turn_id = "t2", .body = NpcDelta{.text = "y"}, .created_at = {}}};
  ASSERT_TRUE(core::RunSync(hub_.Publish(session_.id, next)));

  std::vector<std::int64_t> expected;
  for (std::int64_t seq = 3; seq <= last + 4; ++seq) expected.push_back(seq);
  EXPECT_EQ(subscriber->Seqs(), expected);
  EXPECT_EQ(subscriber->replaced, 0);
}

TEST_F(TurnCoordinatorTest, AnotherConnectionJoiningReplacesTheFirstButARejoinDoesNot) {
  auto first = std::make_shared<RecordingSubscriber>();
  auto first_subscription = feed_->Subscribe(first);
  ASSERT_TRUE(core::RunSync(feed_->Join(who_, session_.id, 0, first_subscription)));
  ASSERT_TRUE(core::RunSync(feed_->Join(who_, session_.id, 0, first_subscription)));
  EXPECT_EQ(first->replaced, 0) << "the same connection joining again";
  auto second = Join(0);
  EXPECT_EQ(first->replaced, 1);
  EXPECT_EQ(second->replaced, 0);
  identity::Principal stranger{
      .user_id = "u2", .tenant_id = "default", .username = "v", .role = identity::Role::kTrainee};
  auto refused = core::RunSync(feed_->Join(stranger, session_.id, 0, feed_->Subscribe(second)));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kNotFound);
}

// The real offline coach over the demo documents: what it cites depends only on
// the session's course.
TEST_F(TurnCoordinatorTest, TheCoachCitesOnlyTheKnowledgeOfTheSessionsCourse) {
  brain::InMemoryKnowledge knowledge(brain::DemoKnowledgeFiles());
  fakes_.agents.coach = std::make_unique<brain::OfflineCoach>(knowledge);
  fakes_.coach = nullptr;
  const std::vector<std::string> turns = {
      "I hear you: the annual fee feels too expensive. Let me explain why it is worth the price.",
      "Other customers felt the same about the fee; what they found was the benefits pay it back.",
      "Another bank's card is cheaper, but what is included? Lounge access and travel insurance.",
      "Is a long contract or a minimum term what worries you?",
      "Shall we start the upgrade today? There is no risk, the fee is refunded if you cancel."};
  // Every source a session's coach cites across the turns above.
  auto cited = [&](const std::string& scenario_id) {
    auto started = core::RunSync(
        service_->Start(who_, StartRequest{.scenario_id = scenario_id, .persona_id = {}, .language = "en", .seed = 7}));
    EXPECT_TRUE(started);
    session_ = *started;
    for (std::size_t i = 0; i < turns.size(); ++i) {
      auto admitted = core::RunSync(Submit("t" + std::to_string(i), turns[i]));
      EXPECT_TRUE(admitted && admitted->status == TurnAdmission::Status::kAccepted) << turns[i];
    }
    std::set<std::string> sources;
    for (const auto& event : Log()) {
      if (const auto* tip = event.As<CoachTipped>()) {
        for (const auto& evidence : tip->evidence) sources.insert(evidence.source);
      }
    }
    return sources;
  };
  auto is_crm = [](const std::string& source) {
    return source.starts_with("lumen-") || source.starts_with("objection-playbook.");
  };

  const auto card = cited("platinum-upgrade-call");
  ASSERT_FALSE(card.empty()) << "the card course's documents answer these turns";
  for (const auto& source : card) EXPECT_FALSE(is_crm(source)) << "a credit-card session cited " << source;
  EXPECT_TRUE(std::any_of(card.begin(), card.end(), [](const std::string& s) {
    return s.starts_with("card-") || s.starts_with("platinum-card-");
  }));

  const auto crm = cited("first-call-retail");
  ASSERT_FALSE(crm.empty());
  for (const auto& source : crm) {
    EXPECT_FALSE(source.starts_with("card-") || source.starts_with("platinum-card-"))
        << "a CRM session cited " << source;
  }
  EXPECT_TRUE(std::any_of(crm.begin(), crm.end(), is_crm));
}

TEST_F(TurnCoordinatorTest, AWhiteSpaceTurnIsInvalidAndLeavesNoTrace) {
  auto blank = core::RunSync(Submit("t1", " \t\u3000 "));
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().code, core::ErrorCode::kInvalidArgument);
  // The turn id was not used: a real message may take it.
  ASSERT_TRUE(core::RunSync(Submit("t1", "How do you follow up?")));
}

}  // namespace
TEST_F(TurnCoordinatorTest, ATurnWaitsWhileAnotherInstanceHoldsTheSessionThenRuns) {
  leases_.held_elsewhere = true;
  auto scenario = [this]() -> asio::awaitable<std::size_t> {
    auto admitted = co_await Submit("t1");
    EXPECT_TRUE(admitted);
    co_await Sleep(milliseconds(40));
    const std::size_t before = Log().size();
    leases_.held_elsewhere = false;  // the other instance released it
    co_return before;
  };
  EXPECT_EQ(core::RunSync(scenario()), 1u) << "nothing ran while the lease was held elsewhere";
  EXPECT_EQ(Log().back().Type(), "turn.done");
  EXPECT_EQ(leases_.acquired, 1);
  EXPECT_EQ(leases_.released, 1) << "released once the queue is empty";
}

TEST_F(TurnCoordinatorTest, ATurnStillHeldElsewhereAfterTheWaitIsRefused) {
  Rebuild({.lease_wait = milliseconds(30)});
  leases_.held_elsewhere = true;
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  ASSERT_EQ(refused_.size(), 1u);
  EXPECT_EQ(refused_.front().code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(Log().size(), 1u);
}

TEST_F(TurnCoordinatorTest, AJoinDoesNotAbortATurnALiveInstanceIsRunning) {
  // Another instance reserved seqs 2..4 for its running turn and still holds the lease.
  ASSERT_TRUE(core::RunSync(sessions_->Reserve(session_.id, "t9", 1, 4)));
  leases_.held_elsewhere = true;
  Join(0);
  EXPECT_EQ(Types(Log()), (std::vector<std::string_view>{"session.ready"})) << "nothing recorded as lost";
  leases_.held_elsewhere = false;  // the instance is gone: the next join records the lost seqs
  Join(0);
  EXPECT_EQ(Log().back().As<TurnAborted>()->reason, "interrupted");
}

TEST_F(TurnCoordinatorTest, TwoInstancesTakingTurnsReadEachOthersWrites) {
  ASSERT_TRUE(core::RunSync(Submit("t1")));  // this instance, which now caches the session
  // The other instance: its own coordinator over the same store.
  InProcessSessionHub other_hub;
  InProcessLiveBuffer other_live;
  ScriptedLeases other_leases;
  core::MetricsRegistry other_metrics;
  TurnCoordinator other({}, CoordinatorDeps{.sessions = *sessions_,
                                            .service = *service_,
                                            .catalog = *catalog_,
                                            .hub = other_hub,
                                            .live = other_live,
                                            .leases = other_leases,
                                            .ledger = *ledger_,
                                            .turn_limiter = limiter_,
                                            .agents = fakes_.agents,
                                            .metrics = other_metrics,
                                            .logger = core::Logger::ToString(log_, core::LogLevel::kError)});
  other_leases.continued = false;
  ASSERT_TRUE(core::RunSync(other.Submit(
      who_,
      TurnRequest{.session_id = session_.id, .turn_id = "t2", .text = "What matters most to you?", .on_refused = {}})));
  ASSERT_EQ(Log().back().Type(), "turn.done");
  leases_.continued = false;  // the lease comes back after the other instance held it
  ASSERT_TRUE(core::RunSync(Submit("t3")));
  const auto log = Log();
  EXPECT_EQ(log.back().Type(), "turn.done");
  EXPECT_EQ(FoldEvents(log).turns, 3) << "each instance committed after the other's turn";
  EXPECT_TRUE(refused_.empty());
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq, static_cast<std::int64_t>(i) + 1);
}

TEST_F(TurnCoordinatorTest, ATurnWhoseLeaseIsTakenOverIsAborted) {
  fakes_.npc->hang = true;
  leases_.lose_on_renew = true;
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  const auto log = Log();
  ASSERT_EQ(log.back().Type(), "turn.aborted");
  EXPECT_EQ(log.back().As<TurnAborted>()->reason, "taken_over");
  EXPECT_EQ(leases_.released, 0) << "a lost lease is not released";
}

TEST_F(TurnCoordinatorTest, AStaleWriterIsFencedByTheStore) {
  ASSERT_TRUE(core::RunSync(Submit("t1")));  // cached here with last_seq at the end of t1
  const auto last = Log().back().seq;
  // Another instance wrote since, but this process believes its lease continued (a paused owner).
  ASSERT_TRUE(core::RunSync(sessions_->Reserve(session_.id, "x", last, last + 2)));
  ASSERT_TRUE(core::RunSync(sessions_->Append(
      session_.id,
      SessionStore::Commit{
          .expected_last_seq = last,
          .events = {Event{
              .seq = last + 1, .turn_id = "x", .body = TurnAborted{.reason = "interrupted"}, .created_at = {}}},
          .turns = 0,
          .ends = false})));
  auto stale = core::RunSync(sessions_->Reserve(session_.id, "t2", last, last + 64));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, core::ErrorCode::kAborted) << "a reservation over another writer is refused";
  ASSERT_TRUE(core::RunSync(Submit("t2")));
  const auto log = Log();
  EXPECT_EQ(log[static_cast<std::size_t>(last)].turn_id, "x") << "the other writer's event is intact";
  EXPECT_NE(log.back().Type(), "turn.done") << "the stale owner's turn did not commit over it";
  ASSERT_EQ(refused_.size(), 1u);
  EXPECT_EQ(refused_.front().code, core::ErrorCode::kAborted);
  ASSERT_TRUE(core::RunSync(Submit("t3")));
  EXPECT_EQ(Log().back().Type(), "turn.done") << "it read the session again and went on";
}

TEST_F(TurnCoordinatorTest, WithTheLeaseServiceDownOnlyASessionServedHereGoesOn) {
  ASSERT_TRUE(core::RunSync(Submit("t1")));
  leases_.unavailable = true;
  ASSERT_TRUE(core::RunSync(Submit("t2")));
  EXPECT_EQ(Log().back().Type(), "turn.done") << "served here before: it goes on";
  EXPECT_TRUE(refused_.empty());
  Rebuild();  // a process that never served it
  ASSERT_TRUE(core::RunSync(Submit("t3")));
  ASSERT_EQ(refused_.size(), 1u);
  EXPECT_EQ(refused_.front().code, core::ErrorCode::kUnavailable);
}

}  // namespace salesboost::conversation
