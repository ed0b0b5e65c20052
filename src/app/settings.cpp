#include "app/settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/secret_store.hpp"
#include "core/utf8.hpp"

namespace salesboost::app {
namespace {

constexpr std::int64_t kMiB = std::int64_t{1} << 20;
constexpr std::int64_t kGiB = std::int64_t{1} << 30;
constexpr std::int64_t kDay = std::int64_t{24} * 3600 * 1000;

// Binds a field through an accessor usable on const and non-const AppConfig:
//   [](auto& c) -> auto& { return c.server.port; }
template <typename T, typename Access>
void Bind(Setting& s, Access access) {
  s.assign = [access](AppConfig& c, SettingValue v) { access(c) = std::get<T>(std::move(v)); };
  s.read = [access](const AppConfig& c) { return SettingValue(access(c)); };
}

Setting Describe(std::string key, std::string help, SettingKind kind) {
  Setting s;
  s.key = std::move(key);
  s.help = std::move(help);
  s.kind = kind;
  return s;
}

template <typename Access>
Setting Int(std::string key, std::string help, std::int64_t min, std::int64_t max, Access access) {
  Setting s = Describe(std::move(key), std::move(help), SettingKind::kInt);
  s.min = min;
  s.max = max;
  Bind<std::int64_t>(s, access);
  return s;
}

template <typename Access>
Setting Bool(std::string key, std::string help, Access access) {
  Setting s = Describe(std::move(key), std::move(help), SettingKind::kBool);
  Bind<bool>(s, access);
  return s;
}

template <typename Access>
Setting String(std::string key, std::string help, std::vector<std::string> choices, Access access) {
  Setting s = Describe(std::move(key), std::move(help), SettingKind::kString);
  s.choices = std::move(choices);
  Bind<std::string>(s, access);
  return s;
}

template <typename Access>
Setting Secret(std::string key, std::string help, Access access) {
  Setting s = Describe(std::move(key), std::move(help), SettingKind::kSecretRef);
  Bind<std::string>(s, access);
  return s;
}

// `path` is a member path, not an expression, so it cannot be parenthesised.
#define SB_FIELD(path) \
  [](auto& c) -> auto& { return c.path; }  // NOLINT(bugprone-macro-parentheses)

std::vector<Setting> MakeSettings() {
  std::vector<Setting> s;
  s.push_back(String("data.dir", "directory for the database and indexes; created if missing", {}, SB_FIELD(data.dir)));

  s.push_back(String("server.host", "address to listen on", {}, SB_FIELD(server.host)));
  s.push_back(Int("server.port", "TCP port; 0 picks a free one", 0, 65535, SB_FIELD(server.port)));
  s.push_back(Int("server.io_threads", "I/O threads; 0 means one per CPU core", 0, 256, SB_FIELD(server.io_threads)));
  s.push_back(Int("server.body_limit_bytes", "largest request body; larger gets 413", 1024, kGiB,
                  SB_FIELD(server.body_limit_bytes)));
  s.push_back(Int("server.header_limit_bytes", "largest request header block; larger gets 431", 1024, kMiB,
                  SB_FIELD(server.header_limit_bytes)));
  s.push_back(Int("server.header_timeout_ms", "time allowed to receive a request's headers", 100, kDay,
                  SB_FIELD(server.header_timeout_ms)));
  s.push_back(Int("server.body_timeout_ms", "time allowed to receive a request's body", 100, kDay,
                  SB_FIELD(server.body_timeout_ms)));
  s.push_back(Int("server.idle_timeout_ms", "keep-alive connection idle time before it is closed", 100, kDay,
                  SB_FIELD(server.idle_timeout_ms)));
  s.push_back(Int("server.shutdown_deadline_ms", "on SIGTERM, in-flight work may finish within this", 0, kDay,
                  SB_FIELD(server.shutdown_deadline_ms)));
  s.push_back(Secret("server.metrics_token", "secret reference for a bearer token guarding /metrics; empty = open",
                     SB_FIELD(server.metrics_token)));

  s.push_back(Int("websocket.max_message_bytes", "largest client message; larger closes with 1009", 128, 64 * kMiB,
                  SB_FIELD(server.websocket.max_message_bytes)));
  s.push_back(Int("websocket.ping_interval_ms",
                  "keep-alive ping after this long without traffic; silent for two intervals = dropped", 100, kDay,
                  SB_FIELD(server.websocket.ping_interval_ms)));
  s.push_back(Int("websocket.idle_timeout_ms", "no client message for this long closes with 4000", 100, kDay,
                  SB_FIELD(server.websocket.idle_timeout_ms)));
  s.push_back(Int("websocket.write_queue_max_messages", "outgoing messages queued per socket before 4001", 1, 1'000'000,
                  SB_FIELD(server.websocket.write_queue_max_messages)));
  s.push_back(Int("websocket.write_queue_max_bytes", "outgoing bytes queued per socket before 4001", 1024, kGiB,
                  SB_FIELD(server.websocket.write_queue_max_bytes)));
  s.push_back(Int("websocket.socket_send_buffer_bytes", "SO_SNDBUF per socket; 0 keeps the kernel default", 0,
                  64 * kMiB, SB_FIELD(server.websocket.socket_send_buffer_bytes)));

  s.push_back(String("websocket.allowed_origins",
                     "comma-separated Origins allowed to open /ws (e.g. \"https://app.example.com\"); empty: any", {},
                     SB_FIELD(websocket_app.allowed_origins)));

  s.push_back(String("store.driver", "database engine", {"sqlite"}, SB_FIELD(store.driver)));
  s.push_back(
      String("store.sqlite_path", "SQLite file; relative paths are under data.dir", {}, SB_FIELD(store.sqlite.path)));
  s.push_back(Int("store.busy_timeout_ms", "wait this long for a database lock", 0, kDay,
                  SB_FIELD(store.sqlite.busy_timeout_ms)));
  s.push_back(Int("store.blocking_threads", "threads that run blocking database calls", 1, 64,
                  SB_FIELD(store.blocking_threads)));

  s.push_back(String("log.level", "debug, info, warn, error or off", {"debug", "info", "warn", "error", "off"},
                     SB_FIELD(log.level)));
  s.push_back(Bool("log.access_log", "one JSON line per HTTP request", SB_FIELD(log.access_log)));

  s.push_back(Secret("auth.jwt_signing_key",
                     "secret reference for the token signing key (32+ bytes); empty = generated once, kept in data.dir",
                     SB_FIELD(auth.jwt_signing_key)));
  s.push_back(Int("auth.token_ttl_ms", "lifetime of a login token", 60'000, 30 * kDay, SB_FIELD(auth.token_ttl_ms)));
  s.push_back(Int("auth.password_hash_memory_kib", "argon2id memory per password hash", 8,
                  std::int64_t{4} * 1024 * 1024, SB_FIELD(auth.password_hash_memory_kib)));
  s.push_back(Int("auth.password_hash_iterations", "argon2id passes per password hash", 1, 100,
                  SB_FIELD(auth.password_hash_iterations)));
  s.push_back(Secret("auth.bootstrap_admin_password",
                     "secret reference; at start, creates user \"admin\" with it if the tenant has no admin",
                     SB_FIELD(auth.bootstrap_admin_password)));
  s.push_back(Bool("auth.demo_trainee", "create user \"trainee\" with a generated password at first start",
                   SB_FIELD(auth.demo_trainee)));

  s.push_back(Bool("catalog.import_demo", "import the shipped demo courses when the tenant has no course",
                   SB_FIELD(catalog.import_demo)));

  s.push_back(Int("limits.login_per_minute", "login attempts per client address per minute (sustained)", 1, 1'000'000,
                  SB_FIELD(limits.login_per_minute)));
  s.push_back(Int("limits.login_burst", "login attempts a client address may make at once", 1, 1'000'000,
                  SB_FIELD(limits.login_burst)));
  s.push_back(Int("limits.assist_per_minute", "classify and assist calls per user per minute (sustained)", 1, 1'000'000,
                  SB_FIELD(limits.assist_per_minute)));
  s.push_back(Int("limits.assist_burst", "classify and assist calls a user may make at once", 1, 1'000'000,
                  SB_FIELD(limits.assist_burst)));
  s.push_back(Int("limits.turn_per_minute", "turns per user per minute (sustained)", 1, 1'000'000,
                  SB_FIELD(limits.turn_per_minute)));
  s.push_back(Int("limits.turn_burst", "turns a user may send at once", 1, 1'000'000, SB_FIELD(limits.turn_burst)));
  s.push_back(
      Int("limits.turn_max_chars", "characters in one turn's text", 1, 100'000, SB_FIELD(limits.turn_max_chars)));
  s.push_back(Int("limits.turn_queue", "turns waiting per session behind the running one", 0, 1000,
                  SB_FIELD(limits.turn_queue)));
  s.push_back(Int("conversation.turn_deadline_ms", "a whole turn, from leaving the queue to its commit", 100, 3'600'000,
                  SB_FIELD(conversation.turn_deadline_ms)));
  s.push_back(Int("conversation.part_deadline_ms", "each part: customer reply, coach, compliance, evaluation", 10,
                  3'600'000, SB_FIELD(conversation.part_deadline_ms)));
  s.push_back(Int("conversation.npc_delta_interval_ms", "pause between streamed deltas of the offline customer", 0,
                  10'000, SB_FIELD(conversation.npc_delta_interval_ms)));
  s.push_back(String("conversation.banned_words", "comma-separated words the compliance check flags", {},
                     SB_FIELD(conversation.banned_words)));

  s.push_back(
      String("secrets.provider", "where secret references are resolved", {"env", "file"}, SB_FIELD(secrets.provider)));
  s.push_back(String("secrets.env_prefix", "env provider: secret a/b is the variable <prefix>A_B", {},
                     SB_FIELD(secrets.env_prefix)));
  s.push_back(String("secrets.dir", "file provider: secret a/b is the file <dir>/a/b", {}, SB_FIELD(secrets.dir)));
  return s;
}

#undef SB_FIELD

}  // namespace

const std::vector<Setting>& AllSettings() {
  static const std::vector<Setting> kSettings = MakeSettings();
  return kSettings;
}

const Setting* FindSetting(std::string_view key) {
  const auto& all = AllSettings();
  const auto it = std::find_if(all.begin(), all.end(), [key](const Setting& s) { return s.key == key; });
  return it == all.end() ? nullptr : &*it;
}

std::string EnvVarFor(const Setting& setting) {
  std::string var = "SALESBOOST_";
  for (char c : setting.Section()) var.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  var.append("__");
  for (char c : setting.Name()) var.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return var;
}

core::Result<void> ValidateValue(const Setting& setting, const SettingValue& value) {
  switch (setting.kind) {
    case SettingKind::kInt: {
      const auto v = std::get<std::int64_t>(value);
      if (v < setting.min || v > setting.max) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          fmt::format("must be between {} and {} (got {})", setting.min, setting.max, v));
      }
      return core::Ok();
    }
    case SettingKind::kString: {
      const auto& v = std::get<std::string>(value);
      if (!core::IsValidUtf8(v)) return core::Fail(core::ErrorCode::kInvalidArgument, "must be valid UTF-8");
      if (!setting.choices.empty() &&
          std::find(setting.choices.begin(), setting.choices.end(), v) == setting.choices.end()) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          fmt::format("must be one of {} (got \"{}\")", fmt::join(setting.choices, ", "), v));
      }
      return core::Ok();
    }
    case SettingKind::kSecretRef: {
      const auto& v = std::get<std::string>(value);
      if (v.empty()) return core::Ok();
      if (auto name = core::ParseSecretRef(v); !name) return core::Fail(name.error());
      return core::Ok();
    }
    case SettingKind::kBool:
      return core::Ok();
  }
  return core::Ok();
}

core::Result<SettingValue> ParseSettingText(const Setting& setting, std::string_view text) {
  switch (setting.kind) {
    case SettingKind::kBool:
      if (text == "true" || text == "1" || text == "yes" || text == "on") return SettingValue(true);
      if (text == "false" || text == "0" || text == "no" || text == "off") return SettingValue(false);
      return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("must be true or false (got \"{}\")", text));
    case SettingKind::kInt: {
      std::int64_t v = 0;
      const auto* end = text.data() + text.size();
      const auto [ptr, ec] = std::from_chars(text.data(), end, v);
      if (text.empty() || ec != std::errc() || ptr != end) {
        return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("must be an integer (got \"{}\")", text));
      }
      return SettingValue(v);
    }
    case SettingKind::kString:
    case SettingKind::kSecretRef:
      return SettingValue(std::string(text));
  }
  return core::Fail(core::ErrorCode::kInternal, "unknown setting kind");
}

std::string FormatSettingValue(const SettingValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else {
          std::string out;
          core::AppendJsonString(out, v);  // JSON string escapes are valid TOML basic-string escapes
          return out;
        }
      },
      value);
}

}  // namespace salesboost::app
