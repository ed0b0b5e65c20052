// LoadConfig: builds the effective AppConfig from embedded defaults, then the
// config file, then SALESBOOST_<SECTION>__<KEY> environment variables, then
// command-line overrides, each layer winning over the previous one. Every bad
// or unknown key is reported (not just the first), each naming the key and
// where its value came from.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

#include "app/app_config.hpp"
#include "core/secret_store.hpp"

namespace salesboost::app {

struct ConfigInput {
  std::optional<std::filesystem::path> file;                   // --config; else SALESBOOST_CONFIG; else none
  std::map<std::string, std::string> environment;              // a snapshot of the process environment
  std::vector<std::pair<std::string, std::string>> overrides;  // key -> value from flags, in order
};

struct ConfigError {
  std::string key;      // "server.port", or the file name for a syntax error
  std::string message;  // what is wrong
  std::string origin;   // "file x.toml", "environment SALESBOOST_SERVER__PORT", "flag --set"

  std::string ToString() const;
};

struct LoadedConfig {
  AppConfig config;
  std::optional<std::filesystem::path> file;   // the file that was read, if any
  std::map<std::string, std::string> origins;  // key -> where its value came from ("default" if absent)
};

using ConfigErrors = std::vector<ConfigError>;

tl::expected<LoadedConfig, ConfigErrors> LoadConfig(const ConfigInput& input);

// Replaces every secret reference in `config` with its value from `secrets`.
// On failure returns one error per unresolvable reference; the message never
// contains a secret value.
tl::expected<AppConfig, ConfigErrors> ResolveSecrets(AppConfig config, core::SecretStore& secrets,
                                                     const std::map<std::string, std::string>& origins);

// The effective configuration as TOML, each line commented with its origin;
// secret references are shown, never their values. `resolved` marks references
// that resolved (shown as "***").
std::string RenderConfig(const LoadedConfig& loaded, const std::map<std::string, bool>& resolved);

// The process environment as a map (for ConfigInput and the env secret store).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace salesboost::app
