// The customer speaking through LLM providers, end to end: the real binary
// configured with two providers served by tools/mock-llm, a real WebSocket
// client. Streaming, fallback before and after the first token, the
// compliance guard, circuit breakers through their states, resume after a
// withdrawn reply, and cancellation of the upstream call.
#include <gtest/gtest.h>

#include <thread>

#include "support/server_process.hpp"
#include "support/session_client.hpp"

namespace salesboost {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::CreateSession;
using testing::Deltas;
using testing::Find;
using testing::MockLlmProcess;
using testing::ServerProcess;
using testing::Type;
using testing::Types;
namespace json = boost::json;

const std::string kPrimaryReply = "Hmm, and what would that cost me for three stores?";
const std::string kBackupReply = "Tell me more, but keep it short please.";

const std::string kTip =
    R"({"type": "suggestion", "technique": "SPIN", "text": "Ask about his follow-up today.", "example": "How do you follow up now?"})";
const std::string kScores =
    R"({"scores": {"integrity": 9, "relevance": 8, "correctness": 7, "logic": 6, "persuasiveness": 5, "empathy": 4},
        "reasons": {"integrity": "a", "relevance": "b", "correctness": "c", "logic": "d", "persuasiveness": "e",
                    "empathy": "f"}})";

std::string Joined(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types) out += t + " ";
  return out;
}

class LlmE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      Start();
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void Start() {
    primary_ = MockLlmProcess::Start(Behaviour(kPrimaryReply));
    backup_ = MockLlmProcess::Start(Behaviour(kBackupReply));
    judge_ = MockLlmProcess::Start(JudgeBehaviour(kTip, kScores));
    server_ = ServerProcess::Start({"--set", "providers.primary.base_url=" + primary_->BaseUrl(),
                                    "--set", "providers.primary.model=mock-chat",
                                    "--set", "providers.backup.base_url=" + backup_->BaseUrl(),
                                    "--set", "providers.backup.model=mock-chat",
                                    "--set", "providers.judge.base_url=" + judge_->BaseUrl(),
                                    "--set", "providers.judge.model=mock-judge",
                                    "--set", "llm.npc=primary,backup",
                                    "--set", "llm.coach=judge",
                                    "--set", "llm.evaluator=judge",
                                    "--set", "llm.retry_max_attempts=1",
                                    "--set", "llm.breaker_window=4",
                                    "--set", "llm.breaker_minimum_calls=2",
                                    "--set", "llm.breaker_open_ms=1500",
                                    "--set", "llm.breaker_half_open_calls=1",
                                    "--set", "limits.turn_burst=100"});
  }
  static void TearDownTestSuite() {
    server_.reset();
    primary_.reset();
    backup_.reset();
    judge_.reset();
  }
  // The coach's and the evaluator's prompts are told apart by their first words.
  // A reply to "answer again" gets `retry`.
  static std::string JudgeBehaviour(const std::string& tip, const std::string& scores,
                                    const std::string& retry = kScores) {
    return json::serialize(
        json::object{{"ttft_ms", 5},
                     {"tokens_per_second", 0},
                     {"rules", json::array{json::object{{"contains", "That answer cannot be used"}, {"reply", retry}},
                                           json::object{{"contains", "You coach a salesperson"}, {"reply", tip}},
                                           json::object{{"contains", "You score one message"}, {"reply", scores}}}}});
  }
  static std::string Behaviour(const std::string& reply) {
    return json::serialize(json::object{{"ttft_ms", 20}, {"tokens_per_second", 200}, {"reply", reply}});
  }

  void SetUp() override {
    ASSERT_TRUE(server_) << "the servers did not start: " << start_error_;
    token_ = server_->DemoTraineeToken();
    ASSERT_FALSE(token_.empty());
    session_ = CreateSession(server_->endpoint(), token_, "en");
    client_ = std::make_unique<Client>(server_->endpoint(), token_);
    ASSERT_TRUE(*client_);
    client_->Join(session_);
    ASSERT_EQ(Type(client_->Next()), "session.ready");
  }

  std::vector<json::object> Turn(const std::string& turn_id, const std::string& text) {
    client_->Turn(turn_id, text);
    return client_->Until("turn.done");
  }

  std::string Metrics() const {
    auto reply = client::Fetch(server_->endpoint(), "GET", "/metrics");
    return reply ? reply->body : std::string();
  }
  double Metric(const std::string& series) const { return testing::MetricValue(Metrics(), series).value_or(-1); }

  static inline std::unique_ptr<MockLlmProcess> primary_;
  static inline std::unique_ptr<MockLlmProcess> backup_;
  static inline std::unique_ptr<MockLlmProcess> judge_;
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string start_error_;
  std::string token_;
  std::string session_;
  std::unique_ptr<Client> client_;
};

TEST_F(LlmE2e, TheProvidersReplyStreamsAsDeltasWithAStablePromptPrefix) {
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr) << Joined(Types(events));
  EXPECT_EQ(done->at("engine"), "primary");
  EXPECT_EQ(done->at("text").as_string(), kPrimaryReply);
  EXPECT_EQ(Deltas(events), kPrimaryReply);
  const auto types = Types(events);
  EXPECT_GE(std::count(types.begin(), types.end(), "npc.delta"), 5) << "streamed, not whole";
  EXPECT_FALSE(done->at("intent").as_string().empty()) << "classified from the worded reply";
  const auto first = primary_->Stats().at("last_chat_request").as_object();
  const auto& first_messages = first.at("messages").as_array();
  EXPECT_NE(json::serialize(first_messages.front()).find("Li Wei"), std::string::npos)
      << "the persona is in the prompt";

  events = Turn("t2", "How do you follow up with customers who visit your stores today?");
  ASSERT_NE(Find(events, "npc.done"), nullptr);
  const auto second = primary_->Stats().at("last_chat_request").as_object();
  const auto& second_messages = second.at("messages").as_array();
  // Turn 2 begins with turn 1's bytes up to its trainee line, then turn 1's reply.
  ASSERT_GE(second_messages.size(), 4U);
  EXPECT_EQ(second_messages[0], first_messages[0]);
  EXPECT_EQ(second_messages[1], first_messages[1]);
  EXPECT_EQ(second_messages[2].at("role"), "assistant");
  EXPECT_EQ(second_messages[2].at("content").as_string(), kPrimaryReply);
  EXPECT_GT(Metric("salesboost_llm_calls_total{provider=\"primary\",outcome=\"ok\"}"), 1.5);
  EXPECT_GT(Metric("salesboost_llm_tokens_total{provider=\"primary\",kind=\"completion\"}"), 10);
}

TEST_F(LlmE2e, AFailureBeforeTheFirstTokenIsAnsweredByTheNextProvider) {
  primary_->Configure(R"({"faults": [{"kind": "status", "status": 503}]})");
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->at("engine"), "backup");
  EXPECT_EQ(done->at("text").as_string(), kBackupReply);
  EXPECT_EQ(Find(events, "npc.reset"), nullptr) << "nothing had been streamed";
  EXPECT_EQ(Deltas(events), kBackupReply);
  EXPECT_EQ(Metric("salesboost_llm_fallbacks_total{agent=\"npc\",from=\"primary\",reason=\"unavailable\"}"), 1);
  const auto* done_turn = Find(events, "turn.done");
  ASSERT_NE(done_turn, nullptr);
  EXPECT_EQ(done_turn->at("parts").at("npc").at("engine"), "backup");
  EXPECT_EQ(done_turn->at("parts").at("coach").at("ok"), true);
}

TEST_F(LlmE2e, AMidStreamFailureIsWithdrawnAndReplayedExactlyOnResume) {
  primary_->Configure(R"({"faults": [{"kind": "disconnect", "after_tokens": 3}]})");
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  const auto types = Types(events);
  const auto reset = std::find(types.begin(), types.end(), "npc.reset");
  ASSERT_NE(reset, types.end()) << Joined(types);
  EXPECT_EQ(std::count(types.begin(), reset, "npc.delta"), 3) << "three pieces had reached the trainee";
  EXPECT_EQ(events[static_cast<std::size_t>(reset - types.begin())].at("reason"), "provider_failed");
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->at("engine"), "backup");
  EXPECT_EQ(Deltas(events), kBackupReply) << "no text lost or duplicated after the reset";
  EXPECT_EQ(done->at("text").as_string(), kBackupReply);

  // A second client resuming from the start sees the same events, reset included.
  Client again(server_->endpoint(), token_);
  again.Join(session_, 0);
  std::vector<json::object> replay;
  while (replay.size() < events.size()) {
    auto e = again.Next();
    ASSERT_FALSE(e.empty());
    if (e.contains("seq") && e.at("seq").as_int64() >= events.front().at("seq").as_int64()) replay.push_back(e);
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(replay[i].at("seq"), events[i].at("seq"));
    EXPECT_EQ(replay[i].at("type"), events[i].at("type"));
    if (Type(events[i]) == "npc.delta") {
      EXPECT_EQ(replay[i].at("text"), events[i].at("text"));
    }
  }
}

TEST_F(LlmE2e, TheComplianceGuardNeverLetsABlockedReplyThrough) {
  primary_->Configure(R"({"reply": "Fine. Your salesperson said this is a guaranteed return of 20 percent, right?"})");
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  const auto* reset = Find(events, "npc.reset");
  ASSERT_NE(reset, nullptr);
  EXPECT_EQ(reset->at("reason"), "compliance");
  std::string everything;
  for (const auto& e : events) {
    if (Type(e) == "npc.delta") everything += e.at("text").as_string();
  }
  EXPECT_EQ(everything.find("guaranteed return"), std::string::npos) << everything;
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->at("engine"), "backup");
  EXPECT_EQ(Metric("salesboost_llm_fallbacks_total{agent=\"npc\",from=\"primary\",reason=\"compliance\"}"), 1);
}

TEST_F(LlmE2e, BreakersOpenWhenProvidersFailThenOfflineAnswersAndAProbeClosesThem) {
  primary_->Configure(R"({"faults": [{"kind": "status", "status": 500, "count": 1000}]})");
  backup_->Configure(R"({"faults": [{"kind": "rate_limit", "retry_after_s": 30, "count": 1000}]})");
  for (int i = 1; i <= 3; ++i) {
    auto events = Turn("t" + std::to_string(i), "Hello Mr Li, this is Anna from Lumen.");
    const auto* done = Find(events, "npc.done");
    ASSERT_NE(done, nullptr) << "the turn is still answered";
    EXPECT_EQ(done->at("engine"), "offline");
    EXPECT_EQ(Deltas(events), std::string(done->at("text").as_string()));
  }
  EXPECT_EQ(Metric("salesboost_llm_breaker_state{provider=\"primary\"}"), 1);
  EXPECT_EQ(Metric("salesboost_llm_breaker_state{provider=\"backup\"}"), 1);
  EXPECT_EQ(primary_->Counter("chat_requests"), 2) << "the open breaker refused the third call";
  EXPECT_GE(Metric("salesboost_llm_calls_total{provider=\"primary\",outcome=\"rejected\"}"), 1);
  auto ready = client::Fetch(server_->endpoint(), "GET", "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << "the offline engine still answers";
  EXPECT_NE(ready->body.find("primary open"), std::string::npos) << ready->body;

  primary_->Configure(Behaviour(kPrimaryReply), true);
  std::this_thread::sleep_for(1600ms);  // llm.breaker_open_ms
  auto events = Turn("t4", "How do you follow up with customers who visit your stores today?");
  const auto* done = Find(events, "npc.done");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->at("engine"), "primary") << "the half-open probe succeeded";
  EXPECT_EQ(Metric("salesboost_llm_breaker_state{provider=\"primary\"}"), 0);
  EXPECT_EQ(Metric("salesboost_llm_breaker_transitions_total{provider=\"primary\",to=\"half_open\"}"), 1);
  EXPECT_EQ(Metric("salesboost_llm_breaker_transitions_total{provider=\"primary\",to=\"closed\"}"), 1);
}

TEST_F(LlmE2e, EndingTheSessionMidReplyCancelsTheUpstreamCall) {
  primary_->Configure(R"({"tokens_per_second": 4})");
  client_->Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  client_->UntilFirstDelta();
  client_->Send({{"type", "session.end"}});
  auto events = client_->Until("report.ready");
  EXPECT_NE(Find(events, "turn.aborted"), nullptr);
  for (int i = 0; i < 200 && primary_->Counter("chat_cancelled") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(primary_->Counter("chat_cancelled"), 1);
  EXPECT_EQ(primary_->Counter("chat_completed"), 0);
  EXPECT_EQ(backup_->Counter("chat_requests"), 0) << "a cancelled turn does not fall back";
}

TEST_F(LlmE2e, CoachAndEvaluatorAnswerAsValidatedJson) {
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  const auto* tip = Find(events, "coach.tip");
  ASSERT_NE(tip, nullptr);
  EXPECT_EQ(tip->at("technique"), "SPIN");
  EXPECT_EQ(tip->at("text"), "Ask about his follow-up today.");
  const auto* scored = Find(events, "turn.scored");
  ASSERT_NE(scored, nullptr);
  EXPECT_EQ(scored->at("scores").at("integrity").to_number<double>(), 9);
  EXPECT_EQ(scored->at("scores").at("empathy").to_number<double>(), 4);
  EXPECT_TRUE(scored->at("scores").as_object().contains("compliance")) << "still from the compliance check";
  const auto last = judge_->Stats().at("last_chat_request").as_object();
  EXPECT_EQ(last.at("response_format").at("type"), "json_object");
}

TEST_F(LlmE2e, JsonIsRepairedOrAskedForAgainOnceThenTheOfflineJudgesAnswer) {
  // The tip wrapped in a code fence and prose is repaired; the scores miss a
  // dimension, so they are asked for again and the second answer is used.
  const std::string fenced = "Here you go:\n```json\n" + kTip + "\n```";
  judge_->Configure(JudgeBehaviour(fenced, R"({"scores": {"integrity": 9}, "reasons": {"integrity": "a"}})"), true);
  auto events = Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  ASSERT_NE(Find(events, "coach.tip"), nullptr);
  EXPECT_EQ(Find(events, "coach.tip")->at("technique"), "SPIN");
  ASSERT_NE(Find(events, "turn.scored"), nullptr);
  EXPECT_EQ(Find(events, "turn.scored")->at("scores").at("empathy").to_number<double>(), 4);
  EXPECT_EQ(judge_->Counter("chat_requests"), 3) << "one for the tip, two for the scores";

  // Nothing usable: the offline coach and the heuristic evaluator answer.
  judge_->Configure(JudgeBehaviour("no json here", "{\"scores\": 3}", "still no json"), true);
  events = Turn("t2", "How do you follow up with customers who visit your stores today?");
  const auto* tip = Find(events, "coach.tip");
  ASSERT_NE(tip, nullptr);
  EXPECT_NE(tip->at("text"), "Ask about his follow-up today.");
  EXPECT_FALSE(tip->at("text").as_string().empty());
  ASSERT_NE(Find(events, "turn.scored"), nullptr);
  EXPECT_EQ(Find(events, "turn.scored")->at("scores").as_object().size(), 7U);
  EXPECT_EQ(Metric("salesboost_llm_fallbacks_total{agent=\"coach\",from=\"judge\",reason=\"invalid_output\"}"), 1);
  EXPECT_EQ(Metric("salesboost_llm_fallbacks_total{agent=\"evaluator\",from=\"judge\",reason=\"invalid_output\"}"), 1);
}

// Each part has its own deadline: a provider slower than the coach's share of
// it is cut, the offline coach answers, and the turn is not held up.
class LlmDeadlineE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    judge_ = MockLlmProcess::Start(R"({"ttft_ms": 5000, "reply": "{}"})");
    server_ = ServerProcess::Start({"--set", "providers.judge.base_url=" + judge_->BaseUrl(), "--set",
                                    "providers.judge.model=m", "--set", "llm.coach=judge", "--set",
                                    "conversation.part_deadline_ms=1200"});
  }
  std::unique_ptr<MockLlmProcess> judge_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(LlmDeadlineE2e, ASlowProviderIsCutAtItsShareOfThePartDeadline) {
  const auto token = server_->DemoTraineeToken();
  const auto session = CreateSession(server_->endpoint(), token, "en");
  Client client(server_->endpoint(), token);
  client.Join(session);
  ASSERT_EQ(Type(client.Next()), "session.ready");
  const auto start = std::chrono::steady_clock::now();
  client.Turn("t1", "Hello Mr Li, this is Anna from Lumen.");
  auto events = client.Until("turn.done");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_NE(Find(events, "coach.tip"), nullptr) << "the offline coach answered";
  EXPECT_FALSE(Find(events, "coach.tip")->at("text").as_string().empty());
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000)) << "not held up by the 5 s provider";
  EXPECT_EQ(Find(events, "turn.done")->at("parts").at("coach").at("ok"), true);
  for (int i = 0; i < 100 && judge_->Counter("chat_cancelled") == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(judge_->Counter("chat_cancelled"), 1) << "the cut call was closed upstream";
}

}  // namespace
}  // namespace salesboost
