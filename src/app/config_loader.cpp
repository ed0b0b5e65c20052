#include "app/config_loader.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <toml++/toml.h>

#include "app/settings.hpp"
#include "core/text.hpp"

namespace salesboost::app {
namespace {

constexpr std::string_view kEnvPrefix = "SALESBOOST_";
constexpr std::string_view kConfigFileVar = "SALESBOOST_CONFIG";

struct Loader {
  LoadedConfig loaded;
  ConfigErrors errors;

  void Apply(const Setting& setting, core::Result<SettingValue> value, const std::string& origin) {
    if (!value) {
      errors.push_back({setting.key, value.error().message, origin});
      return;
    }
    if (auto valid = ValidateValue(setting, *value); !valid) {
      errors.push_back({setting.key, valid.error().message, origin});
      return;
    }
    setting.assign(loaded.config, std::move(*value));
    loaded.origins[setting.key] = origin;
  }

  core::Result<SettingValue> FromToml(const Setting& setting, const toml::node& node) {
    switch (setting.kind) {
      case SettingKind::kBool:
        if (auto v = node.value<bool>(); v && node.is_boolean()) return SettingValue(*v);
        return core::Fail(core::ErrorCode::kInvalidArgument, "must be true or false");
      case SettingKind::kInt:
        if (node.is_integer()) return SettingValue(static_cast<std::int64_t>(*node.value<std::int64_t>()));
        return core::Fail(core::ErrorCode::kInvalidArgument, "must be an integer");
      case SettingKind::kString:
      case SettingKind::kSecretRef:
        if (node.is_string()) return SettingValue(*node.value<std::string>());
        return core::Fail(core::ErrorCode::kInvalidArgument, "must be a string");
      case SettingKind::kDouble:
        if (node.is_floating_point() || node.is_integer()) return SettingValue(*node.value<double>());
        return core::Fail(core::ErrorCode::kInvalidArgument, "must be a number");
    }
    return core::Fail(core::ErrorCode::kInternal, "unknown setting kind");
  }

  void ReadFile(const std::filesystem::path& path) {
    const std::string origin = "file " + path.string();
    toml::table root;
    try {
      root = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
      const auto& where = e.source().begin;
      errors.push_back(
          {path.string(), fmt::format("line {}, column {}: {}", where.line, where.column, e.description()), origin});
      return;
    }
    loaded.file = path;
    for (const auto& [section_key, section_node] : root) {
      const auto* section = section_node.as_table();
      if (section == nullptr) {
        errors.push_back({std::string(section_key.str()), "unknown key (options live in [section] tables)", origin});
        continue;
      }
      if (section_key.str() == "providers") {
        ReadProviders(*section, origin);
        continue;
      }
      ReadTable(std::string(section_key.str()), *section, origin);
    }
  }

  void ReadTable(const std::string& prefix, const toml::table& table, const std::string& origin) {
    for (const auto& [name, node] : table) {
      const std::string key = fmt::format("{}.{}", prefix, name.str());
      const auto setting = LookupSetting(key);
      if (!setting) {
        errors.push_back({key, "unknown key", origin});
        continue;
      }
      Apply(*setting, FromToml(*setting, node), origin);
    }
  }

  // [providers.<name>] tables.
  void ReadProviders(const toml::table& providers, const std::string& origin) {
    for (const auto& [name, node] : providers) {
      const std::string key = fmt::format("providers.{}", name.str());
      if (!IsValidProviderName(name.str())) {
        errors.push_back({key, "a provider name is 1 to 32 of a-z, 0-9 and _", origin});
      } else if (const auto* table = node.as_table(); table == nullptr) {
        errors.push_back({key, "must be a table ([providers.<name>])", origin});
      } else {
        loaded.config.providers[std::string(name.str())];
        ReadTable(key, *table, origin);
      }
    }
  }

  void ReadEnvironment(const std::map<std::string, std::string>& environment) {
    for (const auto& [var, value] : environment) {
      if (!var.starts_with(kEnvPrefix) || var.find("__") == std::string::npos) continue;
      const std::string origin = "environment " + var;
      std::optional<Setting> match;
      for (const auto& setting : AllSettings()) {
        if (EnvVarFor(setting) == var) match = setting;
      }
      if (!match) match = ProviderSettingForVariable(var);
      if (!match) {
        errors.push_back({var, "unknown configuration variable", origin});
        continue;
      }
      Apply(*match, ParseSettingText(*match, value), origin);
    }
  }

  // SALESBOOST_PROVIDERS__<NAME>__<FIELD>
  static std::optional<Setting> ProviderSettingForVariable(std::string_view var) {
    constexpr std::string_view kPrefix = "SALESBOOST_PROVIDERS__";
    if (!var.starts_with(kPrefix)) return std::nullopt;
    std::string rest(var.substr(kPrefix.size()));
    const auto cut = rest.find("__");
    if (cut == std::string::npos) return std::nullopt;
    for (auto& c : rest) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return LookupSetting(fmt::format("providers.{}.{}", rest.substr(0, cut), rest.substr(cut + 2)));
  }

  void ReadOverrides(const std::vector<std::pair<std::string, std::string>>& overrides) {
    for (const auto& [key, value] : overrides) {
      const std::string origin = "flag";
      const auto setting = LookupSetting(key);
      if (!setting) {
        errors.push_back({key, "unknown key", origin});
        continue;
      }
      Apply(*setting, ParseSettingText(*setting, value), origin);
    }
  }

  void CheckCrossField() {
    const auto& c = loaded.config;
    if (c.secrets.provider == "file" && c.secrets.dir.empty()) {
      errors.push_back({"secrets.dir", "must be set when secrets.provider is \"file\"", Origin("secrets.dir")});
    }
    if (c.secrets.provider == "env" && c.secrets.env_prefix.empty()) {
      errors.push_back(
          {"secrets.env_prefix", "must not be empty when secrets.provider is \"env\"", Origin("secrets.env_prefix")});
    }
    if (c.secrets.provider == "vault" && !c.secrets.vault_address.starts_with("http://") &&
        !c.secrets.vault_address.starts_with("https://")) {
      errors.push_back({"secrets.vault_address",
                        "must be an http:// or https:// URL when secrets.provider is \"vault\"",
                        Origin("secrets.vault_address")});
    }
    if (c.secrets.provider == "vault" && c.secrets.vault_auth == "approle" && c.secrets.vault_role_id.empty()) {
      errors.push_back({"secrets.vault_role_id", "must be set when secrets.vault_auth is \"approle\"",
                        Origin("secrets.vault_role_id")});
    }
    if (c.secrets.provider == "aws" && c.secrets.aws_region.empty()) {
      errors.push_back(
          {"secrets.aws_region", "must be set when secrets.provider is \"aws\"", Origin("secrets.aws_region")});
    }
    if (!c.secrets.aws_endpoint.empty() && !c.secrets.aws_endpoint.starts_with("http://") &&
        !c.secrets.aws_endpoint.starts_with("https://")) {
      errors.push_back({"secrets.aws_endpoint", "must start with http:// or https://", Origin("secrets.aws_endpoint")});
    }
    if (c.data.dir.empty()) errors.push_back({"data.dir", "must not be empty", Origin("data.dir")});
    if (c.store.sqlite.path.empty()) {
      errors.push_back({"store.sqlite_path", "must not be empty", Origin("store.sqlite_path")});
    }
    for (const auto& [name, provider] : c.providers) {
      for (const auto* field : {"base_url", "model"}) {
        const std::string key = fmt::format("providers.{}.{}", name, field);
        const auto& value = std::string_view(field) == "base_url" ? provider.base_url : provider.model;
        if (value.empty()) errors.push_back({key, "must be set for every provider", Origin(key)});
      }
      if (!provider.base_url.empty() && !provider.base_url.starts_with("http://") &&
          !provider.base_url.starts_with("https://")) {
        const std::string key = fmt::format("providers.{}.base_url", name);
        errors.push_back({key, "must start with http:// or https://", Origin(key)});
      }
    }
    for (const auto& [key, list] : {std::pair<std::string, std::string>{"llm.npc", c.llm.npc},
                                    {"llm.coach", c.llm.coach},
                                    {"llm.evaluator", c.llm.evaluator}}) {
      for (const auto& name : core::SplitCommaList(list)) {
        if (c.providers.contains(name)) continue;
        errors.push_back({key,
                          name == "offline" ? std::string("the offline engine is always last; list providers only")
                                            : fmt::format("no provider named \"{}\" ([providers.{}])", name, name),
                          Origin(key)});
      }
    }
    for (const auto& [key, name] : {std::pair<std::string, std::string>{"knowledge.embeddings", c.knowledge.embeddings},
                                    {"knowledge.ocr_provider", c.knowledge.ocr_provider}}) {
      if (!name.empty() && !c.providers.contains(name)) {
        errors.push_back({key, fmt::format("no provider named \"{}\" ([providers.{}])", name, name), Origin(key)});
      }
    }
    if (c.knowledge.vector_store == "qdrant" && !c.knowledge.qdrant_url.starts_with("http://") &&
        !c.knowledge.qdrant_url.starts_with("https://")) {
      errors.push_back({"knowledge.qdrant_url", "must start with http:// or https://", Origin("knowledge.qdrant_url")});
    }
    if (c.knowledge.child_tokens > c.knowledge.parent_tokens) {
      errors.push_back(
          {"knowledge.child_tokens", "must not exceed knowledge.parent_tokens", Origin("knowledge.child_tokens")});
    }
    if (c.server.websocket.write_queue_max_bytes < c.server.websocket.max_message_bytes) {
      errors.push_back({"websocket.write_queue_max_bytes", "must be at least websocket.max_message_bytes",
                        Origin("websocket.write_queue_max_bytes")});
    }
  }

  std::string Origin(const std::string& key) const {
    const auto it = loaded.origins.find(key);
    return it == loaded.origins.end() ? "default" : it->second;
  }
};

}  // namespace

std::string ConfigError::ToString() const {
  return origin.empty() ? fmt::format("{}: {}", key, message) : fmt::format("{}: {} ({})", key, message, origin);
}

tl::expected<LoadedConfig, ConfigErrors> LoadConfig(const ConfigInput& input) {
  Loader loader;
  std::optional<std::filesystem::path> file = input.file;
  if (!file) {
    if (const auto it = input.environment.find(std::string(kConfigFileVar));
        it != input.environment.end() && !it->second.empty()) {
      file = it->second;
    }
  }
  if (file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec)) {
      loader.errors.push_back({file->string(), "configuration file not found or not a regular file", "--config"});
    } else {
      loader.ReadFile(*file);
    }
  }
  loader.ReadEnvironment(input.environment);
  loader.ReadOverrides(input.overrides);
  if (loader.errors.empty()) loader.CheckCrossField();
  if (!loader.errors.empty()) return tl::unexpected(std::move(loader.errors));
  return std::move(loader.loaded);
}

tl::expected<AppConfig, ConfigErrors> ResolveSecrets(AppConfig config, core::SecretStore& secrets,
                                                     const std::map<std::string, std::string>& origins) {
  ConfigErrors errors;
  std::vector<Setting> settings = AllSettings();
  for (const auto& [name, provider] : config.providers) {
    auto more = ProviderSettings(name);
    settings.insert(settings.end(), more.begin(), more.end());
  }
  for (const auto& setting : settings) {
    if (setting.kind != SettingKind::kSecretRef) continue;
    const auto reference = std::get<std::string>(setting.read(config));
    if (reference.empty()) continue;
    const auto origin_it = origins.find(setting.key);
    const std::string origin = origin_it == origins.end() ? "default" : origin_it->second;
    auto name = core::ParseSecretRef(reference);
    if (!name) {
      errors.push_back({setting.key, name.error().message, origin});
      continue;
    }
    auto value = secrets.Get(*name);
    if (!value) {
      errors.push_back(
          {setting.key, fmt::format("{} (looked up as {})", value.error().message, secrets.Describe(*name)), origin});
      continue;
    }
    setting.assign(config, SettingValue(std::move(*value)));
  }
  if (!errors.empty()) return tl::unexpected(std::move(errors));
  return config;
}

std::string RenderConfig(const LoadedConfig& loaded, const std::map<std::string, bool>& resolved) {
  std::string out = fmt::format("# effective configuration; file: {}\n",
                                loaded.file ? loaded.file->string() : std::string("none (embedded defaults)"));
  std::vector<Setting> settings = AllSettings();
  for (const auto& [name, provider] : loaded.config.providers) {
    auto more = ProviderSettings(name);
    settings.insert(settings.end(), more.begin(), more.end());
  }
  std::string section;
  for (const auto& setting : settings) {
    const std::string table = setting.Section() == "providers" ? setting.key.substr(0, setting.key.rfind('.'))
                                                               : std::string(setting.Section());
    if (table != section) {
      section = table;
      fmt::format_to(std::back_inserter(out), "\n[{}]\n", section);
    }
    const auto origin_it = loaded.origins.find(setting.key);
    std::string note = origin_it == loaded.origins.end() ? "default" : origin_it->second;
    const auto value = setting.read(loaded.config);
    if (setting.kind == SettingKind::kSecretRef && !std::get<std::string>(value).empty()) {
      const auto it = resolved.find(setting.key);
      note += (it != resolved.end() && it->second) ? "; value ***" : "; unresolved";
    }
    fmt::format_to(std::back_inserter(out), "{} = {}  # {}\n", setting.key.substr(section.size() + 1),
                   FormatSettingValue(value), note);
  }
  return out;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

}  // namespace salesboost::app
