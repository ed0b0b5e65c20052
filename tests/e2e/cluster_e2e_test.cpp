// Several instances of the real binary sharing Redis and PostgreSQL (started
// by the tests), with nginx in front rendered from deploy/nginx: any instance
// serves any session, a session moves between instances without a gap or a
// repeat, and a killed, paused or cut-off part loses no committed turn.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "client/api_client.hpp"
#include "client/blocking_client.hpp"
#include "client/session_client.hpp"
#include "core/percentiles.hpp"
#include "core/read_file.hpp"
#include "support/nginx_server.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"
#include "support/server_process.hpp"
#include "support/session_client.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using testing::Client;
using testing::CreateSession;
using testing::Deltas;
using testing::Type;
namespace json = boost::json;

const auto& kScript = testing::kRetailScript;

// Redis, PostgreSQL and instances of salesboost configured as a cluster.
class Cluster {
 public:
  explicit Cluster(std::vector<std::string> extra_flags = {}) : flags_(std::move(extra_flags)) {
    postgres_ = testing::PostgresServer::Launch();
    if (!redis_.Start()) throw std::runtime_error("redis-server did not start");
  }

  // Starts (or restarts) instance `i` on its own data directory.
  testing::ServerProcess& Start(std::size_t i, const std::vector<std::string>& more = {}) {
    if (instances_.size() <= i) instances_.resize(i + 1);
    while (dirs_.size() <= i) dirs_.push_back(std::make_unique<testing::TempDir>());
    instances_[i].reset();
    std::vector<std::string> flags = {
        "--set", "data.dir=" + dirs_[i]->path().string(), "--set", "store.driver=postgres", "--set",
        "store.postgres_dsn=secret:pg_dsn", "--set", "auth.jwt_signing_key=secret:jwt", "--set",
        "cluster.backend=redis", "--set", "cluster.redis_url=" + redis_.Url(), "--set",
        "cluster.instance_id=instance-" + std::to_string(i), "--set", "limits.turn_burst=100000", "--set",
        "limits.turn_per_minute=100000", "--set", "conversation.npc_delta_interval_ms=20",
        // behind nginx every client has nginx's address
        "--set", "server.max_connections_per_address=0"};
    flags.insert(flags.end(), flags_.begin(), flags_.end());
    flags.insert(flags.end(), more.begin(), more.end());
    instances_[i] = testing::ServerProcess::Start(
        flags, {{"SALESBOOST_SECRET_PG_DSN", postgres_->Dsn()},
                {"SALESBOOST_SECRET_JWT", "cluster-test-signing-key-0123456789abcdef0123456789"}});
    if (password_.empty()) password_ = testing::DemoTraineePasswordIn(dirs_[i]->path());
    return *instances_[i];
  }
  testing::ServerProcess& instance(std::size_t i) { return *instances_.at(i); }
  void Forget(std::size_t i) { instances_.at(i).reset(); }
  std::string Token(const client::Endpoint& endpoint) const {
    client::ApiClient api(endpoint);
    auto logged_in = api.Login("trainee", password_);
    EXPECT_TRUE(logged_in) << (logged_in ? "" : logged_in.error().message);
    return logged_in ? api.token() : std::string();
  }
  testing::PostgresServer& postgres() { return *postgres_; }
  testing::RedisServer& redis() { return redis_; }

 private:
  std::vector<std::string> flags_;
  std::unique_ptr<testing::PostgresServer> postgres_;
  testing::RedisServer redis_;
  std::vector<std::unique_ptr<testing::TempDir>> dirs_;
  std::vector<std::unique_ptr<testing::ServerProcess>> instances_;
  std::string password_;
};

// The committed events of a session, through the REST API.
std::vector<json::object> StoredEvents(const client::Endpoint& endpoint, const std::string& token,
                                       const std::string& session_id) {
  std::vector<json::object> out;
  std::int64_t after = 0;
  for (;;) {
    auto reply =
        client::Fetch(endpoint, "GET", "/api/v1/sessions/" + session_id + "/events?after_seq=" + std::to_string(after),
                      "", {{"Authorization", "Bearer " + token}});
    EXPECT_TRUE(reply && reply->status == 200) << (reply ? reply->body : reply.error().message);
    if (!reply || reply->status != 200) return out;
    const auto page = json::parse(reply->body);
    const auto& events = page.as_object().at("events").as_array();
    if (events.empty()) return out;
    for (const auto& e : events) out.push_back(e.as_object());
    after = out.back().at("seq").as_int64();
  }
}

// Every seq once, in order, and each turn_id committed at most once.
void ExpectWholeLog(const std::vector<json::object>& events, const std::set<std::string>& committed_by_client) {
  std::map<std::string, int> done;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].at("seq").as_int64(), static_cast<std::int64_t>(i) + 1) << "a gap or a repeat in the log";
    if (Type(events[i]) == "turn.done") ++done[std::string(events[i].at("turn_id").as_string())];
  }
  for (const auto& [turn_id, count] : done) EXPECT_EQ(count, 1) << turn_id << " committed twice";
  for (const auto& turn_id : committed_by_client) {
    EXPECT_EQ(done.count(turn_id), 1u) << "the client saw " << turn_id << " committed but the log lost it";
  }
}

double OpenSockets(const testing::ServerProcess& server) {
  auto reply = client::Fetch(server.endpoint(), "GET", "/metrics", "", {});
  if (!reply) return 0;
  return testing::MetricValue(reply->body, "salesboost_ws_open_connections").value_or(0);
}

TEST(ClusterE2e, ASessionMovesBetweenInstancesMidReplyByteForByte) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  auto& b = cluster.Start(1);
  const auto token = cluster.Token(a.endpoint());
  ASSERT_FALSE(token.empty());

  // The reference: the same seed and script on one instance, uninterrupted.
  const auto reference_id = CreateSession(a.endpoint(), token, "en", 7);
  Client reference(a.endpoint(), token);
  reference.Join(reference_id);
  reference.Next();
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < 4; ++i) {
    reference.Turn("r" + std::to_string(i), kScript[i]);
    expected.push_back(Deltas(reference.Until("turn.done")));
  }

  // Each turn starts on one instance; the client drops after the first delta
  // and resumes on the other while the first is still streaming the reply.
  const auto session_id = CreateSession(b.endpoint(), token, "en", 7);
  std::int64_t last_seq = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    auto& here = i % 2 == 0 ? a : b;
    auto& there = i % 2 == 0 ? b : a;
    Client c(here.endpoint(), token);
    c.Join(session_id, last_seq);
    if (last_seq == 0) c.Next();
    c.ResetSeq(last_seq == 0 ? 1 : last_seq);
    c.Turn("r" + std::to_string(i), kScript[i]);
    const std::string seen = c.UntilFirstDelta();
    last_seq = c.last_seq();
    ASSERT_TRUE(c.ws().Close(1000));

    Client resumed(there.endpoint(), token);
    resumed.Join(session_id, last_seq);
    resumed.ResetSeq(last_seq);
    const auto rest = resumed.Until("turn.done");
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.front().at("seq").as_int64(), last_seq + 1) << "the resume starts right after the last seen event";
    EXPECT_EQ(seen + Deltas(rest), expected[i]) << "turn " << i;
    last_seq = resumed.last_seq();
  }
  ExpectWholeLog(StoredEvents(a.endpoint(), token, session_id), {"r0", "r1", "r2", "r3"});
}

TEST(ClusterE2e, AnInstanceKilledMidReplyLosesNothingAndTheTraineeGoesOnThroughNginx) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  auto& b = cluster.Start(1);
  auto nginx = testing::NginxServer::Start({a.port(), b.port()});
  ASSERT_TRUE(nginx);
  const client::Endpoint lb{"127.0.0.1", nginx->port()};
  const auto token = cluster.Token(lb);
  ASSERT_FALSE(token.empty());
  const auto session_id = CreateSession(lb, token, "en", 11);
  ASSERT_FALSE(session_id.empty());

  std::int64_t seen = 0;
  std::size_t victim = 0;
  {
    Client c(lb, token);
    c.Join(session_id);
    c.Next();
    c.Turn("t1", kScript[0]);
    c.Until("turn.done");
    c.Turn("cut", kScript[1]);
    c.UntilFirstDelta();
    seen = c.last_seq();
    victim = OpenSockets(a) > 0 ? 0 : 1;
    ASSERT_GT(OpenSockets(cluster.instance(victim)), 0) << "the socket is on one of the instances";
    cluster.instance(victim).Signal(SIGKILL);
    cluster.instance(victim).WaitExit(milliseconds(5000));
  }
  cluster.Forget(victim);

  const auto reconnect = std::chrono::steady_clock::now();
  Client c(lb, token);
  c.Join(session_id, seen);
  c.ResetSeq(seen);
  const auto recovered = c.Until("turn.aborted");
  const auto first_event = std::chrono::steady_clock::now() - reconnect;
  ASSERT_EQ(Type(recovered.back()), "turn.aborted");
  EXPECT_EQ(recovered.back().at("turn_id").as_string(), "cut");
  EXPECT_EQ(recovered.back().at("reason").as_string(), "interrupted");
  EXPECT_LT(first_event, milliseconds(1000)) << "the trainee goes on within a second of reconnecting";
  std::printf("[ cluster ] reconnect to turn.aborted after kill -9: %.1f ms\n",
              std::chrono::duration<double, std::milli>(first_event).count());
  c.Turn("cut", kScript[1]);
  const auto retried = c.Until("turn.done");
  ASSERT_EQ(Type(retried.back()), "turn.done");
  EXPECT_FALSE(Deltas(retried).empty());
  ExpectWholeLog(StoredEvents(lb, token, session_id), {"t1", "cut"});
}

// One trainee's session driven through the load balancer; reconnects and
// resends (same turn_id) until each turn is committed.
struct Worker {
  std::string session_id;
  std::set<std::string> committed;
  std::vector<double> resume_ms;  // reconnect to the first event after it
  std::string failure;

  void Run(const client::Endpoint& lb, const std::string& token, int turns) {
    std::unique_ptr<client::SessionClient> c;
    std::int64_t last = 0;
    auto connect = [&]() -> bool {
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (std::chrono::steady_clock::now() < until) {
        auto opened = client::SessionClient::Connect(lb, token);
        if (opened && (*opened)->Join(session_id, last)) {
          c = std::move(*opened);
          c->set_last_seq(last);
          return true;
        }
        std::this_thread::sleep_for(milliseconds(100));
      }
      failure = "could not reconnect within 20 s";
      return false;
    };
    if (!connect()) return;
    for (int t = 0; t < turns; ++t) {
      const std::string turn_id = "w" + std::to_string(t);
      const std::string& text = kScript[static_cast<std::size_t>(t) % kScript.size()];
      bool send = true;
      auto reconnected_at = std::chrono::steady_clock::time_point{};
      for (;;) {
        if (send && !c->SendTurn(turn_id, text)) {
          if (!connect()) return;
          reconnected_at = std::chrono::steady_clock::now();
          continue;
        }
        send = false;
        auto event = c->Next(milliseconds(30000));
        if (!event) {
          last = c->last_seq();
          if (!connect()) return;
          reconnected_at = std::chrono::steady_clock::now();
          send = true;  // idempotent: a committed turn is replayed, an aborted one runs again
          continue;
        }
        if (reconnected_at != std::chrono::steady_clock::time_point{}) {
          resume_ms.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - reconnected_at).count());
          reconnected_at = {};
        }
        last = c->last_seq();
        if (event->IsError()) {
          const auto code = event->String("code");
          if (code == "invalid_argument" || code == "permission_denied" || code == "not_found") {
            failure = json::serialize(event->body);
            return;
          }
          std::this_thread::sleep_for(milliseconds(200));  // unavailable, busy elsewhere, rate limited
          send = true;
          continue;
        }
        if (event->String("turn_id") != turn_id) continue;
        if (event->type == "turn.aborted") {
          send = true;
          continue;
        }
        if (event->type == "turn.done") {
          committed.insert(turn_id);
          break;
        }
      }
    }
  }
};

TEST(ClusterE2e, AHundredSessionsLoseNoCommittedTurnWhenAnInstanceIsKilledUnderLoad) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  auto& b = cluster.Start(1);
  auto nginx = testing::NginxServer::Start({a.port(), b.port()});
  ASSERT_TRUE(nginx);
  const client::Endpoint lb{"127.0.0.1", nginx->port()};
  const auto token = cluster.Token(lb);
  ASSERT_FALSE(token.empty());

  constexpr int kSessions = 100;
  constexpr int kTurns = 3;
  std::vector<Worker> workers(kSessions);
  for (auto& w : workers) {
    w.session_id = CreateSession(lb, token, "en");
    ASSERT_FALSE(w.session_id.empty());
  }
  std::vector<std::thread> threads;
  threads.reserve(workers.size());
  for (auto& w : workers) threads.emplace_back([&w, &lb, &token] { w.Run(lb, token, kTurns); });
  std::this_thread::sleep_for(milliseconds(1500));  // turns are streaming on both instances
  cluster.instance(0).Signal(SIGKILL);
  cluster.instance(0).WaitExit(milliseconds(5000));
  for (auto& t : threads) t.join();

  std::vector<double> resumes;
  std::size_t turns = 0;
  for (const auto& w : workers) {
    EXPECT_TRUE(w.failure.empty()) << w.session_id << ": " << w.failure;
    EXPECT_EQ(w.committed.size(), static_cast<std::size_t>(kTurns)) << w.session_id;
    turns += w.committed.size();
    resumes.insert(resumes.end(), w.resume_ms.begin(), w.resume_ms.end());
    ExpectWholeLog(StoredEvents(b.endpoint(), token, w.session_id), w.committed);
  }
  EXPECT_EQ(turns, static_cast<std::size_t>(kSessions * kTurns));
  if (!resumes.empty()) {
    const auto summary = core::Summarize(resumes);
    std::printf("[ cluster ] %zu resumes after kill -9: p50 %.1f ms, p99 %.1f ms\n", resumes.size(), summary.p50,
                summary.p99);
  }
}

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return condition();
}

TEST(ClusterE2e, ASentinelFailoverDuringTurnsLosesNothing) {
  // A primary, its replica and three sentinels; the instances find the primary through the sentinels.
  testing::RedisServer primary;
  ASSERT_TRUE(primary.Start());
  testing::RedisServer replica(primary.Port());
  ASSERT_TRUE(replica.Start());
  std::vector<std::unique_ptr<testing::RedisSentinel>> sentinels;
  std::string addresses;
  for (int i = 0; i < 3; ++i) {
    sentinels.push_back(std::make_unique<testing::RedisSentinel>(primary.Port()));
    ASSERT_TRUE(sentinels.back()->Start());
    addresses += (addresses.empty() ? "" : ",") + sentinels.back()->Address();
  }
  ASSERT_TRUE(Eventually(
      [&] {
        return testing::RedisCommand(replica.Port(), {"INFO", "replication"}).find("master_link_status:up") !=
               std::string::npos;
      },
      milliseconds(10000)));
  for (auto& sentinel : sentinels) {
    ASSERT_TRUE(Eventually(
        [&] {
          return testing::RedisCommand(sentinel->Port(), {"SENTINEL", "REPLICAS", "salesboost"})
                     .find(std::to_string(replica.Port())) != std::string::npos;
        },
        milliseconds(15000)));
  }
  Cluster cluster;
  const std::vector<std::string> through_sentinels = {"--set", "cluster.sentinels=" + addresses, "--set",
                                                      "cluster.sentinel_master=salesboost"};
  auto& a = cluster.Start(0, through_sentinels);
  auto& b = cluster.Start(1, through_sentinels);
  ASSERT_NE(testing::RedisCommand(primary.Port(), {"KEYS", "sb:instance:*"}).find("instance-1"), std::string::npos)
      << "the instances use the sentinels' primary";
  const auto token = cluster.Token(a.endpoint());
  std::vector<Worker> workers(4);
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i].session_id = CreateSession(i % 2 == 0 ? a.endpoint() : b.endpoint(), token, "en");
    ASSERT_FALSE(workers[i].session_id.empty());
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    const client::Endpoint at = i % 2 == 0 ? a.endpoint() : b.endpoint();
    threads.emplace_back([&workers, i, at, &token] { workers[i].Run(at, token, 6); });
  }
  std::this_thread::sleep_for(milliseconds(800));
  EXPECT_EQ(testing::RedisCommand(sentinels.front()->Port(), {"SENTINEL", "FAILOVER", "salesboost"}), "OK");
  for (auto& t : threads) t.join();
  for (const auto& w : workers) {
    EXPECT_TRUE(w.failure.empty()) << w.session_id << ": " << w.failure;
    EXPECT_EQ(w.committed.size(), 6u) << w.session_id;
    ExpectWholeLog(StoredEvents(a.endpoint(), token, w.session_id), w.committed);
  }
  EXPECT_TRUE(Eventually(
      [&] {
        return testing::RedisCommand(replica.Port(), {"ROLE"}).rfind("master", 0) == 0 &&
               testing::RedisCommand(replica.Port(), {"KEYS", "sb:instance:*"}).find("instance-0") != std::string::npos;
      },
      milliseconds(10000)))
      << "the old replica is the primary and the instances write to it";
}

TEST(ClusterE2e, TheSameTurnIdSentToTwoInstancesAtOnceRunsOnce) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  auto& b = cluster.Start(1);
  const auto token = cluster.Token(a.endpoint());
  const auto session_id = CreateSession(a.endpoint(), token, "en", 3);
  ASSERT_FALSE(session_id.empty());
  auto on_a = client::SessionClient::Connect(a.endpoint(), token);
  auto on_b = client::SessionClient::Connect(b.endpoint(), token);
  ASSERT_TRUE(on_a && on_b);
  ASSERT_TRUE((*on_a)->Join(session_id));
  // A's join is attached once its replay starts: B's join below is then the later one.
  auto ready = (*on_a)->Next(milliseconds(10000));
  ASSERT_TRUE(ready && ready->type == "session.ready");
  ASSERT_TRUE((*on_a)->SendTurn("same", kScript[1]));
  ASSERT_TRUE((*on_b)->Join(session_id));  // takes the session's events over from the socket on A
  ASSERT_TRUE((*on_b)->SendTurn("same", kScript[1]));
  bool done = false;
  for (int i = 0; i < 200 && !done; ++i) {
    auto event = (*on_b)->Next(milliseconds(10000));
    ASSERT_TRUE(event) << event.error().message;
    done = event->type == "turn.done" && event->String("turn_id") == "same";
  }
  ASSERT_TRUE(done);
  const auto events = StoredEvents(b.endpoint(), token, session_id);
  const auto started = std::count_if(events.begin(), events.end(), [](const json::object& e) {
    return Type(e) == "turn.started" && e.at("turn_id").as_string() == "same";
  });
  EXPECT_EQ(started, 1) << "the turn ran once";
  ExpectWholeLog(events, {"same"});
}

TEST(ClusterE2e, ThePerUserRateLimitHoldsAcrossInstances) {
  Cluster cluster({"--set", "limits.turn_burst=2", "--set", "limits.turn_per_minute=1"});
  // The flags above come after the defaults, so they win.
  auto& a = cluster.Start(0);
  auto& b = cluster.Start(1);
  const auto token = cluster.Token(a.endpoint());
  const auto session_id = CreateSession(a.endpoint(), token, "en", 5);
  {
    Client c(a.endpoint(), token);
    c.Join(session_id);
    c.Next();
    c.Turn("t1", kScript[0]);
    c.Until("turn.done");
    c.Turn("t2", kScript[1]);
    c.Until("turn.done");
  }
  Client c(b.endpoint(), token);
  c.Join(session_id, 1'000'000);
  c.Turn("t3", kScript[2]);
  const auto refused = c.Next();
  ASSERT_EQ(Type(refused), "error") << json::serialize(refused);
  EXPECT_EQ(refused.at("code").as_string(), "rate_limited");
  EXPECT_GT(refused.at("retry_after_ms").as_int64(), 0);
}

TEST(ClusterE2e, APausedOwnerThatLostItsLeaseCannotCommitWhenResumed) {
  Cluster cluster({"--set", "cluster.lease_ttl_ms=600", "--set", "cluster.heartbeat_ttl_ms=600"});
  auto& a = cluster.Start(0, {"--set", "conversation.npc_delta_interval_ms=200"});
  auto& b = cluster.Start(1);
  const auto token = cluster.Token(a.endpoint());
  const auto session_id = CreateSession(a.endpoint(), token, "en", 9);
  std::int64_t seen = 0;
  {
    Client c(a.endpoint(), token);
    c.Join(session_id);
    c.Next();
    c.Turn("t1", kScript[1]);
    c.UntilFirstDelta();
    seen = c.last_seq();
    a.Signal(SIGSTOP);
  }
  std::this_thread::sleep_for(milliseconds(1500));  // its lease and heartbeat lapse
  Client c(b.endpoint(), token);
  c.Join(session_id, seen);
  c.ResetSeq(seen);
  c.Turn("t1", kScript[1]);  // the same turn again: B takes the session over
  const auto recovered = c.Until("turn.aborted");
  EXPECT_EQ(recovered.back().at("reason").as_string(), "interrupted");
  const auto rerun = c.Until("turn.done");
  ASSERT_EQ(Type(rerun.back()), "turn.done");
  a.Signal(SIGCONT);
  std::this_thread::sleep_for(milliseconds(1500));  // A wakes up with its turn still running
  const auto events = StoredEvents(b.endpoint(), token, session_id);
  ExpectWholeLog(events, {"t1"});
  EXPECT_EQ(events.back().at("seq").as_int64(), c.last_seq()) << "nothing was committed after B's turn";
}

TEST(ClusterE2e, WithRedisRestartedTurnsGoOnAndNothingIsLost) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  cluster.Start(1);
  const auto token = cluster.Token(a.endpoint());
  const auto session_id = CreateSession(a.endpoint(), token, "en", 13);
  Client c(a.endpoint(), token);
  c.Join(session_id);
  c.Next();
  c.Turn("t1", kScript[0]);
  c.Until("turn.done");
  cluster.redis().Stop();
  c.Turn("t2", kScript[1]);  // the instance holding the socket serves it from its own state
  ASSERT_EQ(Type(c.Until("turn.done").back()), "turn.done");
  ASSERT_TRUE(cluster.redis().Start());
  std::this_thread::sleep_for(milliseconds(500));
  c.Turn("t3", kScript[2]);
  ASSERT_EQ(Type(c.Until("turn.done").back()), "turn.done");
  ExpectWholeLog(StoredEvents(a.endpoint(), token, session_id), {"t1", "t2", "t3"});
}

TEST(ClusterE2e, WithPostgresDownTurnsFailClearlyAndGoOnWhenItReturns) {
  Cluster cluster;
  auto& a = cluster.Start(0);
  const auto token = cluster.Token(a.endpoint());
  const auto session_id = CreateSession(a.endpoint(), token, "en", 17);
  Client c(a.endpoint(), token);
  c.Join(session_id);
  c.Next();
  c.Turn("t1", kScript[0]);
  c.Until("turn.done");
  cluster.postgres().Stop();
  c.Turn("t2", kScript[1]);
  const auto failed = c.Next(milliseconds(20000));
  ASSERT_FALSE(failed.empty());
  if (Type(failed) == "error") {
    EXPECT_EQ(failed.at("code").as_string(), "unavailable") << json::serialize(failed);
  } else {
    // The turn had begun: it ends as aborted, and its events reach the log later or never, never half.
    const auto rest = c.Until("turn.aborted");
    EXPECT_EQ(rest.back().at("reason").as_string(), "store_unavailable");
  }
  cluster.postgres().Start();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool committed = false;
  while (!committed && std::chrono::steady_clock::now() < until) {
    Client again(a.endpoint(), token);
    if (!again) continue;
    again.Join(session_id, 1'000'000);
    again.Turn("t2", kScript[1]);
    for (;;) {
      const auto event = again.Next(milliseconds(10000));
      if (event.empty() || Type(event) == "error" || Type(event) == "turn.aborted") break;
      if (Type(event) == "turn.done") {
        committed = true;
        break;
      }
    }
    if (!committed) std::this_thread::sleep_for(milliseconds(300));
  }
  EXPECT_TRUE(committed) << "the turn goes through once PostgreSQL is back";
  ExpectWholeLog(StoredEvents(a.endpoint(), token, session_id), {"t1", "t2"});
}

TEST(ClusterScript, UpServesThroughTheLoadBalancerAndDownRemovesEverything) {
  testing::TempDir scratch;
  const auto dir = scratch.path() / "cluster";
  const std::string script = std::string(SALESBOOST_SOURCE_DIR) + "/scripts/cluster.sh";
  const std::map<std::string, std::string> env = {{"SALESBOOST_BIN", SALESBOOST_BINARY_PATH}};
  const auto up = testing::RunProgram("/bin/bash", {script, "up", "--dir", dir.string()}, env);
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_NE(up.out.find("instance 2"), std::string::npos) << up.out;
  const auto settings = core::ReadWholeFile(dir / "cluster.env");
  ASSERT_TRUE(settings);
  const auto at = settings->find("LB_PORT=");
  ASSERT_NE(at, std::string::npos);
  const auto port = static_cast<std::uint16_t>(std::stoi(settings->substr(at + 8)));
  const client::Endpoint lb{"127.0.0.1", port};
  auto ready = client::Fetch(lb, "GET", "/readyz", "", {});
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  const auto password = core::ReadWholeFile(dir / "demo-trainee.password");
  ASSERT_TRUE(password);
  client::ApiClient api(lb);
  EXPECT_TRUE(api.Login("trainee", password->substr(0, password->find('\n'))));
  const auto down = testing::RunProgram("/bin/bash", {script, "down", "--dir", dir.string()}, env);
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(client::Fetch(lb, "GET", "/readyz", "", {})) << "nothing listens any more";
}

}  // namespace
}  // namespace salesboost
