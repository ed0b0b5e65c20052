#include "conversation/turn_pipeline.hpp"

#include <gtest/gtest.h>

#include "core/run_sync.hpp"
#include "support/fake_agents.hpp"

namespace salesboost::conversation {
namespace {

using std::chrono::milliseconds;

// Records what the pipeline emits; can refuse from the n-th call on.
class RecordingEmitter final : public TurnEmitter {
 public:
  std::vector<NewEvent> events;
  int fail_from = -1;
  int calls = 0;

  boost::asio::awaitable<core::Result<void>> Emit(std::vector<NewEvent> batch) override {
    if (fail_from >= 0 && calls++ >= fail_from) co_return core::Fail(core::ErrorCode::kUnavailable, "store down");
    for (auto& e : batch) events.push_back(std::move(e));
    co_return core::Ok();
  }
};

class TurnPipelineTest : public ::testing::Test {
 protected:
  TurnPipelineTest() {
    session_.id = "s1";
    session_.language = "en";
    state_.stage = Stage::kNeedsDiscovery;
    state_.turns = 2;
    fakes_.evaluator->scores.scores = {{"empathy", 7}, {"relevance", 8}};
    fakes_.evaluator->scores.reasons = {{"empathy", "warm"}, {"relevance", "on topic"}};
  }
  TurnPlan Plan(std::string text = "What slows your team down?") {
    return pipeline_.Begin(session_, scenario_, persona_, state_, "t3", std::move(text));
  }
  TurnParts Run(const TurnPlan& plan) {
    return core::RunSync(pipeline_.Run(plan, emitter_, std::chrono::steady_clock::now()));
  }

  testing::FakeAgents fakes_;
  core::MetricsRegistry metrics_;
  TurnPipeline pipeline_{{.part_deadline = milliseconds(200)}, fakes_.agents, metrics_};
  Session session_;
  boost::json::object scenario_;
  boost::json::object persona_;
  ConversationState state_;
  RecordingEmitter emitter_;
};

TEST_F(TurnPipelineTest, BeginClassifiesAndAppliesTheActsStageTransition) {
  fakes_.classifier->label = "greeting";
  state_.stage = Stage::kOpening;
  const auto plan = Plan("Hi there");
  EXPECT_EQ(plan.started.act, "greeting");
  EXPECT_EQ(plan.started.turn_index, 3);
  EXPECT_EQ(plan.started.text, "Hi there");
  EXPECT_EQ(plan.stage_before, Stage::kOpening);

  fakes_.classifier->label = "open_question";
  const auto asked = Plan();
  ASSERT_TRUE(asked.after_act.has_value()) << "an open question moves the opening to discovery";
  EXPECT_EQ(asked.after_act->to, Stage::kNeedsDiscovery);
  EXPECT_EQ(asked.context.stage, Stage::kNeedsDiscovery);
}

TEST_F(TurnPipelineTest, StreamsDeltasThenTheReplyAndTheTip) {
  const auto parts = Run(Plan());
  ASSERT_TRUE(parts.reply);
  EXPECT_EQ(parts.reply->text, "Hello, tell me more.");
  EXPECT_EQ(parts.reply->intent, "filler") << "an engine that leaves the intent open gets the classifier's";
  ASSERT_TRUE(parts.tip);
  ASSERT_TRUE(parts.compliance);
  ASSERT_TRUE(parts.scores);
  ASSERT_TRUE(parts.customer_check.has_value());
  EXPECT_EQ(fakes_.compliance->checked,
            (std::vector<std::string>{"What slows your team down?", "Hello, tell me more."}));

  // Deltas in order, npc.done after them; the tip anywhere.
  std::vector<std::string> deltas;
  int dones = 0;
  int tips = 0;
  for (const auto& event : emitter_.events) {
    EXPECT_EQ(event.turn_id, "t3");
    if (const auto* delta = std::get_if<NpcDelta>(&event.body)) {
      EXPECT_EQ(dones, 0) << "no delta after npc.done";
      deltas.push_back(delta->text);
    }
    if (std::holds_alternative<NpcDone>(event.body)) ++dones;
    if (const auto* tip = std::get_if<CoachTipped>(&event.body)) {
      ++tips;
      EXPECT_EQ(tip->technique, "SPIN");
    }
  }
  EXPECT_EQ(deltas, (std::vector<std::string>{"Hello, ", "tell me more."}));
  EXPECT_EQ(dones, 1);
  EXPECT_EQ(tips, 1);
  EXPECT_EQ(emitter_.events.size(), 4u);
}

TEST_F(TurnPipelineTest, AFailedCoachIsAMissingTipNotAFailedTurn) {
  fakes_.coach->error = core::Error{core::ErrorCode::kUnavailable, "coach down"};
  const auto plan = Plan();
  const auto parts = Run(plan);
  ASSERT_TRUE(parts.reply);
  EXPECT_FALSE(parts.tip);
  for (const auto& e : emitter_.events) EXPECT_FALSE(std::holds_alternative<CoachTipped>(e.body));

  const auto conclusion = TurnPipeline::Conclude(plan, parts, state_);
  ASSERT_FALSE(conclusion.events.empty());
  const auto* done = std::get_if<TurnDone>(&conclusion.events.back().body);
  ASSERT_NE(done, nullptr) << "turn.done closes the turn";
  EXPECT_TRUE(done->npc.ok);
  EXPECT_FALSE(done->coach.ok);
  EXPECT_EQ(done->coach.code, "unavailable");
  EXPECT_EQ(done->coach.message, "coach down");
  EXPECT_TRUE(done->evaluator.ok);
}

TEST_F(TurnPipelineTest, APartPastItsDeadlineFailsAlone) {
  fakes_.coach->hang = true;
  const auto parts = Run(Plan());
  ASSERT_TRUE(parts.reply);
  ASSERT_FALSE(parts.tip);
  EXPECT_EQ(parts.tip.error().code, core::ErrorCode::kDeadlineExceeded);
}

TEST_F(TurnPipelineTest, TheCustomersFailureIsTheTurns) {
  fakes_.npc->error = core::Error{core::ErrorCode::kUnavailable, "all providers down"};
  const auto parts = Run(Plan());
  ASSERT_FALSE(parts.reply);
  EXPECT_FALSE(parts.customer_check.has_value()) << "no reply, nothing of the customer's to check";
  pipeline_.CountFailures(parts, false);
  EXPECT_NE(metrics_.WritePrometheus().find("salesboost_turn_part_failures_total{part=\"npc\"} 1"), std::string::npos);
}

TEST_F(TurnPipelineTest, AnEmitThatFailsEndsTheCustomersPart) {
  emitter_.fail_from = 0;
  const auto parts = Run(Plan());
  ASSERT_FALSE(parts.reply) << "npc.done could not be emitted";
  EXPECT_EQ(parts.reply.error().code, core::ErrorCode::kUnavailable);
}

TEST_F(TurnPipelineTest, ConcludeOrdersStageMoodScoresFlagsAndDone) {
  fakes_.classifier->label = "value_statement";
  state_.customer.revealed = {"follow-up"};
  state_.customer.mood = 0.5;
  fakes_.npc->reply.raised = {"price"};
  fakes_.npc->reply.mood_delta = -0.1234;
  fakes_.npc->reply.mood_cause = "pitched";
  fakes_.compliance->trigger = "guaranteed";
  fakes_.compliance->findings = {
      {.rule = "guaranteed_return", .level = "BLOCK", .excerpt = "guaranteed", .message = {}}};
  fakes_.evaluator->scores.scores["compliance"] = 9;
  fakes_.evaluator->scores.reasons["compliance"] = "evaluator's view";
  const auto plan = Plan("Returns are guaranteed with our plan.");
  const auto parts = Run(plan);
  const auto conclusion = TurnPipeline::Conclude(plan, parts, state_);

  std::vector<std::string_view> types;
  for (const auto& e : conclusion.events) types.push_back(TypeOf(e.body));
  EXPECT_EQ(types, (std::vector<std::string_view>{"stage.changed", "mood", "stage.changed", "turn.scored",
                                                  "compliance.flagged", "turn.done"}));
  const auto& act_change = std::get<StageChanged>(conclusion.events[0].body);
  EXPECT_EQ(act_change.from, Stage::kNeedsDiscovery);
  EXPECT_EQ(act_change.to, Stage::kProductIntro);
  const auto& mood = std::get<MoodChanged>(conclusion.events[1].body);
  EXPECT_DOUBLE_EQ(mood.value, 0.377);
  EXPECT_DOUBLE_EQ(mood.delta, -0.123);
  EXPECT_EQ(std::get<StageChanged>(conclusion.events[2].body).to, Stage::kObjectionHandling);

  const auto& scored = std::get<TurnScored>(conclusion.events[3].body);
  ASSERT_TRUE(scored.compliance.has_value());
  EXPECT_EQ(scored.compliance->level, "BLOCK");
  std::vector<std::string> names;
  for (const auto& d : scored.dimensions) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"compliance", "empathy", "relevance"}))
      << "the evaluator's dimensions in order; compliance replaced in place by the check's";
  EXPECT_DOUBLE_EQ(scored.dimensions[0].score, 4);
  EXPECT_EQ(scored.dimensions[0].reason, "1 compliance finding(s), worst BLOCK");
  EXPECT_EQ(std::get<ComplianceFlagged>(conclusion.events[4].body).side, "trainee");
  EXPECT_TRUE(conclusion.end_reason.empty());
}

TEST_F(TurnPipelineTest, TheSessionEndsWhenWonOrAtTheTurnLimit) {
  auto end_reason = [&] {
    const auto plan = Plan();
    return TurnPipeline::Conclude(plan, Run(plan), state_).end_reason;
  };
  fakes_.npc->reply.outcome = TurnOutcome::kWon;
  EXPECT_EQ(end_reason(), "won");
  fakes_.npc->reply.outcome = TurnOutcome::kContinue;
  state_.max_turns = 3;
  EXPECT_EQ(end_reason(), "max_turns") << "turn 3 of 3";
  state_.max_turns = 4;
  EXPECT_EQ(end_reason(), "");
}

}  // namespace
}  // namespace salesboost::conversation
