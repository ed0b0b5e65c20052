// The scorecard: each rubric check met, partly or not met on event logs built
// turn by turn; blockers and repeated pressure cap the result; the outcome
// counts; the same events always give the same scorecard; rubrics are
// validated with the path of each problem.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "catalog/rubric.hpp"
#include "conversation/scorecard.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

// Builds a session's event log turn by turn, the way the actor commits it.
class Log {
 public:
  struct Reply {
    std::vector<std::string> revealed;
    std::vector<std::string> raised;
    std::vector<std::string> resolved;
  };

  Log& Turn(std::string text, std::string act, Reply reply = {}, std::vector<ComplianceFinding> findings = {}) {
    const std::string id = "t" + std::to_string(++turns_);
    Add(id, TurnStarted{.text = std::move(text), .turn_index = turns_, .act = std::move(act), .act_confidence = 0.9});
    Add(id, NpcDone{.text = "ok",
                    .intent = {},
                    .revealed = std::move(reply.revealed),
                    .raised = std::move(reply.raised),
                    .resolved = std::move(reply.resolved),
                    .told = {},
                    .buying_signal = false,
                    .engine = "offline"});
    for (auto& finding : findings) Add(id, ComplianceFlagged{.side = "trainee", .finding = std::move(finding)});
    Add(id, TurnDone{.turn_index = turns_, .act = {}, .npc = {}, .coach = {}, .compliance = {}, .evaluator = {}});
    return *this;
  }
  // A turn that was aborted: it must count for nothing.
  Log& Aborted(std::string text, std::string act) {
    const std::string id = "a" + std::to_string(turns_ + 1);
    Add(id, TurnStarted{.text = std::move(text), .turn_index = turns_ + 1, .act = std::move(act), .act_confidence = 1});
    Add(id, TurnAborted{.reason = "deadline"});
    return *this;
  }
  Log& Stage(conversation::Stage to) {
    Add({}, StageChanged{.from = Stage::kOpening, .to = to, .cause = "test"});
    return *this;
  }
  Log& End(std::string reason) {
    Add({}, SessionEnded{.reason = std::move(reason)});
    return *this;
  }
  const std::vector<Event>& events() const { return events_; }

 private:
  void Add(std::string turn_id, EventBody body) {
    events_.push_back(Event{.seq = ++seq_, .turn_id = std::move(turn_id), .body = std::move(body), .created_at = {}});
  }
  std::vector<Event> events_;
  std::int64_t seq_ = 0;
  std::int64_t turns_ = 0;
};

Log::Reply Revealed(std::vector<std::string> ids) { return Log::Reply{std::move(ids), {}, {}}; }
Log::Reply Raised(std::vector<std::string> ids) { return Log::Reply{{}, std::move(ids), {}}; }
Log::Reply Resolved(std::vector<std::string> ids) { return Log::Reply{{}, {}, std::move(ids)}; }

ComplianceFinding Finding(std::string rule, std::string level) {
  return ComplianceFinding{.rule = std::move(rule), .level = std::move(level), .excerpt = {}, .message = "a rule"};
}

// A rubric of one criterion with this check.
catalog::Rubric One(std::string_view check) {
  const auto text = R"({"en": "x", "zh": "x"})";
  const std::string rubric = std::string(R"({"criteria": [{"id": "c", "title": )") + text +
                             R"(, "weight": 1, "skill": "discovery", "levels": {"good": )" + text + R"(, "fair": )" +
                             text + R"(, "poor": )" + text + R"(}, "check": )" + std::string(check) + "}]}";
  const auto value = json::parse(rubric);
  EXPECT_TRUE(catalog::ValidateRubric(value, "rubric").empty()) << rubric;
  return catalog::ReadRubric(value.as_object());
}

std::string ResultOf(std::string_view check, const Log& log) {
  return ScoreSession(One(check), log.events(), "en").criteria.at(0).result;
}

TEST(Scorecard, DiscoveryBeforePitch) {
  const auto check = R"({"kind": "discovery_before_pitch", "min_needs": 1, "min_questions": 2})";
  Log good;
  good.Turn("Hello, this is Anna.", "greeting")
      .Turn("How do you follow up today?", "open_question", Revealed({"follow-up"}))
      .Turn("And what happens to the leads?", "open_question")
      .Turn("Our reminders fix that.", "value_statement");
  EXPECT_EQ(ResultOf(check, good), "met");
  const auto card = ScoreSession(One(check), good.events(), "en");
  EXPECT_EQ(card.criteria[0].quote, "Our reminders fix that.") << "the first presentation decided it";
  Log early;
  early.Turn("Do you use Excel?", "closed_question").Turn("Our CRM is great.", "value_statement");
  EXPECT_EQ(ResultOf(check, early), "partly");
  Log closing;
  closing.Turn("Hello, this is Anna.", "greeting").Turn("Shall we sign today?", "close");
  EXPECT_EQ(ResultOf(check, closing), "not_met") << "a close is no discovery question";
  Log pitch;
  pitch.Turn("Hello, this is Anna.", "greeting").Turn("Our CRM is great.", "value_statement");
  EXPECT_EQ(ResultOf(check, pitch), "not_met") << "a greeting is no question";
}

TEST(Scorecard, NeedsUncovered) {
  const auto check = R"({"kind": "needs_uncovered", "ids": ["adoption"], "min": 1})";
  Log told;
  told.Turn("Why did the last CRM fail?", "open_question", Revealed({"adoption"}));
  EXPECT_EQ(ResultOf(check, told), "met");
  Log other;
  other.Turn("How do you forecast?", "open_question", Revealed({"pipeline"}));
  EXPECT_EQ(ResultOf(check, other), "partly");
  EXPECT_EQ(ResultOf(check, Log().Turn("Hi", "greeting")), "not_met");
}

TEST(Scorecard, StatesEveryGroupAndABreachStatesNothing) {
  const auto check = R"({"kind": "states", "groups": [["1200", "一千二"], ["waive", "六万"]]})";
  Log both;
  both.Turn("年费1200元。", "value_statement").Turn("一年消费满六万免下一年。", "value_statement");
  EXPECT_EQ(ResultOf(check, both), "met");
  const auto card = ScoreSession(One(check), both.events(), "zh");
  EXPECT_EQ(card.criteria[0].quote, "一年消费满六万免下一年。") << "the turn that completed it";
  Log half;
  half.Turn("The fee is 1200 yuan.", "value_statement");
  EXPECT_EQ(ResultOf(check, half), "partly");
  Log breach;
  breach.Turn("1200 a year, waived, guaranteed returns!", "compliance_risk", {},
              {Finding("guaranteed_return", "BLOCK")});
  EXPECT_EQ(ResultOf(check, breach), "not_met");
}

TEST(Scorecard, ObjectionsAnsweredWithoutAConcession) {
  const auto check = R"({"kind": "objections_answered", "ids": ["price"], "avoid": ["discount"]})";
  Log value;
  value.Turn("It is 99 a month.", "value_statement", Raised({"price"}))
      .Turn("Stores pay it back in three months.", "objection_handling", Resolved({"price"}));
  EXPECT_EQ(ResultOf(check, value), "met");
  Log discount;
  discount.Turn("It is 99 a month.", "value_statement", Raised({"price"}))
      .Turn("I can give you a discount, it pays back fast.", "objection_handling", Resolved({"price"}));
  EXPECT_EQ(ResultOf(check, discount), "partly");
  Log open;
  open.Turn("It is 99 a month.", "value_statement", Raised({"price"})).Turn("It is cheap.", "value_statement");
  EXPECT_EQ(ResultOf(check, open), "not_met");
  // Never raised: met only when the session got to the close.
  EXPECT_EQ(ResultOf(check, Log().Turn("Hi", "greeting")), "partly");
  EXPECT_EQ(ResultOf(check, Log().Turn("Hi", "greeting").Stage(Stage::kClosing)), "met");
}

TEST(Scorecard, EvidenceAfterANeed) {
  const auto check = R"({"kind": "evidence", "phrases": ["case", "案例"]})";
  Log after;
  after.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("One case: a chain of five stores doubled follow-ups.", "evidence");
  EXPECT_EQ(ResultOf(check, after), "met");
  EXPECT_EQ(ResultOf(check, Log().Turn("One case: a chain of five stores.", "evidence")), "partly");
  EXPECT_EQ(ResultOf(check, Log().Turn("We are good.", "value_statement")), "not_met");
}

TEST(Scorecard, NextStepNamedOnceTheNeedIsClear) {
  const auto check = R"({"kind": "next_step", "phrases": ["trial", "试用"]})";
  Log good;
  good.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("Shall we start a trial in one store?", "trial_close");
  EXPECT_EQ(ResultOf(check, good), "met");
  Log vague;
  vague.Turn("How do you follow up?", "open_question", Revealed({"follow-up"})).Turn("Shall we sign?", "close");
  EXPECT_EQ(ResultOf(check, vague), "partly");
  EXPECT_EQ(ResultOf(check, Log().Turn("Sign the trial now.", "close")), "partly") << "before any need";
  Log mention;
  mention.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("A trial is possible later, no rush.", "value_statement");
  EXPECT_EQ(ResultOf(check, mention), "not_met") << "naming the step is not asking for it";
  Log asked;
  asked.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("Would a trial in one store work for you?", "closed_question");
  EXPECT_EQ(ResultOf(check, asked), "met") << "a question that names the step asks for it";
  Log pushed;
  pushed.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("Sign the trial now or never!", "compliance_risk", {}, {Finding("false_urgency", "WARN")});
  EXPECT_EQ(ResultOf(check, pushed), "not_met") << "pressure is no next step";
}

TEST(Scorecard, AvoidsAndConduct) {
  const auto avoids = R"({"kind": "avoids", "rules": ["disparage_competitor"]})";
  EXPECT_EQ(ResultOf(avoids, Log().Turn("We compare well.", "value_statement")), "met");
  EXPECT_EQ(ResultOf(avoids, Log().Turn("Their bank is a scam.", "compliance_risk", {},
                                        {Finding("disparage_competitor", "WARN")})),
            "not_met");
  const auto conduct = R"({"kind": "conduct"})";
  EXPECT_EQ(ResultOf(conduct, Log().Turn("Hello.", "greeting")), "met");
  EXPECT_EQ(ResultOf(conduct, Log().Turn("Call 13812345678.", "off_topic", {}, {Finding("personal_data", "WARN")})),
            "partly");
  EXPECT_EQ(ResultOf(conduct, Log().Turn("Hurry up!", "compliance_risk", {}, {Finding("pressure", "WARN")})),
            "not_met");
}

TEST(Scorecard, BlockersAndRepeatedPressureCapTheResult) {
  const auto check = R"({"kind": "conduct"})";
  Log blocked;
  blocked.Turn("How do you follow up?", "open_question", Revealed({"follow-up"}))
      .Turn("Send me your ID number.", "compliance_risk", {}, {Finding("personal_data_request", "BLOCK")})
      .End("won")
      .Stage(Stage::kCompleted);
  const auto card = ScoreSession(One(check), blocked.events(), "en");
  ASSERT_EQ(card.blockers.size(), 1U);
  EXPECT_EQ(card.blockers[0].rule, "personal_data_request");
  EXPECT_EQ(card.blockers[0].quote, "Send me your ID number.");
  ASSERT_TRUE(card.overall);
  EXPECT_LE(*card.overall, 3.0) << "won, but a blocker caps it";

  Log pressed;
  pressed.Turn("Hurry up!", "compliance_risk", {}, {Finding("pressure", "WARN")})
      .Turn("Today only!", "compliance_risk", {}, {Finding("false_urgency", "WARN")})
      .Stage(Stage::kCompleted)
      .End("won");
  const auto pressure = ScoreSession(One(R"({"kind": "needs_uncovered"})"), pressed.events(), "en");
  EXPECT_EQ(pressure.pressure_turns, 2);
  ASSERT_TRUE(pressure.overall);
  EXPECT_LE(*pressure.overall, 5.0);
}

TEST(Scorecard, OverallComesFromTheScorecardAndTheOutcome) {
  const auto check = R"({"kind": "conduct"})";
  Log won;
  won.Turn("Hello.", "greeting").Stage(Stage::kCompleted).End("won");
  Log lost;
  lost.Turn("Hello.", "greeting").Stage(Stage::kProductIntro).End("lost");
  const auto a = ScoreSession(One(check), won.events(), "en");
  const auto b = ScoreSession(One(check), lost.events(), "en");
  EXPECT_EQ(a.outcome.result, "won");
  EXPECT_DOUBLE_EQ(*a.overall, 10.0);  // every criterion met, and won
  EXPECT_EQ(b.outcome.stage_reached, Stage::kProductIntro);
  EXPECT_DOUBLE_EQ(b.outcome.score, 1.0);  // the presentation (4) less three for walking away
  EXPECT_DOUBLE_EQ(*b.overall, 7.8);       // 0.75 * 10 + 0.25 * 1, rounded
  EXPECT_FALSE(ScoreSession(One(check), Log().End("trainee").events(), "en").overall) << "no turn, no score";
}

TEST(Scorecard, AbortedTurnsCountForNothingAndTheSameEventsScoreTheSame) {
  const auto check = R"({"kind": "discovery_before_pitch", "min_needs": 1, "min_questions": 1})";
  Log log;
  log.Aborted("Our CRM is great.", "value_statement")
      .Turn("How do you follow up?", "open_question", Revealed({"follow-up"}));
  EXPECT_EQ(ResultOf(check, log), "met") << "the aborted pitch never happened";
  const auto rubric = catalog::RubricOf(json::object{});  // the generic rubric
  EXPECT_EQ(json::serialize(ScorecardJson(ScoreSession(rubric, log.events(), "zh"))),
            json::serialize(ScorecardJson(ScoreSession(rubric, log.events(), "zh"))));
}

TEST(Rubric, ValidationNamesEveryProblemWithItsPath) {
  const auto errors = catalog::ValidateRubric(json::parse(R"({"criteria": [
      {"id": "a", "title": {"en": "A"}, "weight": 0, "skill": "magic",
       "levels": {"good": {"en": "g", "zh": "g"}}, "check": {"kind": "states"}},
      {"id": "a", "title": {"en": "A", "zh": "A"}, "weight": 1, "skill": "closing",
       "levels": {"good": {"en": "g", "zh": "g"}, "fair": {"en": "f", "zh": "f"}, "poor": {"en": "p", "zh": "p"}},
       "check": {"kind": "telepathy"}},
      {"id": "b", "title": {"en": "B", "zh": "B"}, "weight": 1, "skill": "discovery",
       "levels": {"good": {"en": "g", "zh": "g"}, "fair": {"en": "f", "zh": "f"}, "poor": {"en": "p", "zh": "p"}},
       "check": {"kind": "needs_uncovered", "ids": ["x"], "min": 2}}], "blocker_cap": 11, "extra": 1})"),
                                              "rubric");
  const auto has = [&](std::string_view path) {
    return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.starts_with(path); });
  };
  EXPECT_TRUE(has("rubric.criteria[0].title.zh"));
  EXPECT_TRUE(has("rubric.criteria[0].weight"));
  EXPECT_TRUE(has("rubric.criteria[0].skill"));
  EXPECT_TRUE(has("rubric.criteria[0].levels.fair"));
  EXPECT_TRUE(has("rubric.criteria[0].check.groups"));
  EXPECT_TRUE(has("rubric.criteria[1].id"));
  EXPECT_TRUE(has("rubric.criteria[1].check.kind"));
  EXPECT_TRUE(has("rubric.criteria[2].check.min"));
  EXPECT_TRUE(has("rubric.blocker_cap"));
  EXPECT_TRUE(has("rubric.extra"));
  EXPECT_TRUE(catalog::ValidateRubric(json::value(catalog::DefaultRubricJson()), "rubric").empty());
}

}  // namespace
}  // namespace salesboost::conversation
