// Turns over WebSocket against the real binary: a whole conversation to its
// report, streamed replies, idempotent turn ids, resume in the middle of a
// streamed reply, ending during a turn, limits and validation.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <fstream>

#include "core/read_file.hpp"
#include "support/server_process.hpp"
#include "support/session_client.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using testing::Client;
using testing::CreateSession;
using testing::Deltas;
using testing::Find;
using testing::Type;
using testing::Types;
namespace json = boost::json;

const auto& kScript = testing::kRetailScript;

class TurnE2e : public testing::SharedServerTest<TurnE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "limits.turn_burst=100000",
            "--set", "limits.turn_per_minute=100000",
            "--set", "conversation.npc_delta_interval_ms=20"};
  }

 protected:
  static std::string StartSession(const std::string& token, std::int64_t seed) {
    return CreateSession(server().endpoint(), token, "en", seed);
  }
  static json::value Get(const std::string& target, const std::string& token, int expected_status = 200) {
    auto reply = client::Fetch(server().endpoint(), "GET", target, "", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(reply && reply->status == expected_status) << target << ": " << (reply ? reply->body : "");
    return reply ? json::parse(reply->body) : json::value();
  }
};

TEST_F(TurnE2e, AScriptedConversationIsWonAndReported) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token, 42);
  Client c(server().endpoint(), token);
  ASSERT_TRUE(c);
  c.Join(session_id);
  ASSERT_EQ(Type(c.Next()), "session.ready");

  std::vector<std::string> stages;
  std::vector<json::object> last;
  for (std::size_t i = 0; i < kScript.size(); ++i) {
    const std::string turn_id = "t" + std::to_string(i + 1);
    c.Turn(turn_id, kScript[i]);
    last = c.Until("turn.done");
    ASSERT_FALSE(last.empty());
    ASSERT_EQ(Type(last.back()), "turn.done") << json::serialize(last.back());
    const auto types = Types(last);
    EXPECT_EQ(types.front(), "turn.started");
    EXPECT_EQ(last.front().at("text").as_string(), kScript[i]);
    // The reply streams as deltas that add up to the final text.
    const auto* done = Find(last, "npc.done");
    ASSERT_NE(done, nullptr);
    EXPECT_GT(std::count(types.begin(), types.end(), "npc.delta"), 1);
    EXPECT_EQ(Deltas(last), done->at("text").as_string());
    EXPECT_NE(Find(last, "coach.tip"), nullptr) << "turn " << turn_id;
    const auto* scored = Find(last, "turn.scored");
    ASSERT_NE(scored, nullptr);
    EXPECT_EQ(scored->at("scores").as_object().size(), 7u);
    for (const auto& e : last) {
      if (Type(e) != "session.ready") {
        EXPECT_EQ(e.at("turn_id").as_string(), turn_id);
      }
      if (Type(e) == "stage.changed") stages.emplace_back(e.at("to").as_string());
    }
  }
  // The last turn's close was accepted: the session ends as won, with its report.
  auto closing = c.Until("report.ready");
  ASSERT_EQ(Types(closing), (std::vector<std::string>{"session.ended", "report.ready"}));
  EXPECT_EQ(closing[0].at("reason").as_string(), "won");
  EXPECT_EQ(stages, (std::vector<std::string>{"NEEDS_DISCOVERY", "PRODUCT_INTRO", "OBJECTION_HANDLING", "CLOSING",
                                              "OBJECTION_HANDLING", "CLOSING", "COMPLETED"}));

  const auto report = Get("/api/v1/sessions/" + session_id + "/report", token).as_object();
  EXPECT_EQ(report.at("turns").as_int64(), static_cast<std::int64_t>(kScript.size()));
  EXPECT_EQ(report.at("end_reason").as_string(), "won");
  EXPECT_EQ(report.at("final_stage").as_string(), "COMPLETED");
  EXPECT_EQ(report.at("recommended_next_scenario").at("scenario_id").as_string(), "skeptical-manager");
  EXPECT_EQ(report.at("dimensions").as_object().size(), 7u);
  EXPECT_GE(report.at("overall").as_double(), 7.0) << json::serialize(report.at("dimensions"));
  EXPECT_FALSE(report.at("strengths").as_array().empty());
  EXPECT_TRUE(report.at("violations").as_array().empty());
  EXPECT_EQ(report.at("transcript").as_array().size(), 2 * kScript.size());
  for (const auto& slot : report.at("slots").as_array()) {
    if (slot.at("required").as_bool()) {
      EXPECT_TRUE(slot.at("filled").as_bool()) << json::serialize(slot);
    }
  }
  EXPECT_EQ(report.at("transcript").as_array()[0].at("text").as_string(), kScript[0]);
  EXPECT_EQ(json::serialize(report), json::serialize(closing[1].at("report")));

  // The stored log replays exactly what was streamed.
  const auto session = Get("/api/v1/sessions/" + session_id, token).as_object();
  EXPECT_EQ(session.at("status").as_string(), "ended");
  EXPECT_EQ(session.at("turn_count").as_int64(), static_cast<std::int64_t>(kScript.size()));
  EXPECT_EQ(session.at("last_seq").as_int64(), c.last_seq());
}

TEST_F(TurnE2e, APushyTraineeLosesAndTheReportCitesTheViolation) {
  const std::vector<std::string> script = {
      "Our CRM is the best product on the market.",
      "It is guaranteed and risk-free: you will earn it back 100%!",
      "You must decide right now, this offer is today only!",
  };
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token, 11);
  Client c(server().endpoint(), token);
  c.Join(session_id);
  c.Next();
  std::vector<json::object> flagged;
  std::vector<json::object> closing;
  for (std::size_t i = 0; i < script.size() && closing.empty(); ++i) {
    c.Turn("p" + std::to_string(i), script[i]);
    for (const auto& e : c.Until("turn.done")) {
      if (Type(e) == "compliance.flagged") flagged.push_back(e);
    }
    // The customer may hang up after this turn.
    if (auto next = c.Next(milliseconds(300)); !next.empty()) {
      closing.push_back(next);
      closing.push_back(c.Next());
    }
  }
  ASSERT_EQ(Types(closing), (std::vector<std::string>{"session.ended", "report.ready"}));
  EXPECT_EQ(closing[0].at("reason").as_string(), "lost");
  const auto promise = std::find_if(flagged.begin(), flagged.end(),
                                    [](const json::object& e) { return e.at("rule") == "guaranteed_return"; });
  ASSERT_NE(promise, flagged.end());
  EXPECT_EQ(promise->at("level").as_string(), "BLOCK");
  EXPECT_EQ(promise->at("side").as_string(), "trainee");

  const auto& report = closing[1].at("report").as_object();
  EXPECT_LE(report.at("overall").as_double(), 4.0) << json::serialize(report.at("dimensions"));
  EXPECT_EQ(report.at("final_stage").as_string(), "FAILED");
  int filled_required = 0;
  for (const auto& slot : report.at("slots").as_array()) {
    filled_required += slot.at("required").as_bool() && slot.at("filled").as_bool() ? 1 : 0;
  }
  EXPECT_LT(filled_required, 4) << "a lost pitch leaves required slots empty";
  EXPECT_EQ(report.at("recommended_next_scenario").at("scenario_id").as_string(), "first-call-retail");
  bool cited = false;
  for (const auto& v : report.at("violations").as_array()) {
    cited = cited || (v.at("rule") == "guaranteed_return" && v.at("quote") == script[1].c_str());
  }
  EXPECT_TRUE(cited) << json::serialize(report.at("violations"));
  ASSERT_FALSE(report.at("improvements").as_array().empty());
  EXPECT_FALSE(report.at("improvements").as_array()[0].at("quote").as_string().empty());
}

TEST_F(TurnE2e, ARepeatedTurnIdIsAnsweredOnce) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token, 1);
  Client c(server().endpoint(), token);
  c.Join(session_id);
  c.Next();
  // Sent twice at once: the second attaches to the running turn.
  c.Turn("same", kScript[1]);
  c.Turn("same", kScript[1]);
  const auto first = c.Until("turn.done");
  ASSERT_EQ(Type(first.back()), "turn.done");
  EXPECT_FALSE(c.ws().Read(milliseconds(300))) << "nothing more: the turn ran once";

  // Sent again after the commit with another text: refused, not a replay of the earlier turn.
  c.Turn("same", "a different text under the same turn id");
  const auto refused = c.Next();
  ASSERT_EQ(Type(refused), "error") << json::serialize(refused);
  EXPECT_EQ(refused.at("code").as_string(), "failed_precondition");
  EXPECT_EQ(refused.at("turn_id").as_string(), "same");

  // With its own text: the committed events come again, same seqs.
  c.Turn("same", kScript[1]);
  c.ResetSeq(first.front().at("seq").as_int64() - 1);
  const auto again = c.Until("turn.done");
  ASSERT_EQ(again.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(json::serialize(again[i]), json::serialize(first[i]));

  // From a new connection too: the memory is the store, not the socket.
  Client other(server().endpoint(), token);
  other.Join(session_id, first.back().at("seq").as_int64());
  other.Turn("same", kScript[1]);
  other.ResetSeq(first.front().at("seq").as_int64() - 1);
  EXPECT_EQ(Types(other.Until("turn.done")), Types(first));
  EXPECT_EQ(Get("/api/v1/sessions/" + session_id, token).at("turn_count").as_int64(), 1);
}

TEST_F(TurnE2e, AReconnectInTheMiddleOfAReplyResumesItByteForByte) {
  const auto token = server().DemoTraineeToken();
  // The reference: the same seed and script, uninterrupted.
  const auto reference_id = StartSession(token, 7);
  Client reference(server().endpoint(), token);
  reference.Join(reference_id);
  reference.Next();
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < 4; ++i) {
    reference.Turn("r" + std::to_string(i), kScript[i]);
    expected.push_back(Deltas(reference.Until("turn.done")));
  }

  const auto session_id = StartSession(token, 7);
  std::int64_t last_seq = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    Client c(server().endpoint(), token);
    c.Join(session_id, last_seq);
    if (last_seq == 0) c.Next();
    c.ResetSeq(last_seq == 0 ? 1 : last_seq);
    c.Turn("r" + std::to_string(i), kScript[i]);
    // Read up to the first delta, then drop the connection.
    const std::string seen = c.UntilFirstDelta();
    last_seq = c.last_seq();
    ASSERT_TRUE(c.ws().Close(1000));

    Client resumed(server().endpoint(), token);
    resumed.Join(session_id, last_seq);
    resumed.ResetSeq(last_seq);
    const auto rest = resumed.Until("turn.done");
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.front().at("seq").as_int64(), last_seq + 1) << "the resume starts right after the last seen event";
    EXPECT_EQ(seen + Deltas(rest), expected[i]) << "turn " << i;
    last_seq = resumed.last_seq();
  }
}

TEST_F(TurnE2e, EndingDuringATurnAbortsItThenEnds) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = StartSession(token, 3);
  Client c(server().endpoint(), token);
  c.Join(session_id);
  c.Next();
  c.Turn("long", kScript[1]);
  c.UntilFirstDelta();
  c.Send({{"type", "session.end"}});
  const auto rest = c.Until("report.ready");
  const auto types = Types(rest);
  const auto aborted = std::find(types.begin(), types.end(), "turn.aborted");
  ASSERT_NE(aborted, types.end());
  EXPECT_EQ(rest[aborted - types.begin()].at("reason").as_string(), "session_ended");
  EXPECT_EQ(types[types.size() - 2], "session.ended");
  const auto report = Get("/api/v1/sessions/" + session_id + "/report", token).as_object();
  EXPECT_EQ(report.at("turns").as_int64(), 0);
  EXPECT_EQ(report.at("transcript").as_array().size(), 0u) << "an aborted turn is not part of the transcript";

  c.Turn("after", "Hello?");
  const auto refused = c.Next();
  EXPECT_EQ(Type(refused), "error");
  EXPECT_EQ(refused.at("code").as_string(), "failed_precondition");
}

TEST_F(TurnE2e, BadTurnsGetErrorsAndTheConnectionStays) {
  const auto token = server().DemoTraineeToken();
  Client c(server().endpoint(), token);
  c.Turn("t1", "Hello");
  auto error = c.Next();
  EXPECT_EQ(error.at("code").as_string(), "failed_precondition") << "a turn needs a joined session";
  EXPECT_EQ(error.at("turn_id").as_string(), "t1");

  c.Join(StartSession(token, 5));
  c.Next();
  const std::vector<json::object> bad = {
      {{"type", "turn"}, {"text", "no id"}},
      {{"type", "turn"}, {"turn_id", "t2"}},
      {{"type", "turn"}, {"turn_id", 5}, {"text", "id is a number"}},
      {{"type", "turn"}, {"turn_id", "t3"}, {"text", ""}},
      {{"type", "turn"}, {"turn_id", "t5"}, {"text", " \t\n\u3000\u200b "}},
      {{"type", "turn"}, {"turn_id", std::string(65, 'x')}, {"text", "id too long"}},
      {{"type", "turn"}, {"turn_id", "t4"}, {"text", std::string(4001, 'a')}},
  };
  for (const auto& message : bad) {
    c.Send(message);
    const auto reply = c.Next();
    ASSERT_EQ(Type(reply), "error") << json::serialize(message);
    const auto code = std::string(reply.at("code").as_string());
    EXPECT_TRUE(code == "invalid_message" || code == "invalid_argument") << code;
  }
  c.Send({{"type", "ping"}});
  EXPECT_EQ(Type(c.Next()), "pong");
}

TEST_F(TurnE2e, TheTerminalClientConversesAndShowsTheReport) {
  const auto result = testing::RunCommand(
      {"chat", "--server", "http://127.0.0.1:" + std::to_string(server().port()), "--password-file",
       (server().data_dir() / "demo-trainee.password").string(), "--scenario", "first-call-retail", "--language", "en"},
      {}, {}, kScript[0] + "\n" + kScript[1] + "\n/end\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto intro = result.out.find("You are talking to Li Wei");
  EXPECT_NE(intro, std::string::npos) << result.out;
  // The rubric comes between the intro and the first reply.
  const auto rubric = result.out.find(
      "How you are scored:\n  - Uncover at least two needs before presenting the product (weight 3)\n"
      "    good: Two needs heard, through open questions, before the first feature\n");
  EXPECT_NE(rubric, std::string::npos) << result.out;
  EXPECT_GT(rubric, intro);
  EXPECT_LT(rubric, result.out.find("customer> "));
  EXPECT_NE(result.out.find("customer> Hello. I only have a few minutes, what is this about?"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("coach ["), std::string::npos);
  EXPECT_NE(result.out.find("stage: OPENING -> NEEDS_DISCOVERY"), std::string::npos);
  EXPECT_NE(result.out.find("Report: 2 turns"), std::string::npos) << result.out;

  const auto refused = testing::RunCommand(
      {"chat", "--server", "http://127.0.0.1:" + std::to_string(server().port()), "--scenario", "first-call-retail"},
      {{"SALESBOOST_PASSWORD", "wrong"}});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("401"), std::string::npos) << refused.err;
}

TEST(TurnRecoveryE2e, ATurnCutByACrashIsAbortedAfterTheRestartAndCanBeSentAgain) {
  testing::TempDir data;
  const std::vector<std::string> flags = {"--set", "data.dir=" + data.path().string(), "--set",
                                          "conversation.npc_delta_interval_ms=100"};
  auto first = testing::ServerProcess::Start(flags);
  const auto password = testing::DemoTraineePasswordIn(data.path());
  const auto token = first->Login("trainee", password);
  const auto session_id = CreateSession(first->endpoint(), token, "en");
  ASSERT_FALSE(session_id.empty());
  std::int64_t seen = 0;
  {
    Client c(first->endpoint(), token);
    c.Join(session_id);
    c.Next();
    c.Turn("cut", kScript[1]);
    c.UntilFirstDelta();
    seen = c.last_seq();
    first->Signal(SIGKILL);
    first->WaitExit(milliseconds(5000));
  }

  auto second = testing::ServerProcess::Start(flags);
  const auto token2 = second->Login("trainee", password);
  Client c(second->endpoint(), token2);
  c.Join(session_id, seen);
  c.ResetSeq(seen);
  // The seqs the dead process handed out are not reused: they come back as
  // empty deltas, then the abort.
  const auto recovered = c.Until("turn.aborted");
  ASSERT_EQ(Type(recovered.back()), "turn.aborted");
  EXPECT_EQ(recovered.back().at("turn_id").as_string(), "cut");
  EXPECT_EQ(recovered.back().at("reason").as_string(), "interrupted");
  for (std::size_t i = 0; i + 1 < recovered.size(); ++i) {
    EXPECT_EQ(Type(recovered[i]), "npc.delta");
    EXPECT_EQ(recovered[i].at("text").as_string(), "");
  }
  // The same turn id runs again as a new attempt.
  c.Turn("cut", kScript[1]);
  const auto retried = c.Until("turn.done");
  ASSERT_EQ(Type(retried.back()), "turn.done");
  EXPECT_EQ(Type(retried.front()), "turn.started");
  EXPECT_FALSE(Deltas(retried).empty());
}

TEST(TurnQueueE2e, TurnsQueueInOrderAFullQueueRefusesAndTheTurnLimitEndsTheSession) {
  // A course whose scenario allows two turns, served with room for one waiting turn.
  testing::TempDir dir;
  auto course =
      json::parse(
          core::ReadWholeFile(std::string(SALESBOOST_SOURCE_DIR) + "/data/demo/crm-essentials.json").value_or(""))
          .as_object();
  course["scenarios"].as_array()[0].as_object()["max_turns"] = 2;
  std::ofstream(dir.path() / "short.json") << json::serialize(course);
  const std::string data = "data.dir=" + (dir.path() / "data").string();
  const auto imported = testing::RunCommand({"catalog", "import", (dir.path() / "short.json").string(), "--set", data});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto server = testing::ServerProcess::Start(
      {"--set", data, "--set", "limits.turn_queue=1", "--set", "conversation.npc_delta_interval_ms=50"});
  const auto token = server->Login("trainee", testing::DemoTraineePasswordIn(dir.path() / "data"));
  const auto session_id = CreateSession(server->endpoint(), token, "en");
  ASSERT_FALSE(session_id.empty());
  Client c(server->endpoint(), token);
  c.Join(session_id);
  EXPECT_EQ(c.Next().at("scenario").at("max_turns").as_int64(), 2);

  c.Turn("one", kScript[0]);
  c.Turn("two", kScript[1]);
  c.Turn("three", kScript[2]);
  std::vector<std::string> done;
  json::object full;
  json::object ended;
  for (;;) {
    auto message = c.Next();
    ASSERT_FALSE(message.empty());
    if (Type(message) == "error") full = message;
    if (Type(message) == "turn.done") done.emplace_back(message.at("turn_id").as_string());
    if (Type(message) == "session.ended") ended = message;
    if (Type(message) == "report.ready") break;
  }
  EXPECT_EQ(full.at("code").as_string(), "queue_full");
  EXPECT_EQ(full.at("turn_id").as_string(), "three");
  EXPECT_EQ(done, (std::vector<std::string>{"one", "two"})) << "in arrival order";
  EXPECT_EQ(ended.at("reason").as_string(), "max_turns");
  c.Turn("four", kScript[3]);
  EXPECT_EQ(c.Next().at("code").as_string(), "failed_precondition");
}

class TurnLimitsE2e : public testing::SharedServerTest<TurnLimitsE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "conversation.npc_delta_interval_ms=0", "--set", "limits.turn_max_chars=50"};
  }
};

TEST_F(TurnLimitsE2e, TurnsBeyondTheBurstAreRateLimitedWithARetryTime) {
  const auto token = server().DemoTraineeToken();
  const auto session_id = CreateSession(server().endpoint(), token, "zh");
  ASSERT_FALSE(session_id.empty());
  Client c(server().endpoint(), token);
  c.Join(session_id);
  c.Next();
  for (int i = 1; i <= 3; ++i) c.Turn("t" + std::to_string(i), "您好，我是 Lumen 的小王。");
  c.Turn("t4", "您好？");
  json::object limited;
  int done = 0;
  while (done < 3 || limited.empty()) {
    auto message = c.Next();
    ASSERT_FALSE(message.empty());
    if (Type(message) == "turn.done") ++done;
    if (Type(message) == "error") limited = message;
  }
  EXPECT_EQ(limited.at("code").as_string(), "rate_limited");
  EXPECT_EQ(limited.at("turn_id").as_string(), "t4");
  EXPECT_GT(limited.at("retry_after_ms").as_int64(), 0);
  EXPECT_LE(limited.at("retry_after_ms").as_int64(), 6000);

  c.Turn("t5", std::string(51, 'a'));
  const auto too_long = c.Next();
  EXPECT_EQ(too_long.at("code").as_string(), "invalid_argument");
  EXPECT_NE(too_long.at("message").as_string().find("50"), json::string::npos);
}

}  // namespace
}  // namespace salesboost
