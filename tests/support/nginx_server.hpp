// Runs nginx in front of SalesBoost instances for cluster tests: the site
// configuration operators deploy (deploy/nginx/salesboost.conf) rendered with
// a free loopback port and the instances' ports, in a temporary directory.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "support/server_process.hpp"

namespace salesboost::testing {

class NginxServer {
 public:
  // Starts nginx balancing over 127.0.0.1:<port> for each of `upstream_ports`;
  // throws std::runtime_error (with nginx's log) when it cannot start.
  static std::unique_ptr<NginxServer> Start(const std::vector<std::uint16_t>& upstream_ports);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::filesystem::path error_log() const { return dir_.path() / "error.log"; }

 private:
  NginxServer() = default;

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace salesboost::testing
