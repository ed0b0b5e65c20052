// IdGenerator: unique opaque ids (request ids, later session and turn ids).
// A port so tests can use predictable ids. Implementations are thread-safe.
#pragma once

#include <memory>
#include <string>

namespace salesboost::core {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  virtual std::string Next() = 0;
};

// 128 random bits from the OS, as 32 lowercase hex characters.
std::unique_ptr<IdGenerator> MakeRandomIdGenerator();

}  // namespace salesboost::core
