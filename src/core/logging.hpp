// Logger: JSON lines with time, level, message and structured fields.
//
//   logger.Info("request", {{"request_id", id}, {"status", 200}});
//   -> {"time":"2026-11-21T10:00:00.123Z","level":"info","msg":"request","request_id":"…","status":200}
//
// Levels: error = someone must act, warn = degraded but handled, info = lifecycle,
// debug = per request. Thread-safe; copies share the same sink.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.hpp"

namespace spdlog {
class logger;
}

namespace salesboost::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };

Result<LogLevel> ParseLogLevel(std::string_view name);

struct LogField {
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, long long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  LogField(std::string_view k, unsigned v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  LogField(std::string_view k, unsigned long long v) : key(k), value(static_cast<std::uint64_t>(v)) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}

  std::string_view key;
  Value value;
};

using LogFields = std::initializer_list<LogField>;

class Logger {
 public:
  // JSON lines on standard output.
  static Logger Stdout(LogLevel level);
  // JSON lines appended to `out` (for tests). `out` must outlive the logger.
  static Logger ToString(std::string& out, LogLevel level);

  void Debug(std::string_view msg, LogFields fields = {}) const { Log(LogLevel::kDebug, msg, fields); }
  void Info(std::string_view msg, LogFields fields = {}) const { Log(LogLevel::kInfo, msg, fields); }
  void Warn(std::string_view msg, LogFields fields = {}) const { Log(LogLevel::kWarn, msg, fields); }
  void Error(std::string_view msg, LogFields fields = {}) const { Log(LogLevel::kError, msg, fields); }

  void Log(LogLevel level, std::string_view msg, LogFields fields) const;
  bool IsEnabled(LogLevel level) const;
  void Flush() const;

 private:
  explicit Logger(std::shared_ptr<spdlog::logger> impl);
  std::shared_ptr<spdlog::logger> impl_;
};

}  // namespace salesboost::core
