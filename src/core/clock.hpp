// Clock: the time port. Production code asks a Clock for the wall time
// (SystemClock), so tests can set it (ManualClock) instead of sleeping.
// Implementations are thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace salesboost::core {

// "2026-11-22T09:15:37Z": UTC to the second, as stored and served everywhere.
std::string IsoSeconds(std::chrono::system_clock::time_point time);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

}  // namespace salesboost::core
