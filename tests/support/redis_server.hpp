// Throwaway Redis servers and sentinels for integration tests: redis-server
// (or redis-sentinel) on a free loopback port, in a temporary directory, with
// no persistence. Stop kills the process (as a crash would), Start runs it
// again on the same port, Pause/Resume freeze it with SIGSTOP/SIGCONT. The
// destructor stops it and removes the directory. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace salesboost::testing {

class RedisServer {
 public:
  // A primary; with `replica_of` > 0, a replica of the server on that port.
  // `extra_args` go to redis-server as they are (e.g. --requirepass secret).
  explicit RedisServer(int replica_of = 0, const std::vector<std::string>& extra_args = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts the process and waits until it answers PING (5 s); false if it does not.
  bool Start();
  void Stop();  // SIGKILL, then waits for the process
  void Pause();
  void Resume();
  bool Running() const { return pid_ > 0; }
  int Port() const { return port_; }
  std::string Url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

 protected:
  RedisServer(int port, std::vector<std::string> argv, std::filesystem::path dir);
  std::filesystem::path dir_;
  std::vector<std::string> argv_;
  int port_ = 0;
  pid_t pid_ = -1;
  bool paused_ = false;
  std::string password_;  // --requirepass, for the start-up check
};

// A sentinel watching the primary on `primary_port` as master "salesboost"
// (quorum 2, down after 1 s).
class RedisSentinel : public RedisServer {
 public:
  explicit RedisSentinel(int primary_port);

 private:
  RedisSentinel(int port, int primary_port, const std::filesystem::path& dir);
};

// A free TCP port on 127.0.0.1 (bound to port 0 and released).
int FreeLoopbackPort();
// A command through a blocking connection (1 s timeout): the reply as text
// (arrays: elements joined by '\n'; errors prefixed "ERR:"), or "" when the
// server cannot be reached.
std::string RedisCommand(int port, const std::vector<std::string>& args, const std::string& password = {});

}  // namespace salesboost::testing
