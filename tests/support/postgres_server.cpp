#include "support/postgres_server.hpp"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace salesboost::testing {
namespace {

const std::filesystem::path kBinDir = "/usr/lib/postgresql/15/bin";

// A loopback port nobody listens on right now.
std::uint16_t FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("postgres harness: socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    throw std::runtime_error("postgres harness: cannot find a free port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

void ChownTree(const std::filesystem::path& root, uid_t uid, gid_t gid) {
  if (chown(root.c_str(), uid, gid) != 0) throw std::runtime_error("postgres harness: cannot chown " + root.string());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (lchown(entry.path().c_str(), uid, gid) != 0) {
      throw std::runtime_error("postgres harness: cannot chown " + entry.path().string());
    }
  }
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Launch() {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  std::filesystem::create_directories(server->dir_.path() / "socket");
  if (geteuid() == 0) {
    // PostgreSQL refuses to run as root.
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) throw std::runtime_error("postgres harness: running as root and no `postgres` user exists");
    ChownTree(server->dir_.path(), user->pw_uid, user->pw_gid);
    server->as_postgres_user_ = true;
  }
  auto init = server->Run("initdb", {"-D", (server->dir_.path() / "data").string(), "-U", "postgres", "--auth=trust",
                                     "-E", "UTF8", "--no-locale", "--no-sync"});
  if (init.exit_code != 0) throw std::runtime_error("postgres harness: initdb failed:\n" + init.out + init.err);
  server->port_ = FreePort();
  server->Start();
  auto created =
      server->Run("createdb", {"-h", "127.0.0.1", "-p", std::to_string(server->port_), "-U", "postgres", "salesboost"});
  if (created.exit_code != 0) throw std::runtime_error("postgres harness: createdb failed:\n" + created.err);
  return server;
}

PostgresServer::~PostgresServer() {
  if (running_) {
    (void)Run("pg_ctl", {"-D", (dir_.path() / "data").string(), "-m", "immediate", "-w", "stop"});
  }
}

CommandResult PostgresServer::Run(const std::string& tool, const std::vector<std::string>& args) const {
  const std::string binary = (kBinDir / tool).string();
  if (!as_postgres_user_) return RunProgram(binary, args, {}, dir_.path());
  std::vector<std::string> wrapped = {"-u", "postgres", "--", binary};
  wrapped.insert(wrapped.end(), args.begin(), args.end());
  return RunProgram("/usr/sbin/runuser", wrapped, {}, dir_.path());
}

void PostgresServer::Start() {
  if (running_) return;
  const std::string options = "-p " + std::to_string(port_) + " -h 127.0.0.1 -k " + (dir_.path() / "socket").string() +
                              " -c fsync=off -c full_page_writes=off" + " -c max_connections=100";
  auto started = Run("pg_ctl", {"-D", (dir_.path() / "data").string(), "-l", (dir_.path() / "server.log").string(),
                                "-o", options, "-w", "-t", "30", "start"});
  if (started.exit_code != 0) {
    throw std::runtime_error("postgres harness: the server did not start:\n" + started.out + started.err + Log());
  }
  running_ = true;
}

void PostgresServer::Stop() {
  if (!running_) return;
  auto stopped = Run("pg_ctl", {"-D", (dir_.path() / "data").string(), "-m", "fast", "-w", "-t", "30", "stop"});
  if (stopped.exit_code != 0) throw std::runtime_error("postgres harness: stop failed:\n" + stopped.err + Log());
  running_ = false;
}

std::string PostgresServer::Dsn(const std::string& database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + database;
}

std::string PostgresServer::CreateDatabase(const std::string& name) {
  auto created = Run("createdb", {"-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", name});
  if (created.exit_code != 0)
    throw std::runtime_error("postgres harness: createdb " + name + " failed:\n" + created.err);
  return Dsn(name);
}

std::string PostgresServer::Psql(const std::string& sql, const std::string& database) const {
  auto ran = Run("psql", {"-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "postgres", "-d", database, "-X", "-A",
                          "-t", "-v", "ON_ERROR_STOP=1", "-c", sql});
  if (ran.exit_code != 0) throw std::runtime_error("psql failed: " + ran.err);
  return ran.out;
}

std::string PostgresServer::Log() const {
  std::ifstream in(dir_.path() / "server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace salesboost::testing
