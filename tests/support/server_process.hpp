// Runs the real salesboost binary for end-to-end tests: `serve` on port 0 in
// a private temporary directory, or any subcommand to completion.
#pragma once

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/blocking_client.hpp"

namespace salesboost::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `salesboost args...` to completion. The child sees the test's
// environment without any SALESBOOST_* variable, plus `env`.
// `stdin_text` is what the child reads on standard input.
CommandResult RunCommand(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                         const std::filesystem::path& cwd = {}, const std::string& stdin_text = {});
// The same for another program of the project (a tool), by its path.
CommandResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {}, const std::filesystem::path& cwd = {},
                         const std::string& stdin_text = {});

class ServerProcess {
 public:
  // Starts `salesboost serve --port 0` with data under a temporary directory
  // and waits until it reports its port.
  static std::unique_ptr<ServerProcess> Start(const std::vector<std::string>& extra_args = {},
                                              const std::map<std::string, std::string>& env = {});
  ~ServerProcess();

  client::Endpoint endpoint() const { return {"127.0.0.1", port_}; }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  // The demo trainee's generated password (created at first start).
  std::string DemoTraineePassword() const;
  // A token for `username` (POST /api/v1/auth/login); empty on failure.
  std::string Login(const std::string& username, const std::string& password) const;
  std::string DemoTraineeToken() const { return Login("trainee", DemoTraineePassword()); }
  // What the server wrote to stdout: its JSON log lines.
  std::string LogOutput() const;

  void Signal(int signal);
  // The exit code once the process ends within `timeout` (-1 for a signal).
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // Everything the server wrote to stdout and stderr so far.
  std::string Output() const;

 private:
  ServerProcess() = default;

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  bool exited_ = false;
};

// tools/mock-llm on a free port, for tests of the LLM client and agents.
class MockLlmProcess {
 public:
  // `behaviour`: the initial behaviour as JSON (tools/mock-llm/behaviour.hpp).
  static std::unique_ptr<MockLlmProcess> Start(const std::string& behaviour = "{}",
                                               const std::vector<std::string>& extra_args = {});
  ~MockLlmProcess();

  client::Endpoint endpoint() const { return {"127.0.0.1", port_}; }
  std::uint16_t port() const { return port_; }
  std::string BaseUrl() const;  // http://127.0.0.1:PORT/v1
  // POST /_mock/behaviour; `reset` starts from the defaults and zeroes the counters.
  void Configure(const std::string& behaviour, bool reset = false) const;
  boost::json::object Stats() const;
  std::int64_t Counter(const std::string& name) const;  // 0 when never counted

 private:
  MockLlmProcess() = default;

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// tools/mock-secrets on a free port: a Vault (`kind` "vault") or AWS Secrets
// Manager ("aws") double. `extra_args` are its flags (--token, --role-id, ...).
class MockSecretsProcess {
 public:
  static std::unique_ptr<MockSecretsProcess> Start(const std::string& kind,
                                                   const std::vector<std::string>& extra_args = {});
  ~MockSecretsProcess();

  std::uint16_t port() const { return port_; }
  std::string Url() const;  // http://127.0.0.1:PORT
  // POST /_mock/<route> with `body`; throws unless the double answers 200. Returns its JSON reply.
  boost::json::object Control(const std::string& route, const std::string& body) const;
  // POST /_mock/secret: a new version of `name` (vault: {"name","data"}; aws: {"name","string"|"binary"}).
  boost::json::object PutSecret(const std::string& body) const { return Control("secret", body); }
  std::int64_t Counter(const std::string& name) const;  // from GET /_mock/stats

 private:
  MockSecretsProcess() = default;

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// tools/qdrant-double on a free port: Qdrant's REST API over memory, every
// request and response checked against tests/data/qdrant/openapi.json.
// `extra_args`: --api-key KEY.
class QdrantDoubleProcess {
 public:
  static std::unique_ptr<QdrantDoubleProcess> Start(const std::vector<std::string>& extra_args = {});
  ~QdrantDoubleProcess();

  std::uint16_t port() const { return port_; }
  std::string Url() const;  // http://127.0.0.1:PORT
  // GET /_double/state: violations, request counts, each collection's point ids.
  boost::json::object State() const;
  // POST /_double/faults {"faults": [...]} (see the double's header).
  void Faults(const std::string& faults_json) const;
  // The schema violations recorded so far, as text (empty: none).
  std::string Violations() const;
  // How many times `method path` was asked for (path without the query).
  std::int64_t Requests(const std::string& method_and_path) const;

 private:
  QdrantDoubleProcess() = default;

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// The demo trainee's generated password in a server's data directory.
std::string DemoTraineePasswordIn(const std::filesystem::path& data_dir);

// A metric's value from Prometheus text ("name{labels}" must match exactly), or nullopt.
std::optional<double> MetricValue(const std::string& exposition, const std::string& series);

}  // namespace salesboost::testing
