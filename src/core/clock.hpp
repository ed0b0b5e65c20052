// Clock: the time port. Production code asks a Clock for the wall time, so
// tests can set it (ManualClock) instead of sleeping. Thread-safe.
#pragma once

#include <atomic>
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

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
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
