// The real server under the attacks a hardening review found: silent sockets,
// connection floods from one address, a body that never comes, anonymous
// uploads, tokens of deleted users, password guessing and weak passwords.
// Each test reproduces the attack, bounded in count and time.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kAdminPassword = "admin-password-for-security";
constexpr int kPerAddress = 8;

// A TCP connection from `source` (a loopback address) that the test drives byte by byte.
class RawSocket {
 public:
  RawSocket(const std::string& source, std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    connected_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) == 0 &&
                 ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }
  void Send(std::string_view bytes) const { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // Everything received until the server closes or `timeout` passes.
  std::string ReadUntilClosed(milliseconds timeout, bool* closed = nullptr) const {
    std::string out;
    const auto deadline = steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()).count();
      if (left <= 0) break;
      pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buffer[4096];
      const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) {
        if (closed != nullptr) *closed = true;
        break;
      }
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::int64_t RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6));
  }
  return -1;
}

class SecurityE2e : public testing::SharedServerTest<SecurityE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "auth.bootstrap_admin_password=secret:admin/password",
            "--set", "server.header_timeout_ms=600",
            "--set", "server.body_timeout_ms=600",
            "--set", "server.idle_timeout_ms=30000",
            "--set", "server.max_connections_per_address=" + std::to_string(kPerAddress),
            "--set", "limits.login_burst=100",
            "--set", "limits.login_per_minute=1000"};
  }
  static std::map<std::string, std::string> Environment() {
    return {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}};
  }

  static std::string Admin() { return server().Login("admin", kAdminPassword); }

  static client::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // POST /api/v1/users as the admin; the reply's JSON.
  static json::value CreateUser(const std::string& username, const std::string& password) {
    auto reply = Fetch(server().endpoint(), "POST", "/api/v1/users",
                       json::serialize(json::object{{"username", username}, {"password", password}}), Bearer(Admin()));
    EXPECT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->status, 201) << reply->body;
    return json::parse(reply->body);
  }
};

TEST_F(SecurityE2e, ASilentConnectionIsClosedAfterTheHeaderTimeoutNotTheIdleTimeout) {
  RawSocket silent("127.0.0.20", server().port());
  ASSERT_TRUE(silent.connected());
  const auto start = steady_clock::now();
  bool closed = false;
  silent.ReadUntilClosed(milliseconds(10'000), &closed);
  const auto waited = steady_clock::now() - start;
  EXPECT_TRUE(closed);
  EXPECT_GE(waited, milliseconds(400));
  EXPECT_LT(waited, milliseconds(5'000));  // the idle timeout is 30 s
}

TEST_F(SecurityE2e, ConnectionsBeyondThePerAddressCapGet503AndOtherAddressesAreServed) {
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < kPerAddress; ++i) {
    held.push_back(std::make_unique<RawSocket>("127.0.0.21", server().port()));
    ASSERT_TRUE(held.back()->connected());
  }
  RawSocket extra("127.0.0.21", server().port());
  ASSERT_TRUE(extra.connected());
  const auto refused = extra.ReadUntilClosed(milliseconds(3'000));
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("too many open connections from this address"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;

  auto healthy = Fetch(server().endpoint(), "GET", "/healthz");  // from 127.0.0.1
  ASSERT_TRUE(healthy) << healthy.error().message;
  EXPECT_EQ(healthy->status, 200);
  auto metrics = Fetch(server().endpoint(), "GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_GE(
      testing::MetricValue(metrics->body, "salesboost_http_connections_refused_total{reason=\"address\"}").value_or(0),
      1);

  held.clear();  // the places are given back once the server sees the sockets close
  std::string served;
  for (int attempt = 0; attempt < 50 && served.rfind("HTTP/1.1 200", 0) != 0; ++attempt) {
    std::this_thread::sleep_for(milliseconds(20));
    RawSocket again("127.0.0.21", server().port());
    again.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    served = again.ReadUntilClosed(milliseconds(2'000));
  }
  EXPECT_EQ(served.rfind("HTTP/1.1 200", 0), 0u) << served;
}

TEST_F(SecurityE2e, ABodyThatNeverComesGets408) {
  auto raw = client::RawExchange(server().endpoint(),
                                 "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 100\r\n\r\n{\"username\"");
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->rfind("HTTP/1.1 408", 0), 0u) << *raw;
  EXPECT_NE(raw->find("\"code\":\"request_timeout\""), std::string::npos) << *raw;
}

TEST_F(SecurityE2e, AnAnonymousUploadIsRefusedBeforeItsBodyIsRead) {
  const std::string headers =
      "POST /api/v1/knowledge/documents HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 60000000\r\n\r\n";
  // Headers alone: the answer comes at once, not after the body timeout.
  auto raw = client::RawExchange(server().endpoint(), headers, milliseconds(3'000));
  ASSERT_TRUE(raw) << raw.error().message;
  EXPECT_EQ(raw->rfind("HTTP/1.1 401", 0), 0u) << *raw;
  EXPECT_NE(raw->find("WWW-Authenticate: Bearer"), std::string::npos) << *raw;

  // A trainee's token is not enough either.
  const auto trainee = server().DemoTraineeToken();
  auto as_trainee = client::RawExchange(
      server().endpoint(), headers.substr(0, headers.size() - 2) + "Authorization: Bearer " + trainee + "\r\n\r\n",
      milliseconds(3'000));
  ASSERT_TRUE(as_trainee);
  EXPECT_EQ(as_trainee->rfind("HTTP/1.1 403", 0), 0u) << *as_trainee;

  // Twenty anonymous clients each pushing 6 MiB: the server buffers none of it.
  const auto before = RssKib(server().pid());
  constexpr int kClients = 20;
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  std::atomic<int> refused{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      RawSocket socket("127.0.0." + std::to_string(30 + i), server().port());
      socket.Send(headers);
      const std::string chunk(std::size_t{64} * 1024, 'x');
      for (int sent = 0; sent < 96; ++sent) socket.Send(chunk);
      if (socket.ReadUntilClosed(milliseconds(3'000)).rfind("HTTP/1.1 401", 0) == 0) ++refused;
    });
  }
  for (auto& c : clients) c.join();
  const auto after = RssKib(server().pid());
  EXPECT_GE(refused.load(), 15);  // a reset may overtake a response the server had already sent
  EXPECT_LT(after - before, 48 * 1024) << "RSS grew from " << before << " to " << after << " KiB";
}

TEST_F(SecurityE2e, ADeletedUsersTokenStopsWorkingEverywhere) {
  const auto created = CreateUser("mallory", "a long enough passphrase");
  const std::string id(created.at("id").as_string());
  const auto token = server().Login("mallory", "a long enough passphrase");
  ASSERT_FALSE(token.empty());
  auto me = Fetch(server().endpoint(), "GET", "/api/v1/auth/me", {}, Bearer(token));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);

  auto deleted = Fetch(server().endpoint(), "DELETE", "/api/v1/users/" + id, {}, Bearer(Admin()));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204) << deleted->body;

  auto after = Fetch(server().endpoint(), "GET", "/api/v1/auth/me", {}, Bearer(token));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401) << after->body;
  auto session =
      Fetch(server().endpoint(), "POST", "/api/v1/sessions", R"({"scenario_id":"card-upgrade-basic"})", Bearer(token));
  ASSERT_TRUE(session);
  EXPECT_EQ(session->status, 401) << session->body;
  EXPECT_EQ(session->body.find("SQL"), std::string::npos) << session->body;
  EXPECT_EQ(server().Login("mallory", "a long enough passphrase"), "");

  auto users = Fetch(server().endpoint(), "GET", "/api/v1/users", {}, Bearer(Admin()));
  ASSERT_TRUE(users);
  EXPECT_EQ(users->body.find("mallory"), std::string::npos) << users->body;
}

TEST_F(SecurityE2e, AResetPasswordRevokesTheOldTokenAndTheAuditLogShowsIt) {
  const auto created = CreateUser("trent", "trent's first passphrase");
  const std::string id(created.at("id").as_string());
  const auto old_token = server().Login("trent", "trent's first passphrase");
  ASSERT_FALSE(old_token.empty());
  auto reset = Fetch(server().endpoint(), "POST", "/api/v1/users/" + id + "/password", "", Bearer(Admin()));
  ASSERT_TRUE(reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  const auto body = json::parse(reset->body);
  const std::string generated(body.at("password").as_string());
  EXPECT_EQ(generated.size(), 20u);
  auto old = Fetch(server().endpoint(), "GET", "/api/v1/auth/me", {}, Bearer(old_token));
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 401);
  EXPECT_FALSE(server().Login("trent", generated).empty());

  auto audit = Fetch(server().endpoint(), "GET", "/api/v1/audit?limit=50", {}, Bearer(Admin()));
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200) << audit->body;
  EXPECT_NE(audit->body.find("\"action\":\"user.password\""), std::string::npos) << audit->body;
  EXPECT_NE(audit->body.find("\"action\":\"POST /api/v1/users/" + id + "/password\""), std::string::npos);
  EXPECT_EQ(audit->body.find(generated), std::string::npos);  // never a password
  EXPECT_EQ(audit->body.find("trent's first passphrase"), std::string::npos);
}

TEST_F(SecurityE2e, GuessingLocksTheAccountWithRetryAfter) {
  CreateUser("victor", "victor's real passphrase");
  for (int i = 0; i < 5; ++i) {
    auto wrong = Fetch(server().endpoint(), "POST", "/api/v1/auth/login",
                       R"({"username":"victor","password":"guess number )" + std::to_string(i) + "\"}");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 401);
  }
  auto locked = Fetch(server().endpoint(), "POST", "/api/v1/auth/login",
                      R"({"username":"victor","password":"victor's real passphrase"})");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429) << locked->body;
  EXPECT_EQ(locked->Header("retry-after").value_or(""), "30");
  EXPECT_NE(locked->body.find("too many failed logins for this account"), std::string::npos) << locked->body;
}

TEST_F(SecurityE2e, WeakPasswordsAreRefusedWithTheRule) {
  for (const char* weak : {"password", "12345678", "        ", "password123", "abcdefghij"}) {
    auto reply = Fetch(server().endpoint(), "POST", "/api/v1/users",
                       json::serialize(json::object{{"username", "weak"}, {"password", weak}}), Bearer(Admin()));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << weak << ": " << reply->body;
    EXPECT_NE(reply->body.find("password"), std::string::npos) << reply->body;
  }
}

}  // namespace
}  // namespace salesboost
