#include "core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <ctime>
#include <mutex>

#include "core/utf8.hpp"

namespace salesboost::core {
namespace {

spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

// Wraps the payload (already `"msg":…,"k":v` JSON members) in an object with time and level.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
    const std::time_t t = secs.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char time_buf[40];
    const auto n = std::strftime(time_buf, sizeof(time_buf), "%Y-%m-%dT%H:%M:%S", &tm);
    const auto level = LevelName(msg.level);
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{}.{:03}Z","level":"{}",{}}})", std::string_view(time_buf, n),
                   millis, level, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

class StringSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit StringSink(std::string& out) : out_(out) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    out_.append(formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  std::string& out_;
};

std::shared_ptr<spdlog::logger> Make(spdlog::sink_ptr sink, LogLevel level) {
  sink->set_formatter(std::make_unique<JsonFormatter>());
  auto logger = std::make_shared<spdlog::logger>("salesboost", std::move(sink));
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::trace);  // one write per line: logs reach pipes and files at once
  return logger;
}

void AppendValue(std::string& out, const LogField::Value& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          AppendJsonString(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.append(v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isfinite(v)) {
            fmt::format_to(std::back_inserter(out), "{}", v);
          } else {
            out.append("null");
          }
        } else {
          char buf[24];
          auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
          out.append(buf, end);
        }
      },
      value);
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  if (name == "off") return LogLevel::kOff;
  return Fail(ErrorCode::kInvalidArgument, "must be one of debug, info, warn, error, off");
}

Logger::Logger(std::shared_ptr<spdlog::logger> impl) : impl_(std::move(impl)) {}

Logger Logger::Stdout(LogLevel level) { return Logger(Make(std::make_shared<spdlog::sinks::stdout_sink_mt>(), level)); }

Logger Logger::ToString(std::string& out, LogLevel level) {
  return Logger(Make(std::make_shared<StringSink>(out), level));
}

bool Logger::IsEnabled(LogLevel level) const { return impl_->should_log(ToSpd(level)); }

void Logger::Log(LogLevel level, std::string_view msg, LogFields fields) const {
  const auto spd_level = ToSpd(level);
  if (!impl_->should_log(spd_level)) return;
  std::string payload;
  payload.reserve(64 + msg.size());
  payload.append("\"msg\":");
  AppendJsonString(payload, msg);
  for (const auto& field : fields) {
    payload.push_back(',');
    AppendJsonString(payload, field.key);
    payload.push_back(':');
    AppendValue(payload, field.value);
  }
  impl_->log(spd_level, std::string_view(payload));
}

void Logger::Flush() const { impl_->flush(); }

}  // namespace salesboost::core
