// The composition root of `salesboost serve`: the only place that knows the
// concrete adapters. Builds everything from the validated configuration, runs
// one io_context per I/O thread and shuts down gracefully on SIGTERM/SIGINT.

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <sys/resource.h>

#include "api/assist_routes.hpp"
#include "api/auth_routes.hpp"
#include "api/catalog_routes.hpp"
#include "api/knowledge_routes.hpp"
#include "api/openapi_routes.hpp"
#include "api/session_routes.hpp"
#include "api/system_routes.hpp"
#include "api/turn_routes.hpp"
#include "api/user_routes.hpp"
#include "api/web_routes.hpp"
#include "api/websocket_api.hpp"
#include "app/catalog_setup.hpp"
#include "app/cluster_setup.hpp"
#include "app/commands.hpp"
#include "app/identity_setup.hpp"
#include "app/knowledge_setup.hpp"
#include "app/secret_audit.hpp"
#include "app/secret_refresher.hpp"
#include "app/wiring.hpp"
#include "brain/agent_factory.hpp"
#include "build_info.hpp"
#include "conversation/session_feed.hpp"
#include "core/clock.hpp"
#include "core/io_context_pool.hpp"
#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "core/text.hpp"
#include "llm/provider.hpp"
#include "server/http_server.hpp"
#include "storage/migration.hpp"
#include "storage/store_readiness.hpp"

namespace salesboost::app {
namespace {

namespace asio = boost::asio;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Writes atomically (temp file + rename), so a reader never sees a partial port.
core::Result<void> WritePortFile(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) return core::Fail(core::ErrorCode::kUnavailable, "cannot write port file " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::Fail(core::ErrorCode::kUnavailable, "cannot write port file " + path + ": " + ec.message());
  return core::Ok();
}

// Last resort: if the I/O threads have not returned `after` the signal (a
// connection that ignores cancellation), stop them.
class Watchdog {
 public:
  explicit Watchdog(core::IoContextPool& pool) : pool_(pool) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void Arm(std::chrono::milliseconds after, const core::Logger& logger) {
    thread_ = std::thread([this, after, logger] {
      std::unique_lock lock(mutex_);
      if (!wake_.wait_for(lock, after, [this] { return done_; })) {
        logger.Error("shutdown_watchdog_fired", {});
        pool_.Stop();
      }
    });
  }

 private:
  core::IoContextPool& pool_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;  // guarded by mutex_
  std::thread thread_;
};

// Waits for SIGTERM/SIGINT, then drains: stop accepting, let in-flight work
// finish until the deadline, then close what is left. It never stops the
// io_contexts: it releases their work guards, and each returns by itself once
// its connections have unwound (stopping early would strand unfinished
// coroutine frames). A second signal cuts the drain short.
asio::awaitable<void> AwaitShutdown(core::IoContextPool& pool, asio::signal_set& signals, server::HttpServer& server,
                                    Watchdog& watchdog, std::chrono::milliseconds deadline,
                                    const core::Logger& logger) {
  auto [ec, signal] = co_await signals.async_wait(kTuple);
  if (ec) co_return;
  watchdog.Arm(deadline + std::chrono::seconds(3), logger);
  logger.Info("shutdown_started", {{"signal", signal},
                                   {"open_connections", server.OpenConnections()},
                                   {"deadline_ms", static_cast<std::int64_t>(deadline.count())}});
  server.BeginShutdown();
  auto forced = std::make_shared<bool>(false);
  signals.async_wait([&server, forced](boost::system::error_code wait_ec, int) {
    if (wait_ec) return;
    *forced = true;
    server.CloseAll();
  });

  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto wait_until = [&](std::chrono::steady_clock::time_point until) -> asio::awaitable<void> {
    while (server.OpenConnections() > 0 && std::chrono::steady_clock::now() < until && !*forced) {
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(kTuple);
    }
  };
  co_await wait_until(std::chrono::steady_clock::now() + deadline);
  const auto remaining = server.OpenConnections();
  if (remaining > 0 || *forced) {
    logger.Warn("shutdown_forced", {{"open_connections", remaining}});
    server.CloseAll();
    *forced = false;
    co_await wait_until(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  }
  signals.cancel();
  pool.ReleaseWork();
  logger.Info("shutdown_complete", {{"forced", remaining > 0}, {"open_connections", server.OpenConnections()}});
}

// Every connection is a descriptor: the soft open-files limit goes up to the hard one.
void RaiseOpenFilesLimit(const core::Logger& logger) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  const auto before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    logger.Info("open_files_limit_raised",
                {{"from", static_cast<std::int64_t>(before)}, {"to", static_cast<std::int64_t>(limit.rlim_cur)}});
  }
}

}  // namespace

int RunServe(const ConfigInput& input, const ServeFlags& flags) {
  auto loaded = LoadOrReport(input);
  if (!loaded) return kExitConfigError;
  const auto level = core::ParseLogLevel(loaded->config.log.level);
  core::Logger logger = core::Logger::Stdout(level.value_or(core::LogLevel::kInfo));
  core::MetricsRegistry metrics;          // before the secret store and the store, which report into it
  SecretAuditTrail secret_audit(logger);  // outlives the I/O pool, which writes its records
  auto secrets = MakeSecretStore(loaded->config.secrets, input.environment, logger, &secret_audit, &metrics);
  auto resolved = ResolveOrReport(*loaded, *secrets);
  if (!resolved) return kExitConfigError;
  const AppConfig& config = *resolved;

  logger.Info("starting", {{"version", build_info::kVersion},
                           {"commit", build_info::kGitCommit},
                           {"config_file", loaded->file ? loaded->file->string() : std::string("none")}});
  RaiseOpenFilesLimit(logger);

  core::BlockingPool blocking(static_cast<int>(config.store.blocking_threads));
  auto store = OpenStore(config, blocking, &metrics);
  if (!store) {
    logger.Error("store_open_failed", {{"error", store.error().message}});
    return kExitFailure;
  }
  const auto& migrations = storage::BuiltinMigrations();
  auto applied = core::RunSync(storage::ApplyMigrations(**store, migrations));
  if (!applied) {
    logger.Error("migration_failed", {{"error", applied.error().message}});
    return kExitFailure;
  }
  for (int version : *applied) logger.Info("migration_applied", {{"version", version}});

  core::SystemClock clock;
  auto ids = core::MakeRandomIdGenerator();
  auto signing_key = LoadOrCreateSigningKey(config);
  if (!signing_key) {
    logger.Error("signing_key_failed", {{"error", signing_key.error().message}});
    return kExitFailure;
  }
  identity::TokenService tokens(
      *signing_key,
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(config.auth.token_ttl_ms)), clock,
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(config.auth.previous_key_overlap_ms)));
  logger.Info("signing_key", {{"kid", tokens.CurrentKeyId()}});
  IdentityServices identity(config, **store, *ids, clock, logger, tokens);
  identity::AuthService& auth = identity.auth;
  catalog::CatalogRepository catalog(**store, clock);
  if (config.catalog.import_demo) {
    auto imported = core::RunSync(ImportDemoIfEmpty(catalog, "default"));
    if (!imported) {
      logger.Error("demo_import_failed", {{"error", imported.error().message}});
      return kExitFailure;
    }
    if (*imported > 0) logger.Info("demo_catalog_imported", {{"courses", *imported}});
  }
  conversation::SessionStore session_store(**store, clock);
  conversation::SessionService session_service(session_store, catalog, *ids);
  // Shared with other instances through Redis, or held in this process.
  auto cluster = MakeClusterPorts(config, fmt::format("{}:{}", config.server.host, config.server.port), session_store,
                                  metrics, clock, logger);
  if (!cluster) {
    logger.Error("cluster_setup_failed", {{"error", cluster.error().message}});
    return kExitFailure;
  }
  // Everything connections refer to is declared before the I/O pool, so it
  // outlives any coroutine frame the pool's contexts destroy.
  llm::ProviderSet providers(ProviderConfigs(config), {.extra_ca_file = config.llm.extra_ca_file}, clock, metrics,
                             logger);
  // Secrets read again periodically: a rotated signing key signs new tokens from then on.
  std::vector<SecretWatch> watches;
  if (auto key_name = core::ParseSecretRef(loaded->config.auth.jwt_signing_key); key_name) {
    watches.push_back({.name = *key_name, .consume = [&tokens, &logger](std::string value) {
                         auto rotated = tokens.Rotate(std::move(value));
                         if (!rotated) {
                           logger.Warn("signing_key_refresh_rejected", {{"error", rotated.error().message}});
                         } else if (*rotated) {
                           logger.Info("signing_key_rotated", {{"kid", tokens.CurrentKeyId()}});
                         }
                       }});
  }
  // So are the providers' API keys: a rotated key is sent from the next call on.
  for (const auto& [name, provider] : loaded->config.providers) {
    auto key_name = core::ParseSecretRef(provider.api_key);
    if (!key_name) continue;
    watches.push_back({.name = *key_name, .consume = [&providers, &logger, provider_name = name](std::string value) {
                         auto* target = providers.Find(provider_name);
                         if (target != nullptr && target->SetApiKey(std::move(value))) {
                           logger.Info("provider_api_key_rotated", {{"provider", provider_name}});
                         }
                       }});
  }
  const bool watches_signing_key = core::ParseSecretRef(loaded->config.auth.jwt_signing_key).has_value();
  SecretRefresher refresher(*secrets, std::move(watches), logger);
  refresher.Start(std::chrono::seconds(config.secrets.refresh_interval_s));
  // A token of a key this instance does not know yet: another instance may have rotated first; look now.
  if (watches_signing_key) tokens.OnUnknownKeyId([&refresher] { refresher.RefreshSoon(); });
  KnowledgeRuntime knowledge(config, **store, providers, clock, *ids, logger, &metrics);
  if (auto ready = core::RunSync(knowledge.base.Load()); !ready) {
    logger.Error("knowledge_load_failed", {{"error", ready.error().message}});
    return kExitFailure;
  }
  if (config.knowledge.import_demo) {
    // On a context of its own, closed with the provider connections it opened.
    asio::io_context setup;
    auto imported = core::RunOn(setup, ImportDemoKnowledgeIfEmpty(knowledge.base));
    providers.CloseIdle();
    if (!imported) {
      logger.Error("demo_knowledge_failed", {{"error", imported.error().message}});
      return kExitFailure;
    }
    if (*imported > 0) logger.Info("demo_knowledge_imported", {{"documents", *imported}});
  }
  auto chain = [&providers](const std::string& list) {
    std::vector<llm::ChatProvider*> out;
    for (const auto& name : core::SplitCommaList(list)) out.push_back(providers.Find(name));
    return out;
  };
  // Providers get the part deadline but for a reserve in which the offline engines answer if every provider fails.
  const auto part_ms = config.conversation.part_deadline_ms;
  const auto llm_budget = std::chrono::milliseconds(part_ms - std::min<std::int64_t>(2000, part_ms / 2));
  auto agents =
      brain::MakeAgents({.npc_delta_interval = std::chrono::milliseconds(config.conversation.npc_delta_interval_ms),
                         .banned_words = core::SplitCommaList(config.conversation.banned_words),
                         .npc_providers = chain(config.llm.npc),
                         .llm_npc = {.history_turns = static_cast<std::size_t>(config.llm.history_turns),
                                     .budget = llm_budget,
                                     .facts = 2},
                         .coach_providers = chain(config.llm.coach),
                         .evaluator_providers = chain(config.llm.evaluator),
                         .judge_budget = llm_budget,
                         .metrics = &metrics,
                         .knowledge = &knowledge.base});
  if (!agents) {
    logger.Error("agents_failed", {{"error", agents.error().message}});
    return kExitFailure;
  }
  if (!providers.Empty()) {
    logger.Info("llm_agents",
                {{"npc", config.llm.npc}, {"coach", config.llm.coach}, {"evaluator", config.llm.evaluator}});
  }
  auto demo_login = core::RunSync(BootstrapUsers(auth, identity.users, config));
  if (!demo_login) {
    logger.Error("bootstrap_users_failed", {{"error", demo_login.error().message}});
    return kExitFailure;
  }

  const int threads = config.server.io_threads > 0
                          ? static_cast<int>(config.server.io_threads)
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  metrics.AddGauge("salesboost_build_info", "Build information; the value is always 1", {"version", "commit"})
      .With({build_info::kVersion, build_info::kGitCommit})
      .Set(1);
  storage::StoreReadiness store_ready(**store, migrations);
  conversation::TurnCoordinator coordinator(
      {.max_text_chars = static_cast<std::size_t>(config.limits.turn_max_chars),
       .max_queued_turns = static_cast<std::size_t>(config.limits.turn_queue),
       .turn_deadline = std::chrono::milliseconds(config.conversation.turn_deadline_ms),
       .part_deadline = std::chrono::milliseconds(config.conversation.part_deadline_ms),
       .lease_wait = std::chrono::milliseconds(config.cluster.lease_wait_ms)},
      conversation::CoordinatorDeps{.sessions = session_store,
                                    .service = session_service,
                                    .catalog = catalog,
                                    .hub = *cluster->hub,
                                    .live = *cluster->live,
                                    .leases = *cluster->leases,
                                    .ledger = *cluster->ledger,
                                    .turn_limiter = *cluster->turn_limiter,
                                    .agents = *agents,
                                    .metrics = metrics,
                                    .logger = logger});
  conversation::SessionFeed feed({}, session_service, coordinator, *cluster->hub, *cluster->live);
  api::WebSocketApi websocket({.allowed_origins = core::SplitCommaList(config.websocket_app.allowed_origins)}, auth,
                              feed, coordinator, logger);
  server::Router router;
  core::IoContextPool pool(threads);
  secret_audit.Attach(identity.audit, pool.At(0).get_executor());
  server::HttpServer http(pool, config.server,
                          server::HttpServerDeps{.router = router,
                                                 .websocket = &websocket,
                                                 .metrics = metrics,
                                                 .logger = logger,
                                                 .ids = *ids,
                                                 .access_log = config.log.access_log});
  auto provider_probe = providers.MakeProbe();
  std::vector<core::ReadinessProbe*> probes{&store_ready};
  if (!providers.Empty()) probes.push_back(provider_probe.get());
  api::AddSystemRoutes(router, api::SystemRoutesDeps{.metrics = metrics,
                                                     .probes = probes,
                                                     .is_draining = [&http] { return http.IsDraining(); },
                                                     .metrics_token = config.server.metrics_token});

  api::AddAuthRoutes(router, auth, *cluster->login_limiter);
  api::AddUserRoutes(router, auth);
  api::AddCatalogRoutes(router, auth, catalog);
  api::AddSessionRoutes(router, auth, session_service, coordinator, blocking);
  // A turn over HTTP follows its turn through the queue ahead of it and its own run, with a margin.
  const auto turn_wait =
      std::chrono::milliseconds(config.conversation.turn_deadline_ms) * (config.limits.turn_queue + 1) +
      std::chrono::seconds(10);
  api::AddTurnRoutes(router, auth, session_service, feed, coordinator,
                     {.wait = turn_wait, .keepalive = std::chrono::seconds(15)});
  api::AddAssistRoutes(router, auth, *agents, catalog, *cluster->assist_limiter);
  api::AddKnowledgeRoutes(router, auth, knowledge.base, config.knowledge.max_upload_bytes);
  api::AddWebRoutes(router, api::WebAssets());
  api::AddOpenApiRoutes(router);

  if (flags.list_routes) {
    // Every route is added by now. What tests compare with the OpenAPI document: the router's
    // routes and the WebSocket upgrade, which the server itself serves.
    for (const auto& route : router.Routes()) std::printf("%s %s\n", route.method.c_str(), route.pattern.c_str());
    std::printf("GET %.*s\n", static_cast<int>(server::kWebSocketPath.size()), server::kWebSocketPath.data());
    std::fflush(stdout);
    StopCluster(*cluster);
    blocking.Stop();
    return kExitOk;
  }
  auto port = http.Start();
  if (!port) {
    logger.Error("listen_failed", {{"error", port.error().message}});
    return kExitFailure;
  }
  if (flags.port_file) {
    if (auto written = WritePortFile(*flags.port_file, *port); !written) {
      logger.Error("port_file_failed", {{"error", written.error().message}});
      return kExitFailure;
    }
  }
  const std::string base_url = fmt::format("http://{}:{}", config.server.host, *port);
  logger.Info("listening", {{"url", base_url}, {"io_threads", threads}});
  if (*demo_login) PrintDemoLogin(**demo_login, base_url);

  // Vectors the stored chunks lack, on the I/O pool that owns provider connections from now on.
  asio::co_spawn(
      pool.At(0),
      [&]() -> asio::awaitable<void> {
        auto added = co_await knowledge.base.Backfill();
        if (!added) logger.Warn("knowledge_backfill_failed", {{"error", added.error().message}});
      },
      asio::detached);
  const auto deadline = std::chrono::milliseconds(config.server.shutdown_deadline_ms);
  Watchdog watchdog(pool);
  asio::signal_set signals(pool.At(0), SIGINT, SIGTERM);
  asio::co_spawn(pool.At(0), AwaitShutdown(pool, signals, http, watchdog, deadline, logger), asio::detached);

  pool.Run();
  providers.CloseIdle();  // pooled provider connections belong to the pool's contexts
  StopCluster(*cluster);
  blocking.Stop();
  logger.Flush();
  return kExitOk;
}

}  // namespace salesboost::app
