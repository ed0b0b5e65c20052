#include "app/wiring.hpp"

#include <cstdio>
#include <filesystem>

#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "infra/postgres/postgres_store.hpp"
#include "infra/secrets/aws_secret_store.hpp"
#include "infra/secrets/caching_secret_store.hpp"
#include "infra/secrets/env_secret_store.hpp"
#include "infra/secrets/file_secret_store.hpp"
#include "infra/secrets/vault_secret_store.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "storage/migration.hpp"

namespace salesboost::app {
namespace {

std::string ValueOf(const std::map<std::string, std::string>& environment, const std::string& name) {
  const auto it = environment.find(name);
  return it == environment.end() ? std::string() : it->second;
}

// Hands each access to the audit listener and counts it in
// salesboost_secret_reads_total{provider,source,outcome}.
class CountingListener final : public core::SecretAccessListener {
 public:
  CountingListener(core::SecretAccessListener& audit, core::MetricsRegistry* metrics)
      : audit_(audit),
        reads_(metrics == nullptr ? nullptr
                                  : &metrics->AddCounter("salesboost_secret_reads_total",
                                                         "Secret reads by provider, source (backend, cache, stale) "
                                                         "and outcome",
                                                         {"provider", "source", "outcome"})) {}
  void OnSecretAccess(const core::SecretAccess& access) noexcept override {
    if (reads_ != nullptr) {
      reads_->With({access.provider, core::SecretSourceName(access.source), core::SecretOutcomeName(access.outcome)})
          .Inc();
    }
    audit_.OnSecretAccess(access);
  }

 private:
  core::SecretAccessListener& audit_;
  core::Family<core::Counter>* reads_;
};

// The caching store with the clock and listeners it refers to.
class ConfiguredSecretStore final : public core::SecretStore {
 public:
  ConfiguredSecretStore(std::unique_ptr<core::SecretStore> backend, const SecretsOptions& options,
                        const core::Logger& logger, core::SecretAccessListener* listener,
                        core::MetricsRegistry* metrics)
      : default_listener_(logger),
        counting_(listener != nullptr ? *listener : default_listener_, metrics),
        cache_(std::move(backend), {.ttl = std::chrono::seconds(options.cache_ttl_s), .provider = options.provider},
               clock_, counting_, logger) {}

  core::Result<std::string> Get(std::string_view name) override { return cache_.Get(name); }
  core::Result<std::string> GetFresh(std::string_view name) override { return cache_.GetFresh(name); }
  std::string Describe(std::string_view name) const override { return cache_.Describe(name); }

 private:
  core::SystemClock clock_;
  core::LoggingSecretAccessListener default_listener_;
  CountingListener counting_;
  infra::CachingSecretStore cache_;
};

void Report(const ConfigErrors& errors) {
  for (const auto& error : errors) std::fprintf(stderr, "config error: %s\n", error.ToString().c_str());
}

}  // namespace

std::optional<LoadedConfig> LoadOrReport(const ConfigInput& input) {
  auto loaded = LoadConfig(input);
  if (!loaded) {
    Report(loaded.error());
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::unique_ptr<core::SecretStore> MakeSecretStore(const SecretsOptions& options,
                                                   const std::map<std::string, std::string>& environment,
                                                   const core::Logger& logger, core::SecretAccessListener* listener,
                                                   core::MetricsRegistry* metrics) {
  static const core::SystemClock kClock;  // stateless; the remote stores time tokens and signatures with it
  std::unique_ptr<core::SecretStore> backend;
  const auto timeout = std::chrono::milliseconds(options.timeout_ms);
  if (options.provider == "file") {
    backend = std::make_unique<infra::FileSecretStore>(options.dir);
  } else if (options.provider == "vault") {
    backend = std::make_unique<infra::VaultSecretStore>(
        infra::VaultOptions{.address = options.vault_address,
                            .mount = options.vault_mount,
                            .namespace_name = options.vault_namespace,
                            .auth = options.vault_auth,
                            .token = ValueOf(environment, options.vault_token_env),
                            .token_file = options.vault_token_file,
                            .role_id = options.vault_role_id,
                            .secret_id = ValueOf(environment, options.vault_secret_id_env),
                            .secret_id_file = options.vault_secret_id_file,
                            .approle_mount = options.vault_approle_mount,
                            .default_field = options.vault_default_field,
                            .ca_file = options.ca_file,
                            .timeout = timeout},
        kClock);
  } else if (options.provider == "aws") {
    backend = std::make_unique<infra::AwsSecretStore>(
        infra::AwsSecretsOptions{.region = options.aws_region,
                                 .endpoint = options.aws_endpoint,
                                 .credentials = {.access_key_id = ValueOf(environment, "AWS_ACCESS_KEY_ID"),
                                                 .secret_access_key = ValueOf(environment, "AWS_SECRET_ACCESS_KEY"),
                                                 .session_token = ValueOf(environment, "AWS_SESSION_TOKEN")},
                                 .credentials_file = options.aws_credentials_file,
                                 .profile = options.aws_profile,
                                 .ca_file = options.ca_file,
                                 .timeout = timeout},
        kClock);
  } else {
    backend = std::make_unique<infra::EnvSecretStore>(options.env_prefix, environment);
  }
  return std::make_unique<ConfiguredSecretStore>(std::move(backend), options, logger, listener, metrics);
}

std::optional<AppConfig> ResolveOrReport(const LoadedConfig& loaded, core::SecretStore& secrets) {
  auto resolved = ResolveSecrets(loaded.config, secrets, loaded.origins);
  if (!resolved) {
    Report(resolved.error());
    return std::nullopt;
  }
  return std::move(*resolved);
}

std::optional<AppConfig> LoadResolvedOrReport(const ConfigInput& input) {
  auto loaded = LoadOrReport(input);
  if (!loaded) return std::nullopt;
  auto secrets =
      MakeSecretStore(loaded->config.secrets, input.environment, core::Logger::Stdout(core::LogLevel::kWarn));
  return ResolveOrReport(*loaded, *secrets);
}

core::Result<std::unique_ptr<storage::Store>> OpenStore(const AppConfig& config, core::BlockingPool& pool,
                                                        core::MetricsRegistry* metrics) {
  const std::filesystem::path data_dir(config.data.dir);
  std::error_code ec;
  const bool created = std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return core::Fail(core::ErrorCode::kUnavailable,
                      "cannot create data directory " + data_dir.string() + ": " + ec.message());
  }
  // A directory the server makes is its own alone (one an operator made keeps its mode).
  if (created) std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, ec);
  if (config.store.driver == "postgres") {
    if (config.store.postgres.dsn.empty()) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        "store.postgres_dsn must be set when store.driver = postgres");
    }
    auto store = infra::PostgresStore::Open(config.store.postgres, pool, metrics);
    if (!store) return core::Fail(store.error());
    return std::unique_ptr<storage::Store>(std::move(*store));
  }
  const std::filesystem::path path = data_dir / config.store.sqlite.path;  // absolute paths stay absolute
  auto store = infra::SqliteStore::Open(path, config.store.sqlite, pool, metrics);
  if (!store) return core::Fail(store.error());
  return std::unique_ptr<storage::Store>(std::move(*store));
}

std::unique_ptr<storage::Store> OpenMigratedStoreOrReport(const AppConfig& config, core::BlockingPool& pool) {
  auto store = OpenStore(config, pool);
  if (!store) {
    std::fprintf(stderr, "error: %s\n", store.error().message.c_str());
    return nullptr;
  }
  if (auto applied = core::RunSync(storage::ApplyMigrations(**store, storage::BuiltinMigrations())); !applied) {
    std::fprintf(stderr, "error: %s\n", applied.error().message.c_str());
    return nullptr;
  }
  return std::move(*store);
}

std::vector<llm::ProviderConfig> ProviderConfigs(const AppConfig& config) {
  std::vector<llm::ProviderConfig> out;
  const auto& l = config.llm;
  for (const auto& [name, p] : config.providers) {
    out.push_back(
        llm::ProviderConfig{.name = name,
                            .endpoint = {.base_url = p.base_url,
                                         .model = p.model,
                                         .api_key = p.api_key,
                                         .connect_timeout = std::chrono::milliseconds(p.connect_timeout_ms),
                                         .first_token_timeout = std::chrono::milliseconds(p.first_token_timeout_ms),
                                         .idle_timeout = std::chrono::milliseconds(p.idle_timeout_ms),
                                         .total_timeout = std::chrono::milliseconds(p.total_timeout_ms)},
                            .max_concurrency = static_cast<std::size_t>(p.max_concurrency),
                            .cost_input_per_1k = p.cost_input_per_1k,
                            .cost_output_per_1k = p.cost_output_per_1k,
                            .breaker = {.window = static_cast<std::size_t>(l.breaker_window),
                                        .minimum_calls = static_cast<std::size_t>(l.breaker_minimum_calls),
                                        .failure_rate_percent = static_cast<double>(l.breaker_failure_rate_percent),
                                        .slow_call_rate_percent = static_cast<double>(l.breaker_slow_call_rate_percent),
                                        .slow_call_duration = std::chrono::milliseconds(l.breaker_slow_call_ms),
                                        .open_duration = std::chrono::milliseconds(l.breaker_open_ms),
                                        .half_open_calls = static_cast<std::size_t>(l.breaker_half_open_calls)},
                            .retry = {.max_attempts = static_cast<int>(l.retry_max_attempts),
                                      .base_delay = std::chrono::milliseconds(l.retry_base_delay_ms),
                                      .max_delay = std::chrono::milliseconds(l.retry_max_delay_ms)}});
  }
  return out;
}

}  // namespace salesboost::app
