// tools/salesboost-load against the real binary: idle connections from
// several source addresses, a closed-loop and an open-loop conversation with
// session rotation, the LLM mode's overhead on the provider's first token,
// and the errors it must report clearly.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "support/server_process.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;
using testing::MockLlmProcess;
using testing::RunProgram;
using testing::ServerProcess;
using testing::TempDir;

json::object RunLoad(std::vector<std::string> args, int expected_exit = 0) {
  TempDir dir;
  const auto report = (dir.path() / "report.json").string();
  args.insert(args.end(), {"--json", report});
  const auto result = RunProgram(LOAD_BINARY_PATH, args);
  EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
  std::ifstream file(report);
  std::stringstream text;
  text << file.rdbuf();
  if (text.str().empty()) return {};
  return json::parse(text.str()).as_object();
}

std::vector<std::string> Target(const ServerProcess& server) {
  return {"--port",          std::to_string(server.port()),
          "--password-file", (server.data_dir() / "demo-trainee.password").string(),
          "--pid",           std::to_string(server.pid())};
}

double Number(const json::value& v) { return v.to_number<double>(); }

TEST(LoadE2e, IdleConnectionsFromSeveralSourceAddresses) {
  auto server = ServerProcess::Start();
  auto args = Target(*server);
  // Two client threads: each holds its share, and the report merges them.
  args.insert(args.end(), {"--idle", "-n", "60", "--hold", "1", "--sources", "127.0.0.1-127.0.0.3", "--threads", "2"});
  const auto report = RunLoad(args);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("connected").as_int64(), 60);
  EXPECT_EQ(report.at("sources_used").as_int64(), 3);  // the sockets really were bound to three addresses
  EXPECT_EQ(report.at("errors").as_int64(), 0);
  const auto& idle = report.at("idle").as_object();
  EXPECT_GT(idle.at("rss_before_kib").as_int64(), 0);
  EXPECT_GT(idle.at("rss_held_kib").as_int64(), 0);
  EXPECT_EQ(idle.at("dropped_while_held").as_int64(), 0);
  EXPECT_GT(Number(report.at("connects_per_second")), 0);
}

TEST(LoadE2e, ConversationsClosedLoopThenAtARate) {
  auto server = ServerProcess::Start({"--set", "conversation.npc_delta_interval_ms=0", "--set",
                                      "limits.turn_per_minute=1000000", "--set", "limits.turn_burst=1000000"});
  auto args = Target(*server);
  args.insert(args.end(), {"-n", "4", "--rate", "0,10", "--step-seconds", "4", "--step-warmup", "1",
                           "--turns-per-session", "3", "--threads", "2"});
  const auto report = RunLoad(args);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("errors").as_int64(), 0);
  EXPECT_GT(report.at("sessions_started").as_int64(), 4);  // sessions were ended and new ones started
  const auto& steps = report.at("steps").as_array();
  ASSERT_EQ(steps.size(), 2U);
  const auto& closed = steps[0].as_object();
  EXPECT_GT(closed.at("turns").as_int64(), 0);
  const auto& done = closed.at("done_ms").as_object();
  EXPECT_GT(Number(done.at("p50")), 0);
  EXPECT_LE(Number(closed.at("first_delta_ms").at("p50")), Number(done.at("p50")));
  EXPECT_GE(Number(closed.at("server_cpu_percent")), 0);
  // Open loop at 10 turns/s over a 3 s window: the schedule caps it near 30.
  const auto& paced = steps[1].as_object();
  EXPECT_EQ(Number(paced.at("target_turns_per_second")), 10);
  EXPECT_GE(paced.at("turns").as_int64(), 10);
  EXPECT_LE(paced.at("turns").as_int64(), 34);
  // The server saw the sessions: every one the generator started is listed for the trainee.
  const auto token = server->DemoTraineeToken();
  auto listed = client::Fetch(server->endpoint(), "GET", "/api/v1/sessions?page_size=1", {},
                              {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(json::parse(listed->body).at("total").as_int64(), report.at("sessions_started").as_int64());
}

TEST(LoadE2e, OverheadOnTheProvidersFirstToken) {
  auto mock = MockLlmProcess::Start(R"({"ttft_ms": 40, "tokens_per_second": 200, "reply": "Tell me more."})");
  auto server = ServerProcess::Start({"--set", "providers.mock.base_url=" + mock->BaseUrl(), "--set",
                                      "providers.mock.model=mock", "--set", "llm.npc=mock", "--set",
                                      "limits.turn_per_minute=1000000", "--set", "limits.turn_burst=1000000"});
  auto args = Target(*server);
  args.insert(args.end(), {"-n", "2", "--rate", "0", "--step-seconds", "3", "--step-warmup", "0.5",
                           "--provider-ttft-ms", "40", "--mock-port", std::to_string(mock->port())});
  const auto report = RunLoad(args);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.at("errors").as_int64(), 0);
  const auto& step = report.at("steps").as_array().at(0).as_object();
  ASSERT_GT(step.at("turns").as_int64(), 0);
  // Nothing reaches the trainee before the provider's first token.
  EXPECT_GE(Number(step.at("first_delta_ms").at("p50")), 40);
  const auto& overhead = step.at("ttft_overhead_ms").as_object();
  EXPECT_GE(Number(overhead.at("p50")), 0);
  EXPECT_DOUBLE_EQ(Number(overhead.at("p50")) + 40, Number(step.at("first_delta_ms").at("p50")));
  EXPECT_GE(Number(report.at("provider_measured_ttft_ms").at("p50")), 40);
  EXPECT_GT(mock->Counter("chat_requests"), 0);
}

TEST(LoadE2e, ServerRefusalsAreCountedByKind) {
  // The default per-user turn limits refuse a closed loop quickly.
  auto server = ServerProcess::Start({"--set", "limits.turn_per_minute=60", "--set", "limits.turn_burst=2"});
  auto args = Target(*server);
  args.insert(args.end(), {"-n", "2", "--rate", "0", "--step-seconds", "2", "--step-warmup", "0"});
  const auto report = RunLoad(args, 1);
  ASSERT_FALSE(report.empty());
  const auto& errors = report.at("steps").as_array().at(0).at("errors").as_object();
  ASSERT_TRUE(errors.contains("server rate_limited")) << json::serialize(errors);
  EXPECT_GT(errors.at("server rate_limited").as_int64(), 0);
  EXPECT_LT(errors.at("server rate_limited").as_int64(), 60);  // paced after each refusal, not spinning
  EXPECT_EQ(report.at("errors").as_int64(), errors.at("server rate_limited").as_int64());
}

TEST(LoadE2e, ClearErrors) {
  auto server = ServerProcess::Start();
  const auto wrong = RunProgram(LOAD_BINARY_PATH, {"--port", std::to_string(server->port()), "--password", "wrong"});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("login: status 401"), std::string::npos) << wrong.err;
  const auto too_many =
      RunProgram(LOAD_BINARY_PATH, {"--port", std::to_string(server->port()), "--idle", "-n", "5000000"});
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_NE(too_many.err.find("the open-files limit is"), std::string::npos) << too_many.err;
  const auto negative_rate =
      RunProgram(LOAD_BINARY_PATH, {"--port", std::to_string(server->port()), "--rate", "100,-5"});
  EXPECT_NE(negative_rate.exit_code, 0);
  EXPECT_NE(negative_rate.err.find("--rate"), std::string::npos) << negative_rate.err;
  const auto bad_source =
      RunProgram(LOAD_BINARY_PATH, {"--port", std::to_string(server->port()), "--sources", "127.0.0.9-127.0.0.1"});
  EXPECT_EQ(bad_source.exit_code, 2);
  EXPECT_NE(bad_source.err.find("bad source range"), std::string::npos) << bad_source.err;
  // Nothing listens: every connection fails and is counted by kind.
  const auto unreachable =
      RunProgram(LOAD_BINARY_PATH, {"--port", "1", "--token", "t", "--idle", "-n", "3", "--hold", "0"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.out.find("connect: Connection refused 3"), std::string::npos) << unreachable.out;
}

}  // namespace
}  // namespace salesboost
