// Options of the SQLite store.
#pragma once

#include <cstdint>
#include <string>

namespace salesboost::infra {

struct SqliteOptions {
  std::string path = "salesboost.db";    // relative paths are under the data directory
  std::int64_t busy_timeout_ms = 5'000;  // wait this long for a lock held by another process
};

}  // namespace salesboost::infra
