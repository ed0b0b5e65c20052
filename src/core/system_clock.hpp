// SystemClock: the Clock that reads the operating system's wall time. Thread-safe.
#pragma once

#include <chrono>

#include "core/clock.hpp"

namespace salesboost::core {

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace salesboost::core
