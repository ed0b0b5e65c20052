#include "support/nginx_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/read_file.hpp"

extern char** environ;

namespace salesboost::testing {
namespace {

bool Accepts(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// A loopback TCP port nothing listens on now.
std::uint16_t UnusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof(addr);
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace

std::unique_ptr<NginxServer> NginxServer::Start(const std::vector<std::uint16_t>& upstream_ports) {
  std::unique_ptr<NginxServer> nginx(new NginxServer());
  const auto& dir = nginx->dir_.path();
  auto site = core::ReadWholeFile(std::filesystem::path(SALESBOOST_SOURCE_DIR) / "deploy/nginx/salesboost.conf");
  if (!site) throw std::runtime_error("deploy/nginx/salesboost.conf cannot be read");
  std::string servers;
  for (const auto port : upstream_ports) {
    servers += "  server 127.0.0.1:" + std::to_string(port) + " max_fails=1 fail_timeout=2s;\n";
  }
  nginx->port_ = UnusedPort();
  std::string rendered = Replace(*site, "{{SERVERS}}\n", servers);
  rendered = Replace(rendered, "{{LISTEN}}", "127.0.0.1:" + std::to_string(nginx->port_));
  std::ofstream(dir / "salesboost.conf") << rendered;
  std::ofstream(dir / "nginx.conf") << "worker_processes 1;\ndaemon off;\nmaster_process on;\n"
                                    << "pid " << (dir / "nginx.pid").string() << ";\n"
                                    << "error_log " << (dir / "error.log").string() << " warn;\n"
                                    << "events { worker_connections 4096; }\nhttp {\n"
                                    << "  access_log off;\n"
                                    << "  client_body_temp_path " << (dir / "body").string() << ";\n"
                                    << "  proxy_temp_path " << (dir / "proxy").string() << ";\n"
                                    << "  include " << (dir / "salesboost.conf").string() << ";\n}\n";
  const std::string prefix = dir.string() + "/";
  const std::string conf = (dir / "nginx.conf").string();
  const std::string error_log = (dir / "error.log").string();
  std::vector<std::string> args = {"nginx", "-p", prefix, "-c", conf, "-e", error_log};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawnp(&nginx->pid_, "nginx", nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("nginx could not be started (is it installed? scripts/install-deps.sh)");
  }
  for (int i = 0; i < 200; ++i) {
    if (Accepts(nginx->port_)) return nginx;
    int status = 0;
    if (::waitpid(nginx->pid_, &status, WNOHANG) == nginx->pid_) {
      nginx->pid_ = -1;
      auto log = core::ReadWholeFile(dir / "error.log");
      throw std::runtime_error("nginx exited: " + (log ? *log : std::string()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("nginx did not listen on port " + std::to_string(nginx->port_));
}

NginxServer::~NginxServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
}

}  // namespace salesboost::testing
