// AppConfig: every option of the salesboost binary, grouped per module.
// Filled from defaults < file < environment < flags by LoadConfig (config_loader.hpp);
// the option table with keys, help and bounds is in settings.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "infra/postgres/postgres_options.hpp"
#include "infra/sqlite/sqlite_options.hpp"
#include "server/server_options.hpp"

namespace salesboost::app {

struct DataOptions {
  std::string dir = "var";  // holds the database and indexes; created if missing
};

struct StoreOptions {
  std::string driver = "sqlite";  // "sqlite" (embedded) or "postgres"
  infra::SqliteOptions sqlite;
  infra::PostgresOptions postgres;    // driver "postgres"; dsn is a secret reference until resolved
  std::int64_t blocking_threads = 4;  // threads for blocking store calls
};

struct LogOptions {
  std::string level = "info";  // debug, info, warn, error, off
  bool access_log = true;      // one JSON line per HTTP request
};

struct AuthOptions {
  std::string jwt_signing_key;  // secret reference; empty: generated once, kept in data.dir
  std::int64_t token_ttl_ms = std::int64_t{30} * 60 * 1000;             // lifetime of a login token
  std::int64_t previous_key_overlap_ms = std::int64_t{30} * 60 * 1000;  // a rotated-out key still verifies this long
  std::int64_t password_hash_memory_kib = 65536;                        // argon2id memory per hash
  std::int64_t password_hash_iterations = 2;                            // argon2id passes
  std::int64_t password_hash_threads = 1;                               // threads of the password-hashing pool
  std::int64_t password_hash_queue = 16;                                // checks waiting beyond those; more get 503
  std::int64_t password_min_length = 10;                                // characters a new password needs at least
  std::int64_t lockout_threshold = 5;    // failed logins per account before a lock; 0: off
  std::int64_t lockout_base_s = 30;      // the first lock; doubles with each failure
  std::int64_t lockout_max_s = 900;      // the longest lock
  std::string bootstrap_admin_password;  // secret reference; creates user "admin" at start if no admin exists
  bool demo_trainee = true;              // create user "trainee" with a generated password at first start
};

struct WebSocketAppOptions {
  std::string allowed_origins;  // comma-separated Origins allowed to open /ws; empty: any
};

struct LimitsOptions {
  std::int64_t login_per_minute = 10;   // login attempts per client address per minute (sustained)
  std::int64_t login_burst = 5;         // login attempts a client address may make at once
  std::int64_t assist_per_minute = 30;  // classify and assist calls per user per minute (sustained)
  std::int64_t assist_burst = 10;       // classify and assist calls a user may make at once
  std::int64_t turn_per_minute = 10;    // turns per user per minute (sustained)
  std::int64_t turn_burst = 3;          // turns a user may send at once
  std::int64_t turn_max_chars = 4000;   // characters in one turn's text
  std::int64_t turn_queue = 4;          // turns waiting per session behind the running one
};

struct ConversationOptions {
  std::int64_t turn_deadline_ms = 60000;    // a whole turn, from leaving the queue to its commit
  std::int64_t part_deadline_ms = 30000;    // each part: customer reply, coach, compliance, evaluation
  std::int64_t npc_delta_interval_ms = 15;  // pause between streamed deltas of the offline customer
  std::string banned_words;                 // comma-separated words the compliance check flags
};

struct CatalogOptions {
  bool import_demo = true;  // import the shipped demo courses when the tenant has no course
};

struct KnowledgeSettings {
  bool import_demo = true;                                 // ingest the shipped demo documents when the tenant has none
  std::int64_t max_upload_bytes = std::int64_t{64} << 20;  // largest file ingested and upload body accepted
  std::string embeddings;  // provider for /v1/embeddings (dense retrieval); empty: BM25 only
  std::string ocr_languages = "chi_sim+eng";
  std::string ocr_provider;  // a vision model (DeepSeek-OCR-2 on vLLM) reading scans first; empty: Tesseract
  std::int64_t ocr_timeout_ms = 120000;  // one page through the vision model before Tesseract reads it
  std::int64_t workers = 2;              // threads for extraction and OCR (pages in parallel)
  std::int64_t child_tokens = 128;
  std::int64_t parent_tokens = 512;
  std::int64_t overlap_tokens = 16;
  std::int64_t max_pages = 2000;                             // per PDF
  std::int64_t max_megapixels = 60;                          // per image or rendered page
  std::int64_t max_decoded_bytes = std::int64_t{256} << 20;  // one image a PDF declares, or one stream, decoded
  std::int64_t file_deadline_ms = 120'000;                   // one file: route, extract, chunk
  std::int64_t max_file_chars = 2'000'000;                   // extracted from one file
  std::int64_t max_file_chunks = 20'000;                     // retrieval chunks from one file
  double rrf_k = 60;                                         // reciprocal-rank fusion constant
  double sparse_weight = 1;
  double dense_weight = 1;
  std::int64_t candidates = 50;          // from each retriever before fusion
  std::int64_t ef_search = 256;          // HNSW candidates per query
  std::string vector_encoding = "int8";  // what the HNSW graph searches: int8 codes (re-ranked by float) or float32
  std::int64_t hnsw_m = 32;              // HNSW links per node of a new graph
  std::int64_t rerank = 64;              // int8: candidates re-ranked by the float inner product; 0 = all ef
  std::string vector_store = "memory";   // "memory" (HNSW in process) or "qdrant"
  std::string qdrant_url = "http://127.0.0.1:6333";        // Qdrant's REST endpoint
  std::string qdrant_api_key;                              // secret reference, sent as `api-key`; empty: none
  std::string qdrant_collection = "salesboost_knowledge";  // one collection for every tenant
  std::int64_t qdrant_timeout_ms = 2000;                   // one search exchange
  std::int64_t qdrant_write_timeout_ms = 10000;            // one upsert batch, delete or collection change
  std::int64_t qdrant_batch_size = 128;                    // points per upsert request
  std::int64_t qdrant_retries = 2;                         // further attempts after a retryable failure
  std::string qdrant_lexical = "local";                    // the lexical list: "local" BM25 or "qdrant" sparse
};

// [cluster]: where the state shared by instances lives. "none" keeps it in
// this process (one instance); "redis" shares it so that any instance serves
// any session (docs/operations.md).
struct ClusterOptions {
  std::string backend = "none";                        // "none" or "redis"
  std::string redis_url = "redis://127.0.0.1:6379/0";  // the primary (its db number is used with sentinels too)
  std::string redis_password;                          // secret reference; empty: no AUTH
  std::string sentinels;                               // comma-separated host:port; empty: no Sentinel
  std::string sentinel_master = "salesboost";          // the primary's name in Sentinel
  std::string instance_id;                             // empty: <hostname>-<pid>-<random>
  std::int64_t pool_size = 2;                          // command connections to Redis
  std::int64_t command_timeout_ms = 1000;              // a Redis command not answered by then fails
  std::int64_t lease_ttl_ms = 3000;                    // a session lease lapses this long after its last renewal
  std::int64_t lease_wait_ms = 60000;                  // a turn waits this long for another instance's lease
  std::int64_t heartbeat_ttl_ms = 3000;                // an instance silent this long is gone
  std::int64_t live_buffer_max_events = 10000;         // a running turn's events kept in its stream
  std::int64_t turn_claim_ttl_ms = 120000;             // how long a turn_id stays claimed by its instance
};

struct SecretsOptions {
  std::string provider = "env";                         // "env", "file", "vault" or "aws"
  std::string env_prefix = "SALESBOOST_SECRET_";        // env: secret a/b is <prefix>A_B
  std::string dir = "/run/secrets/salesboost";          // file: secret a/b is <dir>/a/b
  std::int64_t cache_ttl_s = 300;                       // a value read is served from memory this long
  std::int64_t refresh_interval_s = 300;                // re-read of the signing key for rotation; 0: never
  std::int64_t timeout_ms = 5000;                       // vault, aws: one HTTP exchange
  std::string ca_file;                                  // vault, aws: PEM CAs trusted besides the system's
  std::string vault_address;                            // "https://vault.internal:8200"
  std::string vault_mount = "secret";                   // the KV v2 engine's mount
  std::string vault_namespace;                          // X-Vault-Namespace; empty: none
  std::string vault_auth = "token";                     // "token" or "approle"
  std::string vault_token_env = "VAULT_TOKEN";          // variable holding the token
  std::string vault_token_file;                         // file holding the token; wins over the variable
  std::string vault_role_id;                            // approle
  std::string vault_secret_id_env = "VAULT_SECRET_ID";  // variable holding the approle secret_id
  std::string vault_secret_id_file;                     // file holding it; wins over the variable
  std::string vault_approle_mount = "approle";          // auth/<mount>/login
  std::string vault_default_field = "value";            // field read when a name has no #field
  std::string aws_region;                               // "eu-west-1"
  std::string aws_endpoint;                             // empty: https://secretsmanager.<region>.amazonaws.com
  std::string aws_credentials_file;     // shared credentials file; empty: AWS_ACCESS_KEY_ID etc. from the environment
  std::string aws_profile = "default";  // the profile in aws_credentials_file
};

// One OpenAI-compatible provider: [providers.<name>] in the file.
struct ProviderOptions {
  std::string base_url;  // e.g. "https://api.deepseek.com/v1"; required
  std::string model;     // required
  std::string api_key;   // secret reference; empty sends no key (a local vLLM or Ollama)
  std::int64_t connect_timeout_ms = 5000;
  std::int64_t first_token_timeout_ms = 15000;  // request sent to the first byte of the reply
  std::int64_t idle_timeout_ms = 10000;         // between streamed pieces
  std::int64_t total_timeout_ms = 60000;        // one call, retries excluded
  std::int64_t max_concurrency = 64;            // calls in flight; more wait
  double cost_input_per_1k = 0;                 // per 1,000 prompt tokens, in the operator's currency
  double cost_output_per_1k = 0;                // per 1,000 completion tokens
};

struct LlmOptions {
  std::string npc;        // comma-separated provider names tried in order; the offline engine always comes last
  std::string coach;      // the same for the coach's tips
  std::string evaluator;  // the same for the turn's scores
  std::int64_t history_turns = 20;      // earlier turns carried in the customer's prompt
  std::int64_t retry_max_attempts = 2;  // per provider, including the first; never after text was streamed
  std::int64_t retry_base_delay_ms = 200;
  std::int64_t retry_max_delay_ms = 2000;  // a longer Retry-After moves on to the next provider
  std::int64_t breaker_window = 20;        // calls in the sliding window
  std::int64_t breaker_minimum_calls = 10;
  std::int64_t breaker_failure_rate_percent = 50;
  std::int64_t breaker_slow_call_rate_percent = 100;
  std::int64_t breaker_slow_call_ms = 10000;
  std::int64_t breaker_open_ms = 30000;
  std::int64_t breaker_half_open_calls = 3;
  std::string extra_ca_file;  // PEM CAs trusted besides the system's, for providers behind a private CA
};

// Fields of secret kind hold a reference ("secret:name") until ResolveSecrets
// replaces it with the value, just before wiring.
struct AppConfig {
  DataOptions data;
  server::ServerOptions server;
  WebSocketAppOptions websocket_app;
  StoreOptions store;
  LogOptions log;
  AuthOptions auth;
  CatalogOptions catalog;
  LimitsOptions limits;
  ConversationOptions conversation;
  LlmOptions llm;
  KnowledgeSettings knowledge;
  std::map<std::string, ProviderOptions> providers;  // by name
  ClusterOptions cluster;
  SecretsOptions secrets;
};

}  // namespace salesboost::app
