// ManualClock: a Clock that moves only when told to, so tests set the time
// instead of sleeping. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "core/clock.hpp"

namespace salesboost::core {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  void Advance(std::chrono::system_clock::duration by) { now_.fetch_add(by.count()); }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> now_;
};

}  // namespace salesboost::core
