// The real binary on PostgreSQL (store.driver = postgres, the DSN a secret
// reference): `migrate`, a session with turns over WebSocket, then PostgreSQL
// stopped under it: a turn fails with a clear store-unavailable error, and
// once PostgreSQL is back the same server process continues the session with
// every committed turn kept and no event duplicated.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "support/postgres_server.hpp"
#include "support/server_process.hpp"
#include "support/session_client.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using testing::Client;
using testing::Type;
namespace json = boost::json;

const std::vector<std::string> kTurns = {
    "Hello Mr Li, this is Anna from Lumen.",
    "How do you follow up with customers who visit your stores today?",
    "What happens when one of your salespeople quits?",
    "Our CRM sends follow-up reminders to every salesperson, so no lead is forgotten.",
    "Our price is 300 yuan per store per month.",
};

std::vector<std::string> PostgresFlags() {
  return {"--set", "store.driver=postgres",
          "--set", "store.postgres_dsn=secret:pg/dsn",
          "--set", "store.postgres_connect_timeout_ms=2000",
          "--set", "store.postgres_pool_wait_ms=2000",
          "--set", "limits.turn_burst=100000",
          "--set", "limits.turn_per_minute=100000",
          "--set", "conversation.npc_delta_interval_ms=1"};
}

std::map<std::string, std::string> SecretEnv(const testing::PostgresServer& pg) {
  return {{"SALESBOOST_SECRET_PG_DSN", pg.Dsn()}};
}

TEST(PostgresE2e, MigrateReportsTheSchemaOnPostgres) {
  auto pg = testing::PostgresServer::Launch();
  testing::TempDir dir;
  std::vector<std::string> args = {"migrate", "--set", "data.dir=" + (dir.path() / "data").string()};
  const auto flags = PostgresFlags();
  args.insert(args.end(), flags.begin(), flags.begin() + 4);
  auto ran = testing::RunCommand(args, SecretEnv(*pg));
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(ran.out.find(pg->Dsn()), std::string::npos) << "the DSN is never printed";
  EXPECT_NE(pg->Psql("SELECT COUNT(*) FROM schema_migrations"), "0\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / "salesboost.db")) << "no SQLite file on postgres";
}

TEST(PostgresE2e, ASessionSurvivesAPostgresOutageWithNoLostOrDuplicatedEvent) {
  auto pg = testing::PostgresServer::Launch();
  auto server = testing::ServerProcess::Start(PostgresFlags(), SecretEnv(*pg));
  const auto token = server->DemoTraineeToken();
  ASSERT_FALSE(token.empty()) << server->Output();
  const auto session_id = testing::CreateSession(server->endpoint(), token, "en", 42);
  ASSERT_FALSE(session_id.empty());

  std::set<std::string> committed;
  std::int64_t final_seq = 0;
  {
    Client c(server->endpoint(), token);
    ASSERT_TRUE(c);
    c.Join(session_id);
    ASSERT_EQ(Type(c.Next()), "session.ready");
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string turn_id = "t" + std::to_string(i + 1);
      c.Turn(turn_id, kTurns[i]);
      auto events = c.Until("turn.done");
      ASSERT_FALSE(events.empty());
      ASSERT_EQ(Type(events.back()), "turn.done") << json::serialize(events.back());
      committed.insert(turn_id);
    }

    pg->Stop();
    c.Turn("t4", kTurns[3]);
    // Whatever got out of the turn before it failed, it ends in a clear store error.
    std::string failure;
    for (int i = 0; i < 200 && failure.empty(); ++i) {
      auto message = c.Next(milliseconds(15000));
      ASSERT_FALSE(message.empty()) << "no answer while PostgreSQL is down\n" << server->LogOutput();
      if (Type(message) == "error") {
        EXPECT_EQ(message.at("code").as_string(), "unavailable") << json::serialize(message);
        EXPECT_NE(std::string(message.at("message").as_string()).find("store unavailable"), std::string::npos)
            << json::serialize(message);
        failure = json::serialize(message);
      } else if (Type(message) == "turn.aborted") {
        EXPECT_EQ(message.at("reason").as_string(), "store_unavailable") << json::serialize(message);
        failure = json::serialize(message);
      }
      ASSERT_NE(Type(message), "turn.done") << "a turn cannot commit while the store is down";
    }
    ASSERT_FALSE(failure.empty());
  }

  pg->Start();
  {
    // The same server process, a new connection: the session goes on.
    Client c(server->endpoint(), token);
    ASSERT_TRUE(c);
    c.Join(session_id);  // replays the log, then live events
    // The first turn after the restart commits: stale pooled connections are replaced, not reported.
    const std::string turn_id = "t5";
    c.Turn(turn_id, kTurns[4]);
    json::object done_event;
    for (int i = 0; i < 1000 && done_event.empty(); ++i) {
      auto message = c.Next(milliseconds(15000));
      ASSERT_FALSE(message.empty()) << "no turn.done for " << turn_id;
      const bool mine = message.contains("turn_id") && message.at("turn_id").as_string() == turn_id;
      ASSERT_FALSE(mine && Type(message) == "error") << json::serialize(message);
      if (mine && Type(message) == "turn.done") done_event = message;
    }
    ASSERT_FALSE(done_event.empty());
    final_seq = done_event.at("seq").as_int64();
    committed.insert(turn_id);
  }

  // The whole log, replayed from the start: consecutive seqs, each committed
  // turn done exactly once, nothing of the failed turn committed as done.
  Client replay(server->endpoint(), token);
  ASSERT_TRUE(replay);
  replay.Join(session_id, 0);
  std::map<std::string, int> done;
  std::int64_t last_seq = 0;
  std::set<std::int64_t> seqs;
  while (last_seq < final_seq) {
    auto message = replay.Next(milliseconds(15000));
    if (message.empty()) {
      ADD_FAILURE() << "the replay stopped at seq " << last_seq << " of " << final_seq;
      break;
    }
    if (!message.contains("seq")) continue;
    const auto seq = message.at("seq").as_int64();
    EXPECT_TRUE(seqs.insert(seq).second) << "seq " << seq << " twice";
    EXPECT_EQ(seq, last_seq + 1) << json::serialize(message);
    last_seq = seq;
    if (Type(message) == "turn.done") ++done[std::string(message.at("turn_id").as_string())];
  }
  for (const auto& turn_id : committed) EXPECT_EQ(done[turn_id], 1) << turn_id;
  EXPECT_EQ(done.count("t4"), 0u);
  EXPECT_EQ(done.size(), committed.size());
}

}  // namespace
}  // namespace salesboost
