// The option table: every configurable key, described as data (kind, bounds,
// help), bound to its AppConfig field. The config loader, `config check`, the
// environment mapping and the shipped config/salesboost.toml all derive from it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/app_config.hpp"
#include "core/result.hpp"

namespace salesboost::app {

enum class SettingKind { kBool, kInt, kString, kSecretRef, kDouble };

using SettingValue = std::variant<bool, std::int64_t, std::string, double>;

struct Setting {
  std::string key;   // "section.name"
  std::string help;  // one line
  SettingKind kind = SettingKind::kString;
  std::int64_t min = 0;  // kInt and kDouble bounds, inclusive
  std::int64_t max = 0;
  std::vector<std::string> choices;  // kString: allowed values; empty means any
  std::function<void(AppConfig&, SettingValue)> assign;
  std::function<SettingValue(const AppConfig&)> read;

  std::string_view Section() const { return std::string_view(key).substr(0, key.find('.')); }
  std::string_view Name() const { return std::string_view(key).substr(key.find('.') + 1); }
};

const std::vector<Setting>& AllSettings();
const Setting* FindSetting(std::string_view key);

// The settings of one named provider, keys "providers.<name>.<field>"
// (a [providers.<name>] table in the file). Names are [a-z0-9_]{1,32}.
std::vector<Setting> ProviderSettings(const std::string& name);
bool IsValidProviderName(std::string_view name);
// A setting of the table or of a provider; nullopt when unknown.
std::optional<Setting> LookupSetting(std::string_view key);

// SALESBOOST_<SECTION>__<NAME>, upper-cased; a provider's is
// SALESBOOST_PROVIDERS__<PROVIDER>__<FIELD>.
std::string EnvVarFor(const Setting& setting);

// Checks kind-specific bounds; the message names the rule, not the key.
core::Result<void> ValidateValue(const Setting& setting, const SettingValue& value);

// Parses text from the environment or a flag according to the setting's kind.
core::Result<SettingValue> ParseSettingText(const Setting& setting, std::string_view text);

// The value as a TOML literal.
std::string FormatSettingValue(const SettingValue& value);

}  // namespace salesboost::app
