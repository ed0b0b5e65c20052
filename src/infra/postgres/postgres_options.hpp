// Options of the PostgreSQL store.
#pragma once

#include <cstdint>
#include <string>

namespace salesboost::infra {

struct PostgresOptions {
  std::string dsn;                             // libpq connection string or URI (resolved secret; never printed)
  std::int64_t pool_size = 8;                  // connections at most, opened on demand
  std::int64_t connect_timeout_ms = 5'000;     // per connection attempt (libpq rounds up to whole seconds, at least 2)
  std::int64_t statement_timeout_ms = 30'000;  // set per connection; 0 = no limit
  std::int64_t pool_wait_ms = 5'000;           // wait this long for a free connection, then kUnavailable
};

}  // namespace salesboost::infra
