// `salesboost chat` as a trainee uses it: the real binary in a pseudo-terminal
// against a real server, typed at like a keyboard.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "client/blocking_client.hpp"
#include "core/utf8.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

// The chat client on the slave side of a pseudo-terminal; the test holds the master.
class ChatTerminal {
 public:
  explicit ChatTerminal(const std::vector<std::string>& args) {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    EXPECT_GE(master_, 0);
    EXPECT_EQ(grantpt(master_), 0);
    EXPECT_EQ(unlockpt(master_), 0);
    const std::string slave_name = ptsname(master_);
    std::vector<std::string> argv_storage = {SALESBOOST_BINARY_PATH, "chat"};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      setsid();
      const int slave = open(slave_name.c_str(), O_RDWR);
      if (slave < 0) _exit(127);
      ioctl(slave, TIOCSCTTY, 0);
      winsize size{.ws_row = 50, .ws_col = 160, .ws_xpixel = 0, .ws_ypixel = 0};
      ioctl(slave, TIOCSWINSZ, &size);
      dup2(slave, 0);
      dup2(slave, 1);
      dup2(slave, 2);
      close(slave);
      close(master_);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }

  ~ChatTerminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (master_ >= 0) close(master_);
  }

  // Waits until `text` appears in the output after `from` (a byte offset); its offset, or npos.
  std::size_t WaitFor(std::string_view text, milliseconds timeout, std::size_t from = 0) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (const auto at = screen_.find(text, from); at != std::string::npos) return at;
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || !Drain(static_cast<int>(left))) return std::string::npos;
    }
  }

  // Keys as typed; "\r" is Enter. Written in pieces while the echo is read, so neither side blocks.
  void Type(std::string_view keys) {
    for (std::size_t at = 0; at < keys.size();) {
      const auto n = write(master_, keys.data() + at, std::min<std::size_t>(512, keys.size() - at));
      ASSERT_GT(n, 0);
      at += static_cast<std::size_t>(n);
      Drain(0);
    }
  }

  // Reads what is there, waiting up to `timeout_ms` for the first bytes; false at the end of output.
  bool Drain(int timeout_ms) {
    pollfd ready{.fd = master_, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, timeout_ms) <= 0) return true;
    char chunk[4096];
    const auto n = read(master_, chunk, sizeof chunk);
    if (n <= 0) return false;  // EIO once the child has gone
    screen_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  std::optional<int> WaitExit(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      Drain(50);
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        while (Drain(0) && Drain(50)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
    }
    return std::nullopt;
  }

  const std::string& screen() const { return screen_; }
  std::size_t size() const { return screen_.size(); }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string screen_;
};

class ChatPtyE2e : public ::testing::Test {
 protected:
  void StartServer(const std::vector<std::string>& flags) {
    server_ = testing::ServerProcess::Start(flags);
    ASSERT_TRUE(server_);
    password_file_ = dir_.path() / "password";
    std::ofstream(password_file_) << server_->DemoTraineePassword() << "\n";
  }

  std::vector<std::string> ChatArgs(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"--server",        "http://127.0.0.1:" + std::to_string(server_->port()),
                                     "--password-file", password_file_.string(),
                                     "--scenario",      "first-call-retail",
                                     "--language",      "en"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // The texts of the session's turn.started events.
  std::vector<std::string> TurnTexts() const {
    const auto token = server_->DemoTraineeToken();
    const client::Headers auth = {{"Authorization", "Bearer " + token}};
    auto sessions = client::Fetch(server_->endpoint(), "GET", "/api/v1/sessions", "", auth);
    EXPECT_TRUE(sessions && sessions->status == 200);
    if (!sessions) return {};
    const std::string id(json::parse(sessions->body).at("sessions").at(0).at("id").as_string());
    auto events = client::Fetch(server_->endpoint(), "GET", "/api/v1/sessions/" + id + "/events?after_seq=0", "", auth);
    EXPECT_TRUE(events && events->status == 200);
    std::vector<std::string> texts;
    if (!events) return texts;
    const auto log = json::parse(events->body);
    for (const auto& e : log.at("events").as_array()) {
      if (e.at("type").as_string() == "turn.started") texts.emplace_back(e.at("text").as_string());
    }
    return texts;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::filesystem::path password_file_;
};

TEST_F(ChatPtyE2e, APauseLongerThanTheKeepAliveKeepsTheConnectionAndLongPastesArriveWhole) {
  // The server drops a WebSocket peer silent for two ping intervals (40 s by
  // default). With a 300 ms interval the client must answer pings while it
  // waits for the keyboard: the test pauses 2 s, over 3x the 600 ms limit,
  // standing in for a trainee's 60-second pause.
  StartServer({"--set", "websocket.ping_interval_ms=300", "--set", "limits.turn_burst=100", "--set",
               "conversation.npc_delta_interval_ms=5"});
  ChatTerminal chat(ChatArgs());
  ASSERT_NE(chat.WaitFor("you> ", milliseconds(8000)), std::string::npos) << chat.screen();
  std::this_thread::sleep_for(milliseconds(2000));
  auto mark = chat.size();
  chat.Type("How do you follow up with customers who visit your stores today?\r");
  ASSERT_NE(chat.WaitFor("customer> ", milliseconds(8000), mark), std::string::npos) << chat.screen();
  ASSERT_NE(chat.WaitFor("scores:", milliseconds(8000), mark), std::string::npos) << chat.screen();
  EXPECT_EQ(chat.screen().find("chat: "), std::string::npos) << chat.screen();

  // A terminal in canonical mode keeps 4095 bytes of a line: 1,500 three-byte
  // characters (4,500 bytes) must reach the server whole.
  std::string long_line;
  for (int i = 0; i < 100; ++i) long_line += "我们的系统可以帮助您跟进客户。";  // 15 characters
  ASSERT_EQ(core::CountCodePoints(long_line), 1500u);
  mark = chat.size();
  chat.Type(long_line + "\r");
  ASSERT_NE(chat.WaitFor("scores:", milliseconds(8000), mark), std::string::npos) << chat.screen().substr(mark);

  // Over the per-turn limit: a warning, nothing sent.
  mark = chat.size();
  chat.Type(std::string(4100, 'a') + "\r");
  ASSERT_NE(chat.WaitFor("not sent: the message has 4100 characters", milliseconds(5000), mark), std::string::npos)
      << chat.screen().substr(mark);
  const auto texts = TurnTexts();
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[1], long_line);

  chat.Type("/end\r");
  ASSERT_NE(chat.WaitFor("Report:", milliseconds(8000)), std::string::npos) << chat.screen();
  EXPECT_EQ(chat.WaitExit(milliseconds(5000)), 0);
}

TEST_F(ChatPtyE2e, WhenTheCustomerEndsTheSessionTheReportAppearsWithoutAnotherLine) {
  StartServer({"--set", "limits.turn_burst=100", "--set", "conversation.npc_delta_interval_ms=5"});
  // The pushy script of turn_e2e_test: with seed 11 the offline customer hangs up within three turns.
  const std::vector<std::string> script = {
      "Our CRM is the best product, you should buy it.",
      "It is guaranteed and risk-free: you will earn it back 100%!",
      "You must decide right now, this offer is today only!",
  };
  ChatTerminal chat(ChatArgs({"--seed", "11"}));
  ASSERT_NE(chat.WaitFor("you> ", milliseconds(8000)), std::string::npos) << chat.screen();
  bool ended = false;
  for (std::size_t i = 0; i < script.size() && !ended; ++i) {
    const auto mark = chat.size();
    chat.Type(script[i] + "\r");
    ASSERT_NE(chat.WaitFor("scores:", milliseconds(8000), mark), std::string::npos) << chat.screen();
    ended = chat.WaitFor("Session ended: lost", milliseconds(1000), mark) != std::string::npos;
  }
  ASSERT_TRUE(ended) << chat.screen();
  // Nothing more is typed: the report is shown and the client exits on its own.
  ASSERT_NE(chat.WaitFor("Report:", milliseconds(5000)), std::string::npos) << chat.screen();
  EXPECT_EQ(chat.WaitExit(milliseconds(5000)), 0) << chat.screen();
}

TEST_F(ChatPtyE2e, ARateLimitedTurnIsSentAgainAfterTheWaitTheServerAsks) {
  // One turn at once, one more per second: the second line, typed while the
  // first reply streams, is refused with retry_after_ms and sent again.
  StartServer({"--set", "limits.turn_burst=1", "--set", "limits.turn_per_minute=60", "--set",
               "conversation.npc_delta_interval_ms=5"});
  ChatTerminal chat(ChatArgs());
  ASSERT_NE(chat.WaitFor("you> ", milliseconds(8000)), std::string::npos) << chat.screen();
  chat.Type("Hello Mr Li, this is Anna from Lumen.\rHow do you follow up with customers today?\r");
  const auto retried = chat.WaitFor("rate limited: sending again now", milliseconds(8000));
  ASSERT_NE(retried, std::string::npos) << chat.screen();
  EXPECT_NE(chat.screen().find("sending again in 1 s"), std::string::npos) << chat.screen();
  ASSERT_NE(chat.WaitFor("scores:", milliseconds(8000), retried), std::string::npos) << chat.screen();
  EXPECT_EQ(TurnTexts().size(), 2u);
}

}  // namespace
}  // namespace salesboost
