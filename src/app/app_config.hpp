// AppConfig: every option of the salesboost binary, grouped per module.
// Filled from defaults < file < environment < flags by LoadConfig (config_loader.hpp);
// the option table with keys, help and bounds is in settings.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "infra/sqlite/sqlite_options.hpp"
#include "server/server_options.hpp"

namespace salesboost::app {

struct DataOptions {
  std::string dir = "var";  // holds the database and indexes; created if missing
};

struct StoreOptions {
  std::string driver = "sqlite";  // only "sqlite" for now
  infra::SqliteOptions sqlite;
  std::int64_t blocking_threads = 4;  // threads for blocking store calls
};

struct LogOptions {
  std::string level = "info";  // debug, info, warn, error, off
  bool access_log = true;      // one JSON line per HTTP request
};

struct SecretsOptions {
  std::string provider = "env";                   // "env" or "file"
  std::string env_prefix = "SALESBOOST_SECRET_";  // env: secret a/b is <prefix>A_B
  std::string dir = "/run/secrets/salesboost";    // file: secret a/b is <dir>/a/b
};

// Fields of secret kind hold a reference ("secret:name") until ResolveSecrets
// replaces it with the value, just before wiring.
struct AppConfig {
  DataOptions data;
  server::ServerOptions server;
  StoreOptions store;
  LogOptions log;
  SecretsOptions secrets;
};

}  // namespace salesboost::app
