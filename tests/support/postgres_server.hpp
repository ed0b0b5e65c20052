// PostgresServer: a throwaway PostgreSQL 15 for integration and end-to-end
// tests. Start() runs initdb in a fresh temporary directory (trust auth on
// loopback, UTF-8, C collation, fsync off), then starts the server on a free
// loopback port with its socket directory inside the temporary directory, and
// creates the database "salesboost". When the tests run as root the server runs
// as the `postgres` system user (runuser), which owns the directory.
//
// Stop() and Start() stop and restart the same cluster on the same port (for
// outage tests); the destructor stops it and removes the directory. Start-up
// failures throw std::runtime_error with the server's log, so a suite fails
// rather than skips. Not thread-safe: one owner drives it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/server_process.hpp"

namespace salesboost::testing {

class PostgresServer {
 public:
  // Initialises and starts a cluster; throws when it cannot.
  static std::unique_ptr<PostgresServer> Launch();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Stops the server (fast shutdown: open connections are cut). Idempotent.
  void Stop();
  // Starts the stopped server again on the same port; throws when it cannot.
  void Start();
  bool IsRunning() const { return running_; }

  std::uint16_t port() const { return port_; }
  // A libpq key/value DSN for `database` on this server.
  std::string Dsn(const std::string& database = "salesboost") const;
  // Creates an empty database (throws when it cannot) and returns its DSN.
  std::string CreateDatabase(const std::string& name);
  // Runs SQL through psql on `database`; returns psql's stdout (unaligned, tuples only). Throws on failure.
  std::string Psql(const std::string& sql, const std::string& database = "salesboost") const;
  // The server's log so far.
  std::string Log() const;

 private:
  PostgresServer() = default;
  CommandResult Run(const std::string& tool, const std::vector<std::string>& args) const;

  TempDir dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
  bool as_postgres_user_ = false;
};

}  // namespace salesboost::testing
