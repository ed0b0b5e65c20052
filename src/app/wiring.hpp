// Building blocks the subcommands share: configuration with its errors
// reported, the secret store and the store chosen by configuration.
#pragma once

#include <memory>
#include <optional>

#include "app/config_loader.hpp"
#include "core/blocking_pool.hpp"
#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/secret_access_listener.hpp"
#include "core/secret_store.hpp"
#include "llm/provider.hpp"
#include "storage/store.hpp"

namespace salesboost::app {

// Loads the configuration; on failure prints one "config error:" line per
// problem to stderr and returns nullopt.
std::optional<LoadedConfig> LoadOrReport(const ConfigInput& input);

// The store of secrets.provider (env, file, vault, aws) behind a cache
// (secrets.cache_ttl_s, stale values on provider errors). Every Get reports a
// SecretAccess to `listener` or, when it is null, one "secret_access" line to
// `logger`, and is counted in salesboost_secret_reads_total{provider,source,
// outcome} when `metrics` is given. The Vault token and secret_id and the AWS
// credentials are read from `environment` (or the files the options name).
// `listener` and `metrics` must outlive the store.
std::unique_ptr<core::SecretStore> MakeSecretStore(const SecretsOptions& options,
                                                   const std::map<std::string, std::string>& environment,
                                                   const core::Logger& logger,
                                                   core::SecretAccessListener* listener = nullptr,
                                                   core::MetricsRegistry* metrics = nullptr);

// Resolves secret references; on failure prints one line per problem.
std::optional<AppConfig> ResolveOrReport(const LoadedConfig& loaded, core::SecretStore& secrets);

// LoadOrReport, then the configured secret store and ResolveOrReport: the
// configuration a command runs with, or nullopt after printing why not.
// Secret accesses are logged at warn level only (failures, stale values), so
// a command's output stays its own.
std::optional<AppConfig> LoadResolvedOrReport(const ConfigInput& input);

// Opens the configured store (creating data.dir if needed): SQLite or
// PostgreSQL (store.driver). Its metrics go to `metrics` when given.
core::Result<std::unique_ptr<storage::Store>> OpenStore(const AppConfig& config, core::BlockingPool& pool,
                                                        core::MetricsRegistry* metrics = nullptr);

// OpenStore, then applies pending migrations; for command-line tools. On
// failure prints "error: ..." to stderr and returns nullptr.
std::unique_ptr<storage::Store> OpenMigratedStoreOrReport(const AppConfig& config, core::BlockingPool& pool);

// The [providers.*] tables with the [llm] retry and breaker options, for llm::ProviderSet.
std::vector<llm::ProviderConfig> ProviderConfigs(const AppConfig& config);

}  // namespace salesboost::app
