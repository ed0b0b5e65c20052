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
Setting Double(std::string key, std::string help, std::int64_t min, std::int64_t max, Access access) {
  Setting s = Describe(std::move(key), std::move(help), SettingKind::kDouble);
  s.min = min;
  s.max = max;
  Bind<double>(s, access);
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
  s.push_back(Int("server.header_timeout_ms",
                  "time allowed to receive a request's headers; a new connection's first request counts from accept",
                  100, kDay, SB_FIELD(server.header_timeout_ms)));
  s.push_back(Int("server.body_timeout_ms", "time allowed to receive a request's body", 100, kDay,
                  SB_FIELD(server.body_timeout_ms)));
  s.push_back(Int("server.max_connections",
                  "open connections (HTTP and WebSocket) in all, at most the open-files limit less 256; more are "
                  "refused with 503; 0 = only the open-files limit",
                  0, 10'000'000, SB_FIELD(server.max_connections)));
  s.push_back(Int("server.max_connections_per_address",
                  "open connections from one peer address; more are refused with 503; 0 = no cap (behind a load "
                  "balancer every client has its address)",
                  0, 10'000'000, SB_FIELD(server.max_connections_per_address)));
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

  s.push_back(String("store.driver", "database engine: sqlite (embedded) or postgres", {"sqlite", "postgres"},
                     SB_FIELD(store.driver)));
  s.push_back(
      String("store.sqlite_path", "SQLite file; relative paths are under data.dir", {}, SB_FIELD(store.sqlite.path)));
  s.push_back(Int("store.busy_timeout_ms", "wait this long for a database lock", 0, kDay,
                  SB_FIELD(store.sqlite.busy_timeout_ms)));
  s.push_back(Int("store.blocking_threads", "threads that run blocking database calls", 1, 64,
                  SB_FIELD(store.blocking_threads)));
  s.push_back(Secret("store.postgres_dsn",
                     "secret reference for the PostgreSQL connection string (libpq DSN or URI); driver postgres",
                     SB_FIELD(store.postgres.dsn)));
  s.push_back(
      Int("store.postgres_pool_size", "PostgreSQL connections at most", 1, 1024, SB_FIELD(store.postgres.pool_size)));
  s.push_back(Int("store.postgres_connect_timeout_ms", "give up connecting to PostgreSQL after this long", 1, kDay,
                  SB_FIELD(store.postgres.connect_timeout_ms)));
  s.push_back(Int("store.postgres_statement_timeout_ms", "PostgreSQL statement_timeout per connection; 0 = none", 0,
                  kDay, SB_FIELD(store.postgres.statement_timeout_ms)));
  s.push_back(Int("store.postgres_pool_wait_ms", "wait this long for a free PostgreSQL connection", 0, kDay,
                  SB_FIELD(store.postgres.pool_wait_ms)));

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
  s.push_back(Int("auth.password_hash_threads",
                  "threads hashing passwords, apart from the store's; logins beyond them queue", 1, 64,
                  SB_FIELD(auth.password_hash_threads)));
  s.push_back(Int("auth.password_hash_queue",
                  "password checks waiting for a hashing thread; more get 503 unavailable with Retry-After", 0, 100'000,
                  SB_FIELD(auth.password_hash_queue)));
  s.push_back(Int("auth.password_min_length",
                  "characters a new password needs at least (common passwords and runs are refused too)", 8, 1024,
                  SB_FIELD(auth.password_min_length)));
  s.push_back(Int("auth.lockout_threshold",
                  "consecutive failed logins for one username before it is locked; 0 = no account lockout", 0, 1000,
                  SB_FIELD(auth.lockout_threshold)));
  s.push_back(Int("auth.lockout_base_s", "the first lock's length; each further failure doubles it", 1, kDay / 1000,
                  SB_FIELD(auth.lockout_base_s)));
  s.push_back(Int("auth.lockout_max_s", "the longest account lock", 1, kDay / 1000, SB_FIELD(auth.lockout_max_s)));
  s.push_back(
      Int("auth.previous_key_overlap_ms",
          "after the signing key rotates, tokens of the previous key still verify this long; keep >= token_ttl_ms", 0,
          30 * kDay, SB_FIELD(auth.previous_key_overlap_ms)));
  s.push_back(Secret("auth.bootstrap_admin_password",
                     "secret reference; at start, creates user \"admin\" with it if the tenant has no admin",
                     SB_FIELD(auth.bootstrap_admin_password)));
  s.push_back(Bool("auth.demo_trainee", "create user \"trainee\" with a generated password at first start",
                   SB_FIELD(auth.demo_trainee)));

  s.push_back(Bool("catalog.import_demo", "import the shipped demo courses when the tenant has no course",
                   SB_FIELD(catalog.import_demo)));

  s.push_back(Bool("knowledge.import_demo", "ingest the shipped demo documents when the tenant has none",
                   SB_FIELD(knowledge.import_demo)));
  s.push_back(Int("knowledge.max_upload_bytes",
                  "largest file ingested, and largest upload body (POST /api/v1/knowledge/documents); larger gets 413",
                  1024, 4 * kGiB, SB_FIELD(knowledge.max_upload_bytes)));
  s.push_back(String("knowledge.embeddings",
                     "provider whose /v1/embeddings feeds dense retrieval (e.g. BGE-M3); empty: BM25 only", {},
                     SB_FIELD(knowledge.embeddings)));
  s.push_back(String("knowledge.ocr_languages", "Tesseract languages for scans and images", {},
                     SB_FIELD(knowledge.ocr_languages)));
  s.push_back(String("knowledge.ocr_provider",
                     "provider with a vision model (DeepSeek-OCR-2 on vLLM) that reads scans first, Tesseract when it "
                     "fails or its breaker is open; empty: Tesseract only",
                     {}, SB_FIELD(knowledge.ocr_provider)));
  s.push_back(Int("knowledge.ocr_timeout_ms", "one page through the vision model before Tesseract reads it", 1000,
                  3'600'000, SB_FIELD(knowledge.ocr_timeout_ms)));
  s.push_back(Int("knowledge.workers", "threads for extraction and OCR (pages run in parallel)", 1, 64,
                  SB_FIELD(knowledge.workers)));
  s.push_back(Int("knowledge.child_tokens", "size of the chunks retrieval indexes", 16, 4096,
                  SB_FIELD(knowledge.child_tokens)));
  s.push_back(
      Int("knowledge.parent_tokens", "size of the chunks agents read", 32, 16384, SB_FIELD(knowledge.parent_tokens)));
  s.push_back(Int("knowledge.overlap_tokens", "text shared by consecutive child chunks", 0, 1024,
                  SB_FIELD(knowledge.overlap_tokens)));
  s.push_back(
      Int("knowledge.max_pages", "pages per PDF; longer files are refused", 1, 100'000, SB_FIELD(knowledge.max_pages)));
  s.push_back(Int("knowledge.max_megapixels",
                  "pixels per image or rendered page, in millions; a PDF declaring a larger image is refused", 1, 1000,
                  SB_FIELD(knowledge.max_megapixels)));
  s.push_back(Int("knowledge.max_decoded_bytes",
                  "decoded size of one image a PDF declares (width x height x components x bits), or of one of its "
                  "streams; a PDF with a larger one is refused before it is read",
                  1 << 20, 4 * kGiB, SB_FIELD(knowledge.max_decoded_bytes)));
  s.push_back(Int("knowledge.file_deadline_ms",
                  "time one file may take to route, extract and chunk; checked between pages, then the file fails",
                  1000, 86'400'000, SB_FIELD(knowledge.file_deadline_ms)));
  s.push_back(Int("knowledge.max_file_chars", "characters extracted from one file; more and the file fails", 1000,
                  1'000'000'000, SB_FIELD(knowledge.max_file_chars)));
  s.push_back(Int("knowledge.max_file_chunks", "retrieval chunks from one file; more and the file fails", 1, 10'000'000,
                  SB_FIELD(knowledge.max_file_chunks)));
  s.push_back(Double("knowledge.rrf_k", "reciprocal-rank fusion constant", 1, 1000, SB_FIELD(knowledge.rrf_k)));
  s.push_back(Double("knowledge.sparse_weight", "weight of the BM25 list in fusion", 0, 100,
                     SB_FIELD(knowledge.sparse_weight)));
  s.push_back(Double("knowledge.dense_weight", "weight of the vector list in fusion", 0, 100,
                     SB_FIELD(knowledge.dense_weight)));
  s.push_back(Int("knowledge.candidates", "results taken from each retriever before fusion", 1, 10'000,
                  SB_FIELD(knowledge.candidates)));
  s.push_back(Int("knowledge.ef_search", "HNSW candidates explored per query (recall against speed)", 1, 10'000,
                  SB_FIELD(knowledge.ef_search)));
  s.push_back(String("knowledge.vector_encoding",
                     "what the HNSW graph searches: int8 codes re-ranked by float, or float32; a saved graph of the "
                     "other encoding is converted on load",
                     {"int8", "float32"}, SB_FIELD(knowledge.vector_encoding)));
  s.push_back(Int("knowledge.hnsw_m", "HNSW links per node of a new graph (a saved graph keeps its own)", 4, 128,
                  SB_FIELD(knowledge.hnsw_m)));
  s.push_back(Int("knowledge.rerank", "int8: best candidates re-ranked by the float inner product; 0 = all ef_search",
                  0, 10'000, SB_FIELD(knowledge.rerank)));
  s.push_back(String("knowledge.vector_store",
                     "where the children's vectors live: \"memory\" (HNSW in process, saved under data.dir) or "
                     "\"qdrant\" (knowledge.qdrant_*)",
                     {"memory", "qdrant"}, SB_FIELD(knowledge.vector_store)));
  s.push_back(String("knowledge.qdrant_url", "Qdrant's REST endpoint (http:// or https://, no trailing slash)", {},
                     SB_FIELD(knowledge.qdrant_url)));
  s.push_back(Secret("knowledge.qdrant_api_key", "secret reference for Qdrant's API key (api-key header); empty: none",
                     SB_FIELD(knowledge.qdrant_api_key)));
  s.push_back(String("knowledge.qdrant_collection",
                     "the Qdrant collection holding every tenant's points (created at start when missing)", {},
                     SB_FIELD(knowledge.qdrant_collection)));
  s.push_back(Int("knowledge.qdrant_timeout_ms", "one search exchange with Qdrant; then BM25 answers alone", 50,
                  600'000, SB_FIELD(knowledge.qdrant_timeout_ms)));
  s.push_back(Int("knowledge.qdrant_write_timeout_ms", "one upsert batch, delete or collection change in Qdrant", 100,
                  3'600'000, SB_FIELD(knowledge.qdrant_write_timeout_ms)));
  s.push_back(Int("knowledge.qdrant_batch_size", "points per Qdrant upsert request", 1, 10'000,
                  SB_FIELD(knowledge.qdrant_batch_size)));
  s.push_back(Int("knowledge.qdrant_retries",
                  "further attempts of a Qdrant exchange after a timeout, a lost connection, 429 or 5xx", 0, 10,
                  SB_FIELD(knowledge.qdrant_retries)));
  s.push_back(String("knowledge.qdrant_lexical",
                     "the lexical list with Qdrant: \"local\" (the in-process BM25, equal to vector_store = "
                     "\"memory\") or \"qdrant\" (its sparse vectors; a synonym group's words add up)",
                     {"local", "qdrant"}, SB_FIELD(knowledge.qdrant_lexical)));

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

  s.push_back(String("llm.npc",
                     "comma-separated providers the customer speaks through, in fallback order; the offline engine "
                     "always comes last; empty: offline only",
                     {}, SB_FIELD(llm.npc)));
  s.push_back(String("llm.coach",
                     "providers for the coach's tips (JSON), in fallback order; the offline coach always comes last",
                     {}, SB_FIELD(llm.coach)));
  s.push_back(String("llm.evaluator",
                     "providers for the turn's scores (JSON), in fallback order; the heuristic evaluator always comes "
                     "last",
                     {}, SB_FIELD(llm.evaluator)));
  s.push_back(
      Int("llm.history_turns", "earlier turns carried in the customer's prompt", 0, 200, SB_FIELD(llm.history_turns)));
  s.push_back(Int("llm.retry_max_attempts",
                  "attempts per provider and call, the first included; none after text "
                  "was streamed",
                  1, 10, SB_FIELD(llm.retry_max_attempts)));
  s.push_back(Int("llm.retry_base_delay_ms", "first backoff; doubles per attempt, with jitter", 0, 60000,
                  SB_FIELD(llm.retry_base_delay_ms)));
  s.push_back(Int("llm.retry_max_delay_ms", "longest backoff; a longer Retry-After moves on to the next provider", 0,
                  600000, SB_FIELD(llm.retry_max_delay_ms)));
  s.push_back(Int("llm.breaker_window", "circuit breaker: calls in the sliding window", 1, 10000,
                  SB_FIELD(llm.breaker_window)));
  s.push_back(Int("llm.breaker_minimum_calls", "circuit breaker: calls recorded before rates are judged", 1, 10000,
                  SB_FIELD(llm.breaker_minimum_calls)));
  s.push_back(Int("llm.breaker_failure_rate_percent", "circuit breaker: failure rate that opens it", 1, 100,
                  SB_FIELD(llm.breaker_failure_rate_percent)));
  s.push_back(Int("llm.breaker_slow_call_rate_percent", "circuit breaker: slow-call rate that opens it", 1, 100,
                  SB_FIELD(llm.breaker_slow_call_rate_percent)));
  s.push_back(Int("llm.breaker_slow_call_ms", "circuit breaker: a call at least this long is slow", 1, kDay,
                  SB_FIELD(llm.breaker_slow_call_ms)));
  s.push_back(Int("llm.breaker_open_ms", "circuit breaker: how long it stays open before probing", 1, kDay,
                  SB_FIELD(llm.breaker_open_ms)));
  s.push_back(Int("llm.breaker_half_open_calls", "circuit breaker: probe calls let through when half open", 1, 1000,
                  SB_FIELD(llm.breaker_half_open_calls)));
  s.push_back(String("llm.extra_ca_file",
                     "PEM file of CAs trusted besides the system's, for providers behind a "
                     "private CA; empty: system CAs only",
                     {}, SB_FIELD(llm.extra_ca_file)));

  s.push_back(String("cluster.backend", "where state shared by instances lives: none (this process) or redis",
                     {"none", "redis"}, SB_FIELD(cluster.backend)));
  s.push_back(
      String("cluster.redis_url", "redis://host:port/db of the Redis primary", {}, SB_FIELD(cluster.redis_url)));
  s.push_back(Secret("cluster.redis_password", "secret reference for the Redis password; empty: no AUTH",
                     SB_FIELD(cluster.redis_password)));
  s.push_back(String("cluster.sentinels",
                     "comma-separated host:port of Redis Sentinels; when set, the primary is found (and followed "
                     "after a failover) through them",
                     {}, SB_FIELD(cluster.sentinels)));
  s.push_back(
      String("cluster.sentinel_master", "the primary's name in Sentinel", {}, SB_FIELD(cluster.sentinel_master)));
  s.push_back(String("cluster.instance_id", "this instance's name in Redis; empty: <hostname>-<pid>-<random>", {},
                     SB_FIELD(cluster.instance_id)));
  s.push_back(Int("cluster.pool_size", "command connections to Redis", 1, 64, SB_FIELD(cluster.pool_size)));
  s.push_back(Int("cluster.command_timeout_ms", "a Redis command not answered by then fails", 10, 60'000,
                  SB_FIELD(cluster.command_timeout_ms)));
  s.push_back(Int("cluster.lease_ttl_ms",
                  "a session's lease lapses this long after its holder's last renewal (renewed every third of it)", 300,
                  600'000, SB_FIELD(cluster.lease_ttl_ms)));
  s.push_back(Int("cluster.lease_wait_ms", "a turn waits this long for another instance to release its session", 0,
                  600'000, SB_FIELD(cluster.lease_wait_ms)));
  s.push_back(Int("cluster.heartbeat_ttl_ms", "an instance whose heartbeat is this old is gone", 300, 600'000,
                  SB_FIELD(cluster.heartbeat_ttl_ms)));
  s.push_back(Int("cluster.live_buffer_max_events", "a running turn's events kept in its Redis stream", 100, 1'000'000,
                  SB_FIELD(cluster.live_buffer_max_events)));
  s.push_back(Int("cluster.turn_claim_ttl_ms", "how long a turn_id stays claimed by the instance running it", 1000,
                  kDay, SB_FIELD(cluster.turn_claim_ttl_ms)));

  s.push_back(String("secrets.provider", "where secret references are resolved", {"env", "file", "vault", "aws"},
                     SB_FIELD(secrets.provider)));
  s.push_back(String("secrets.env_prefix", "env provider: secret a/b is the variable <prefix>A_B", {},
                     SB_FIELD(secrets.env_prefix)));
  s.push_back(String("secrets.dir", "file provider: secret a/b is the file <dir>/a/b", {}, SB_FIELD(secrets.dir)));
  s.push_back(Int("secrets.cache_ttl_s",
                  "a secret read is served from memory this long; on a provider error the "
                  "last value is served however old",
                  0, 86400, SB_FIELD(secrets.cache_ttl_s)));
  s.push_back(Int("secrets.refresh_interval_s",
                  "the token signing key is read again this often, so a rotated key signs new tokens; 0 = never", 0,
                  86400, SB_FIELD(secrets.refresh_interval_s)));
  s.push_back(Int("secrets.timeout_ms", "vault, aws: one HTTP exchange with the provider", 100, 600'000,
                  SB_FIELD(secrets.timeout_ms)));
  s.push_back(
      String("secrets.ca_file", "vault, aws: PEM CAs trusted besides the system's", {}, SB_FIELD(secrets.ca_file)));
  s.push_back(String("secrets.vault_address", "vault: the server, e.g. https://vault.internal:8200", {},
                     SB_FIELD(secrets.vault_address)));
  s.push_back(
      String("secrets.vault_mount", "vault: mount of the KV version 2 engine", {}, SB_FIELD(secrets.vault_mount)));
  s.push_back(String("secrets.vault_namespace", "vault: X-Vault-Namespace header; empty = none", {},
                     SB_FIELD(secrets.vault_namespace)));
  s.push_back(
      String("secrets.vault_auth", "vault: token or approle", {"token", "approle"}, SB_FIELD(secrets.vault_auth)));
  s.push_back(String("secrets.vault_token_env", "vault token auth: the environment variable holding the token", {},
                     SB_FIELD(secrets.vault_token_env)));
  s.push_back(String("secrets.vault_token_file", "vault token auth: a file holding the token; wins over the variable",
                     {}, SB_FIELD(secrets.vault_token_file)));
  s.push_back(String("secrets.vault_role_id", "vault approle auth: the role_id", {}, SB_FIELD(secrets.vault_role_id)));
  s.push_back(String("secrets.vault_secret_id_env",
                     "vault approle auth: the environment variable holding the secret_id", {},
                     SB_FIELD(secrets.vault_secret_id_env)));
  s.push_back(String("secrets.vault_secret_id_file",
                     "vault approle auth: a file holding the secret_id; wins over the variable", {},
                     SB_FIELD(secrets.vault_secret_id_file)));
  s.push_back(String("secrets.vault_approle_mount", "vault approle auth: login at auth/<mount>/login", {},
                     SB_FIELD(secrets.vault_approle_mount)));
  s.push_back(String("secrets.vault_default_field",
                     "vault: the field of the secret's data read when a name has no #field", {},
                     SB_FIELD(secrets.vault_default_field)));
  s.push_back(String("secrets.aws_region", "aws: the Secrets Manager region, e.g. eu-west-1", {},
                     SB_FIELD(secrets.aws_region)));
  s.push_back(String("secrets.aws_endpoint", "aws: endpoint URL; empty = https://secretsmanager.<region>.amazonaws.com",
                     {}, SB_FIELD(secrets.aws_endpoint)));
  s.push_back(
      String("secrets.aws_credentials_file",
             "aws: shared credentials file; empty = AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", {},
             SB_FIELD(secrets.aws_credentials_file)));
  s.push_back(String("secrets.aws_profile", "aws: the profile read from aws_credentials_file", {},
                     SB_FIELD(secrets.aws_profile)));
  return s;
}

// A provider's field: [](ProviderOptions& p) -> auto& { return p.field; }
#define SB_PROVIDER(field) \
  [name](auto& c) -> auto& { return ProviderOf(c, name).field; }  // NOLINT(bugprone-macro-parentheses)

ProviderOptions& ProviderOf(AppConfig& c, const std::string& name) { return c.providers[name]; }

const ProviderOptions& ProviderOf(const AppConfig& c, const std::string& name) {
  static const ProviderOptions kDefaults;
  const auto it = c.providers.find(name);
  return it == c.providers.end() ? kDefaults : it->second;
}

std::vector<Setting> MakeProviderSettings(const std::string& name) {
  const std::string p = "providers." + name + ".";
  std::vector<Setting> s;
  s.push_back(String(p + "base_url", "the API root before /chat/completions, e.g. https://api.deepseek.com/v1", {},
                     SB_PROVIDER(base_url)));
  s.push_back(String(p + "model", "model name sent with each request", {}, SB_PROVIDER(model)));
  s.push_back(Secret(p + "api_key", "secret reference for the API key; empty sends none", SB_PROVIDER(api_key)));
  s.push_back(
      Int(p + "connect_timeout_ms", "resolve, connect and TLS handshake", 1, kDay, SB_PROVIDER(connect_timeout_ms)));
  s.push_back(Int(p + "first_token_timeout_ms", "from the request sent to the first byte of the reply", 1, kDay,
                  SB_PROVIDER(first_token_timeout_ms)));
  s.push_back(
      Int(p + "idle_timeout_ms", "longest pause between streamed pieces", 1, kDay, SB_PROVIDER(idle_timeout_ms)));
  s.push_back(Int(p + "total_timeout_ms", "one call, retries excluded", 1, kDay, SB_PROVIDER(total_timeout_ms)));
  s.push_back(Int(p + "max_concurrency", "calls in flight at once; more wait for a slot", 1, 100000,
                  SB_PROVIDER(max_concurrency)));
  s.push_back(
      Double(p + "cost_input_per_1k", "cost of 1,000 prompt tokens", 0, 1000000, SB_PROVIDER(cost_input_per_1k)));
  s.push_back(
      Double(p + "cost_output_per_1k", "cost of 1,000 completion tokens", 0, 1000000, SB_PROVIDER(cost_output_per_1k)));
  return s;
}

#undef SB_PROVIDER
#undef SB_FIELD

}  // namespace

std::vector<Setting> ProviderSettings(const std::string& name) { return MakeProviderSettings(name); }

bool IsValidProviderName(std::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::optional<Setting> LookupSetting(std::string_view key) {
  if (const Setting* s = FindSetting(key); s != nullptr) return *s;
  constexpr std::string_view kProviders = "providers.";
  if (!key.starts_with(kProviders)) return std::nullopt;
  const auto rest = key.substr(kProviders.size());
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos || !IsValidProviderName(rest.substr(0, dot))) return std::nullopt;
  for (auto& s : MakeProviderSettings(std::string(rest.substr(0, dot)))) {
    if (s.key == key) return std::move(s);
  }
  return std::nullopt;
}

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
  for (char c : setting.Name()) {
    if (c == '.') {
      var.append("__");
    } else {
      var.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
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
    case SettingKind::kDouble: {
      const auto v = std::get<double>(value);
      if (!(v >= static_cast<double>(setting.min) && v <= static_cast<double>(setting.max))) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          fmt::format("must be between {} and {} (got {})", setting.min, setting.max, v));
      }
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
    case SettingKind::kDouble: {
      double v = 0;
      const auto* end = text.data() + text.size();
      const auto [ptr, ec] = std::from_chars(text.data(), end, v);
      if (text.empty() || ec != std::errc() || ptr != end) {
        return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("must be a number (got \"{}\")", text));
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
        } else if constexpr (std::is_same_v<T, double>) {
          const std::string text = fmt::format("{}", v);  // shortest round-trip form
          return text.find_first_of(".eEn") == std::string::npos ? text + ".0" : text;
        } else {
          std::string out;
          core::AppendJsonString(out, v);  // JSON string escapes are valid TOML basic-string escapes
          return out;
        }
      },
      value);
}

}  // namespace salesboost::app
