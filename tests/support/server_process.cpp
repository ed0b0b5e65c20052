#include "support/server_process.hpp"

#include "client/api_client.hpp"
#include "core/read_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace salesboost::testing {
namespace {

std::string ReadFile(const std::filesystem::path& path) { return core::ReadWholeFile(path).value_or(""); }

std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("SALESBOOST_")) continue;
    env.emplace_back(*e);
  }
  for (const auto& [k, v] : extra) env.push_back(std::string(k).append("=").append(v));
  return env;
}

// Spawns the binary with stdout/stderr redirected to files.
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::filesystem::path& out, const std::filesystem::path& err, const std::filesystem::path& cwd,
            const std::filesystem::path& in = "/dev/null", const char* binary = SALESBOOST_BINARY_PATH) {
  std::vector<std::string> argv_storage;
  argv_storage.emplace_back(binary);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_storage = ChildEnvironment(env);
  std::vector<char*> envp;
  envp.reserve(env_storage.size() + 1);
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv_storage[0]);
  return pid;
}

int DecodeStatus(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// Waits for a child to write its port to `port_file`.
std::uint16_t AwaitPort(pid_t pid, const std::filesystem::path& port_file, bool* exited,
                        const std::function<std::string()>& output) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::filesystem::exists(port_file)) return static_cast<std::uint16_t>(std::stoi(ReadFile(port_file)));
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      *exited = true;
      throw std::runtime_error("the process exited during start-up:\n" + output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("the process did not report its port within 30 s:\n" + output());
}

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("salesboost-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunCommand(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                         const std::filesystem::path& cwd, const std::string& stdin_text) {
  return RunProgram(SALESBOOST_BINARY_PATH, args, env, cwd, stdin_text);
}

CommandResult RunProgram(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env, const std::filesystem::path& cwd,
                         const std::string& stdin_text) {
  TempDir dir;
  const auto out = dir.path() / "stdout";
  const auto err = dir.path() / "stderr";
  const auto in = dir.path() / "stdin";
  std::ofstream(in) << stdin_text;
  const pid_t pid = Spawn(args, env, out, err, cwd, in, binary.c_str());
  int status = 0;
  waitpid(pid, &status, 0);
  return CommandResult{DecodeStatus(status), ReadFile(out), ReadFile(err)};
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::vector<std::string>& extra_args,
                                                    const std::map<std::string, std::string>& env) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  const auto port_file = server->dir_.path() / "port";
  std::vector<std::string> args = {
      "serve", "--port", "0", "--port-file", port_file.string(), "--set", "data.dir=" + server->data_dir().string(),
      // Cheap password hashing keeps start-up (which hashes) fast under the sanitizers.
      "--set", "auth.password_hash_memory_kib=64", "--set", "auth.password_hash_iterations=1",
      // Tests log in often from one address; the login limit has its own test.
      "--set", "limits.login_burst=100000"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server->pid_ = Spawn(args, env, server->dir_.path() / "stdout", server->dir_.path() / "stderr", {});
  server->port_ = AwaitPort(server->pid_, port_file, &server->exited_, [&server] { return server->Output(); });
  return server;
}

std::unique_ptr<MockLlmProcess> MockLlmProcess::Start(const std::string& behaviour,
                                                      const std::vector<std::string>& extra_args) {
  std::unique_ptr<MockLlmProcess> mock(new MockLlmProcess());
  const auto port_file = mock->dir_.path() / "port";
  std::vector<std::string> args = {"--port", "0", "--port-file", port_file.string(), "--behaviour", behaviour};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  mock->pid_ = Spawn(args, {}, mock->dir_.path() / "stdout", mock->dir_.path() / "stderr", {}, "/dev/null",
                     MOCK_LLM_BINARY_PATH);
  bool exited = false;
  mock->port_ = AwaitPort(mock->pid_, port_file, &exited, [&mock] {
    return ReadFile(mock->dir_.path() / "stdout") + ReadFile(mock->dir_.path() / "stderr");
  });
  return mock;
}

MockLlmProcess::~MockLlmProcess() {
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string MockLlmProcess::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void MockLlmProcess::Configure(const std::string& behaviour, bool reset) const {
  auto reply = client::Fetch(endpoint(), "POST", reset ? "/_mock/behaviour?reset=1" : "/_mock/behaviour", behaviour);
  if (!reply || reply->status != 200) {
    throw std::runtime_error("mock-llm refused the behaviour: " + (reply ? reply->body : reply.error().message));
  }
}

boost::json::object MockLlmProcess::Stats() const {
  auto reply = client::Fetch(endpoint(), "GET", "/_mock/stats");
  if (!reply || reply->status != 200) throw std::runtime_error("mock-llm gave no stats");
  return boost::json::parse(reply->body).as_object();
}

std::int64_t MockLlmProcess::Counter(const std::string& name) const {
  const auto stats = Stats();
  const auto* value = stats.if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

std::unique_ptr<MockSecretsProcess> MockSecretsProcess::Start(const std::string& kind,
                                                              const std::vector<std::string>& extra_args) {
  std::unique_ptr<MockSecretsProcess> mock(new MockSecretsProcess());
  const auto port_file = mock->dir_.path() / "port";
  std::vector<std::string> args = {"--kind", kind, "--port", "0", "--port-file", port_file.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  mock->pid_ = Spawn(args, {}, mock->dir_.path() / "stdout", mock->dir_.path() / "stderr", {}, "/dev/null",
                     MOCK_SECRETS_BINARY_PATH);
  bool exited = false;
  mock->port_ = AwaitPort(mock->pid_, port_file, &exited, [&mock] {
    return ReadFile(mock->dir_.path() / "stdout") + ReadFile(mock->dir_.path() / "stderr");
  });
  return mock;
}

MockSecretsProcess::~MockSecretsProcess() {
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string MockSecretsProcess::Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

boost::json::object MockSecretsProcess::Control(const std::string& route, const std::string& body) const {
  auto reply = client::Fetch({"127.0.0.1", port_}, "POST", "/_mock/" + route, body);
  if (!reply || reply->status != 200) {
    throw std::runtime_error("mock-secrets refused /_mock/" + route + ": " +
                             (reply ? reply->body : reply.error().message));
  }
  return boost::json::parse(reply->body).as_object();
}

std::int64_t MockSecretsProcess::Counter(const std::string& name) const {
  auto reply = client::Fetch({"127.0.0.1", port_}, "GET", "/_mock/stats");
  if (!reply || reply->status != 200) throw std::runtime_error("mock-secrets gave no stats");
  const auto stats = boost::json::parse(reply->body).as_object();
  const auto* value = stats.if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

std::unique_ptr<QdrantDoubleProcess> QdrantDoubleProcess::Start(const std::vector<std::string>& extra_args) {
  std::unique_ptr<QdrantDoubleProcess> mock(new QdrantDoubleProcess());
  const auto port_file = mock->dir_.path() / "port";
  const std::string source = SALESBOOST_SOURCE_DIR;
  std::vector<std::string> args = {source + "/tools/qdrant-double/qdrant_double.py",
                                   "--openapi",
                                   source + "/tests/data/qdrant/openapi.json",
                                   "--port",
                                   "0",
                                   "--port-file",
                                   port_file.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  mock->pid_ =
      Spawn(args, {}, mock->dir_.path() / "stdout", mock->dir_.path() / "stderr", {}, "/dev/null", "/usr/bin/python3");
  bool exited = false;
  mock->port_ = AwaitPort(mock->pid_, port_file, &exited, [&mock] {
    return ReadFile(mock->dir_.path() / "stdout") + ReadFile(mock->dir_.path() / "stderr");
  });
  return mock;
}

QdrantDoubleProcess::~QdrantDoubleProcess() {
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string QdrantDoubleProcess::Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

boost::json::object QdrantDoubleProcess::State() const {
  auto reply = client::Fetch({"127.0.0.1", port_}, "GET", "/_double/state");
  if (!reply || reply->status != 200) throw std::runtime_error("qdrant double gave no state");
  return boost::json::parse(reply->body).as_object();
}

void QdrantDoubleProcess::Faults(const std::string& faults_json) const {
  auto reply = client::Fetch({"127.0.0.1", port_}, "POST", "/_double/faults", faults_json);
  if (!reply || reply->status != 200) throw std::runtime_error("qdrant double refused the faults");
}

std::string QdrantDoubleProcess::Violations() const {
  const auto state = State();
  const auto& violations = state.at("violations").as_array();
  return violations.empty() ? std::string() : boost::json::serialize(violations);
}

std::int64_t QdrantDoubleProcess::Requests(const std::string& method_and_path) const {
  const auto state = State();
  const auto* count = state.at("requests").as_object().if_contains(method_and_path);
  return count != nullptr ? count->to_number<std::int64_t>() : 0;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void ServerProcess::Signal(int signal) { kill(pid_, signal); }

std::optional<int> ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return DecodeStatus(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string DemoTraineePasswordIn(const std::filesystem::path& data_dir) {
  std::string password = ReadFile(data_dir / "demo-trainee.password");
  while (!password.empty() && password.back() == '\n') password.pop_back();
  return password;
}

std::string ServerProcess::DemoTraineePassword() const { return DemoTraineePasswordIn(data_dir()); }

std::string ServerProcess::Login(const std::string& username, const std::string& password) const {
  client::ApiClient api(endpoint());
  return api.Login(username, password) ? api.token() : std::string();
}

std::string ServerProcess::LogOutput() const { return ReadFile(dir_.path() / "stdout"); }

std::string ServerProcess::Output() const {
  return ReadFile(dir_.path() / "stdout") + ReadFile(dir_.path() / "stderr");
}

std::optional<double> MetricValue(const std::string& exposition, const std::string& series) {
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace salesboost::testing
