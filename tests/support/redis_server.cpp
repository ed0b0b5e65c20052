#include "support/redis_server.hpp"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace salesboost::testing {
namespace {

std::filesystem::path MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sb-redis-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

std::string ReplyText(const redisReply* reply) {
  switch (reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return std::string(reply->str, reply->len);
    case REDIS_REPLY_ERROR:
      return "ERR:" + std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(reply->integer);
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (std::size_t i = 0; i < reply->elements; ++i) {
        if (i > 0) out += '\n';
        out += ReplyText(reply->element[i]);
      }
      return out;
    }
    default:
      return "(nil)";
  }
}

std::vector<std::string> ServerArgv(int port, const std::filesystem::path& dir, int replica_of) {
  std::vector<std::string> argv{"redis-server",
                                "--port",
                                std::to_string(port),
                                "--bind",
                                "127.0.0.1",
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--dir",
                                dir.string(),
                                "--logfile",
                                (dir / "redis.log").string(),
                                "--daemonize",
                                "no"};
  if (replica_of > 0) {
    argv.insert(argv.end(), {"--replicaof", "127.0.0.1", std::to_string(replica_of)});
  }
  return argv;
}

std::filesystem::path WriteSentinelConfig(int port, int primary_port) {
  auto dir = MakeTempDir();
  std::ofstream out(dir / "sentinel.conf");
  out << "port " << port << "\nbind 127.0.0.1\ndaemonize no\ndir " << dir.string() << "\nlogfile "
      << (dir / "sentinel.log").string() << "\nsentinel monitor salesboost 127.0.0.1 " << primary_port
      << " 2\nsentinel down-after-milliseconds salesboost 1000\nsentinel failover-timeout salesboost 5000\n"
      << "sentinel parallel-syncs salesboost 1\n";
  return dir;
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string RedisCommand(int port, const std::vector<std::string>& args, const std::string& password) {
  const timeval timeout{1, 0};
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port, timeout);
  if (context == nullptr || context->err != 0) {
    if (context != nullptr) redisFree(context);
    return "";
  }
  redisSetTimeout(context, timeout);
  if (!password.empty()) {
    if (auto* auth = static_cast<redisReply*>(redisCommand(context, "AUTH %s", password.c_str()))) {
      freeReplyObject(auth);
    }
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply =
      static_cast<redisReply*>(redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  std::string text = reply != nullptr ? ReplyText(reply) : "";
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(context);
  return text;
}

RedisServer::RedisServer(int replica_of, const std::vector<std::string>& extra_args)
    : dir_(MakeTempDir()), port_(FreeLoopbackPort()) {
  argv_ = ServerArgv(port_, dir_, replica_of);
  argv_.insert(argv_.end(), extra_args.begin(), extra_args.end());
  for (std::size_t i = 0; i + 1 < extra_args.size(); ++i) {
    if (extra_args[i] == "--requirepass") password_ = extra_args[i + 1];
  }
}

RedisServer::RedisServer(int port, std::vector<std::string> argv, std::filesystem::path dir)
    : dir_(std::move(dir)), argv_(std::move(argv)), port_(port) {}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

bool RedisServer::Start() {
  if (pid_ > 0) return true;
  if (dir_.empty() || port_ == 0) return false;
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    const int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& arg : argv_) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  paused_ = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  // Our process, not another test's server that took the same port meanwhile.
  const std::string ours = "process_id:" + std::to_string(pid_) + "\r\n";
  while (std::chrono::steady_clock::now() < deadline) {
    if (RedisCommand(port_, {"INFO", "server"}, password_).find(ours) != std::string::npos) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: cannot start
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void RedisServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  paused_ = false;
}

void RedisServer::Pause() {
  if (pid_ > 0 && !paused_) {
    kill(pid_, SIGSTOP);
    paused_ = true;
  }
}

void RedisServer::Resume() {
  if (pid_ > 0 && paused_) {
    kill(pid_, SIGCONT);
    paused_ = false;
  }
}

RedisSentinel::RedisSentinel(int primary_port) : RedisSentinel(FreeLoopbackPort(), primary_port, {}) {}

RedisSentinel::RedisSentinel(int port, int primary_port, const std::filesystem::path& /*unused*/)
    : RedisServer(port, {}, WriteSentinelConfig(port, primary_port)) {
  argv_ = {"redis-sentinel", (dir_ / "sentinel.conf").string()};
}

}  // namespace salesboost::testing
