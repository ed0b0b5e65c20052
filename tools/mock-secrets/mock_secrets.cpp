// mock-secrets: protocol-faithful doubles of the secret providers, for tests.
//
//   --kind vault   HashiCorp Vault, KV version 2 and AppRole:
//                  GET  /v1/<mount>/data/<path>[?version=N]  X-Vault-Token: the --token or an AppRole token
//                       -> {"data":{"data":{...},"metadata":{"version":N,...}}}; 404 {"errors":[]};
//                          403 {"errors":["permission denied"]}
//                  (with --namespace, reads without that X-Vault-Namespace get 404 "no handler for route")
//                  POST /v1/auth/approle/login {"role_id","secret_id"}
//                       -> {"auth":{"client_token","lease_duration":--approle-ttl-s,"renewable":true}}
//                          400 {"errors":["invalid role or secret ID"]}
//   --kind aws     AWS Secrets Manager, JSON 1.1: POST / with X-Amz-Target: secretsmanager.GetSecretValue,
//                  the SigV4 signature checked with --access-key/--secret-key/--region; a bad one gets
//                  400 {"__type":"InvalidSignatureException"}; {"SecretId","VersionId"|"VersionStage"}
//                       -> {"ARN","Name","SecretString"|"SecretBinary","VersionId","VersionStages","CreatedDate"};
//                          400 {"__type":"ResourceNotFoundException"}
//
// Test control (no auth):
//   POST /_mock/secret  vault {"name","data":{...}}; aws {"name","string"} or {"name","binary":base64}:
//                       a new version (aws: AWSCURRENT moves to it, AWSPREVIOUS to the one before)
//   POST /_mock/fault   {"delay_ms":N,"status":S,"drop":bool,"times":K}: the next K provider requests
//                       (K=-1: all, the default) wait delay_ms, then get status S (vault/aws error shape)
//                       or have their connection closed without a reply; {} clears
//   POST /_mock/revoke  vault: every AppRole token issued so far stops working (403)
//   GET  /_mock/stats   {"requests","logins","reads","denied","bad_signatures","faults"}
// With --tls-cert/--tls-key it speaks HTTPS only.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "infra/aws/sigv4.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace ssl = asio::ssl;
using asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

struct Options {
  std::string kind = "vault";
  std::string token = "root-token";
  std::string mount = "secret";
  std::string vault_namespace;  // when set, provider requests must carry it in X-Vault-Namespace
  std::string role_id = "role-1";
  std::string secret_id = "secret-1";
  std::int64_t approle_ttl_s = 3600;
  std::string access_key = "AKIDEXAMPLE";
  std::string secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  std::string region = "us-east-1";
};

struct Version {
  json::object data;       // vault: the data map
  std::string text;        // aws: SecretString
  std::string binary;      // aws: SecretBinary, base64 as given
  std::string version_id;  // aws
  std::vector<std::string> stages;
  std::int64_t created = 0;
};

struct Fault {
  std::int64_t delay_ms = 0;
  int status = 0;
  bool drop = false;
  std::int64_t times = 0;  // requests left to affect; -1: all
};

struct ApproleToken {
  std::chrono::steady_clock::time_point expires;
  bool revoked = false;
};

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Header(const Request& req, std::string_view name) {
  const auto it = req.find(beast::string_view(name.data(), name.size()));
  return it == req.end() ? std::string() : std::string(it->value());
}

// Everything runs on one thread: the state needs no lock.
class Double {
 public:
  explicit Double(Options options) : options_(std::move(options)) {}

  // The reply, or nullopt to drop the connection. May wait (injected delay).
  asio::awaitable<std::optional<Response>> Handle(const Request& req) {
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    if (path.starts_with("/_mock/")) co_return Control(req, path);
    ++stats_["requests"];
    if (fault_.times != 0) {
      const Fault fault = fault_;
      if (fault_.times > 0) --fault_.times;
      ++stats_["faults"];
      if (fault.delay_ms > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(std::chrono::milliseconds(fault.delay_ms));
        co_await timer.async_wait(kTuple);
      }
      if (fault.drop) co_return std::nullopt;
      if (fault.status > 0) {
        if (options_.kind == "vault") {
          co_return Reply(req, fault.status, json::object{{"errors", json::array{"injected failure"}}});
        }
        co_return AwsError(req, fault.status, "InternalServiceError", "injected failure");
      }
    }
    co_return options_.kind == "vault" ? Vault(req, target, path) : Aws(req);
  }

 private:
  static Response Reply(const Request& req, int status, const json::value& body,
                        std::string_view content_type = "application/json") {
    Response res(static_cast<http::status>(status), req.version());
    res.set(http::field::content_type, content_type);
    res.keep_alive(req.keep_alive());
    res.body() = json::serialize(body);
    res.prepare_payload();
    return res;
  }

  Response AwsError(const Request& req, int status, std::string_view type, std::string_view message) {
    auto res = Reply(req, status, json::object{{"__type", type}, {"message", message}}, "application/x-amz-json-1.1");
    res.set("x-amzn-ErrorType", type);
    res.set("x-amzn-RequestId", fmt::format("req-{}", stats_["requests"]));
    return res;
  }

  Response Control(const Request& req, const std::string& path) {
    boost::system::error_code ec;
    const auto body = req.body().empty() ? json::value(json::object{}) : json::parse(req.body(), ec);
    if (ec || !body.is_object()) return Reply(req, 400, json::object{{"error", "body must be a JSON object"}});
    const auto& o = body.as_object();
    if (path == "/_mock/stats") {
      json::object out;
      for (const auto& [k, v] : stats_) out[k] = v;
      return Reply(req, 200, out);
    }
    if (path == "/_mock/fault") {
      fault_ = Fault{};
      if (const auto* v = o.if_contains("delay_ms"); v != nullptr && v->is_int64()) fault_.delay_ms = v->as_int64();
      if (const auto* v = o.if_contains("status"); v != nullptr && v->is_int64()) {
        fault_.status = static_cast<int>(v->as_int64());
      }
      if (const auto* v = o.if_contains("drop"); v != nullptr && v->is_bool()) fault_.drop = v->as_bool();
      const bool any = fault_.delay_ms > 0 || fault_.status > 0 || fault_.drop;
      fault_.times = any ? -1 : 0;
      if (const auto* v = o.if_contains("times"); any && v != nullptr && v->is_int64()) fault_.times = v->as_int64();
      return Reply(req, 200, json::object{{"ok", true}});
    }
    if (path == "/_mock/revoke") {
      for (auto& [token, state] : approle_tokens_) state.revoked = true;
      return Reply(req, 200, json::object{{"ok", true}});
    }
    if (path == "/_mock/secret") {
      const auto* name = o.if_contains("name");
      if (name == nullptr || !name->is_string()) return Reply(req, 400, json::object{{"error", "name is required"}});
      auto& versions = secrets_[std::string(name->get_string())];
      Version v;
      v.created = Now();
      if (const auto* data = o.if_contains("data"); data != nullptr && data->is_object()) v.data = data->as_object();
      if (const auto* text = o.if_contains("string"); text != nullptr && text->is_string()) {
        v.text = std::string(text->get_string());
      }
      if (const auto* bin = o.if_contains("binary"); bin != nullptr && bin->is_string()) {
        v.binary = std::string(bin->get_string());
      }
      ++version_counter_;
      v.version_id = fmt::format("{:08x}-0000-4000-8000-{:012x}", version_counter_, versions.size() + 1);
      for (auto& old : versions) {
        std::erase(old.stages, std::string("AWSPREVIOUS"));
        if (std::erase(old.stages, std::string("AWSCURRENT")) > 0) old.stages.emplace_back("AWSPREVIOUS");
      }
      v.stages = {"AWSCURRENT"};
      versions.push_back(std::move(v));
      return Reply(req, 200,
                   json::object{{"version", static_cast<std::int64_t>(versions.size())},
                                {"version_id", versions.back().version_id}});
    }
    return Reply(req, 404, json::object{{"error", "no such control route"}});
  }

  bool VaultTokenValid(const std::string& token) {
    if (token.empty()) return false;
    if (token == options_.token) return true;
    const auto it = approle_tokens_.find(token);
    return it != approle_tokens_.end() && !it->second.revoked && std::chrono::steady_clock::now() < it->second.expires;
  }

  Response Vault(const Request& req, const std::string& target, const std::string& path) {
    if (path == "/v1/auth/approle/login" && req.method() == http::verb::post) {
      ++stats_["logins"];
      boost::system::error_code ec;
      const auto body = json::parse(req.body(), ec);
      const json::object* o = (!ec && body.is_object()) ? &body.as_object() : nullptr;
      const auto field = [o](const char* key) {
        const auto* v = o == nullptr ? nullptr : o->if_contains(key);
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      if (field("role_id") != options_.role_id || field("secret_id") != options_.secret_id) {
        return Reply(req, 400, json::object{{"errors", json::array{"invalid role or secret ID"}}});
      }
      const std::string token = fmt::format("hvs.mock{:06d}", ++token_counter_);
      approle_tokens_[token] = {std::chrono::steady_clock::now() + std::chrono::seconds(options_.approle_ttl_s), false};
      return Reply(req, 200,
                   json::object{{"request_id", fmt::format("login-{}", token_counter_)},
                                {"lease_id", ""},
                                {"renewable", false},
                                {"lease_duration", 0},
                                {"data", nullptr},
                                {"wrap_info", nullptr},
                                {"warnings", nullptr},
                                {"auth", json::object{{"client_token", token},
                                                      {"accessor", fmt::format("acc{}", token_counter_)},
                                                      {"policies", json::array{"default", "salesboost"}},
                                                      {"token_policies", json::array{"default", "salesboost"}},
                                                      {"metadata", json::object{{"role_name", "salesboost"}}},
                                                      {"lease_duration", options_.approle_ttl_s},
                                                      {"renewable", true},
                                                      {"entity_id", "mock-entity"},
                                                      {"token_type", "service"},
                                                      {"orphan", true}}}});
    }
    const std::string prefix = "/v1/" + options_.mount + "/data/";
    if (!options_.vault_namespace.empty() && Header(req, "X-Vault-Namespace") != options_.vault_namespace) {
      return Reply(req, 404, json::object{{"errors", json::array{"no handler for route \"" + path + "\""}}});
    }
    if (!VaultTokenValid(Header(req, "X-Vault-Token"))) {
      ++stats_["denied"];
      return Reply(req, 403, json::object{{"errors", json::array{"permission denied"}}});
    }
    if (!path.starts_with(prefix) || req.method() != http::verb::get) {
      return Reply(req, 404, json::object{{"errors", json::array{}}});
    }
    ++stats_["reads"];
    const std::string name = path.substr(prefix.size());
    const auto it = secrets_.find(name);
    if (it == secrets_.end() || it->second.empty()) return Reply(req, 404, json::object{{"errors", json::array{}}});
    std::size_t version = it->second.size();
    if (const auto q = target.find("version="); q != std::string::npos) {
      version = static_cast<std::size_t>(std::stoul(target.substr(q + 8)));
      if (version == 0) version = it->second.size();
    }
    if (version > it->second.size()) return Reply(req, 404, json::object{{"errors", json::array{}}});
    const auto& v = it->second[version - 1];
    return Reply(req, 200,
                 json::object{{"request_id", fmt::format("read-{}", stats_["reads"])},
                              {"lease_id", ""},
                              {"renewable", false},
                              {"lease_duration", 0},
                              {"data", json::object{{"data", v.data},
                                                    {"metadata", json::object{{"created_time", "2026-12-01T00:00:00Z"},
                                                                              {"custom_metadata", nullptr},
                                                                              {"deletion_time", ""},
                                                                              {"destroyed", false},
                                                                              {"version", version}}}}},
                              {"wrap_info", nullptr},
                              {"warnings", nullptr},
                              {"auth", nullptr}});
  }

  // Checks the request's SigV4 signature; the error reply when it is wrong.
  std::optional<Response> CheckSignature(const Request& req) {
    const std::string authorization = Header(req, "Authorization");
    salesboost::aws::ParsedAuthorization parsed;
    if (authorization.empty()) {
      return AwsError(req, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    if (!salesboost::aws::ParseAuthorization(authorization, parsed)) {
      return AwsError(req, 400, "IncompleteSignatureException",
                      "Authorization header requires Credential, "
                      "SignedHeaders and Signature");
    }
    if (parsed.access_key_id != options_.access_key) {
      return AwsError(req, 400, "UnrecognizedClientException",
                      "The security token included in the request is invalid.");
    }
    const std::string amz_date = Header(req, "X-Amz-Date");
    if (parsed.region != options_.region || parsed.service != "secretsmanager" || amz_date.size() < 8 ||
        parsed.date != amz_date.substr(0, 8)) {
      return AwsError(req, 400, "InvalidSignatureException",
                      fmt::format("Credential should be scoped to a valid region and service: {}/{}", options_.region,
                                  "secretsmanager"));
    }
    salesboost::aws::SignableRequest signable;
    signable.method = std::string(req.method_string());
    const std::string target(req.target());
    signable.path = target.substr(0, target.find('?'));
    if (const auto q = target.find('?'); q != std::string::npos) signable.query = target.substr(q + 1);
    signable.body = req.body();
    bool has_host = false;
    for (const auto& name : parsed.signed_headers) {
      has_host = has_host || name == "host";
      signable.headers.emplace_back(name, Header(req, name));
    }
    if (!has_host) {
      return AwsError(req, 400, "InvalidSignatureException", "'Host' must be a signed header");
    }
    const salesboost::aws::SigningScope scope{.amz_date = amz_date, .region = parsed.region, .service = parsed.service};
    const std::string canonical = salesboost::aws::CanonicalRequest(signable);
    const std::string expected =
        salesboost::aws::Signature(salesboost::aws::StringToSign(canonical, scope), scope, options_.secret_key);
    if (expected != parsed.signature) {
      ++stats_["bad_signatures"];
      return AwsError(req, 400, "InvalidSignatureException",
                      "The request signature we calculated does not match the signature you provided. Check your "
                      "AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return std::nullopt;
  }

  Response Aws(const Request& req) {
    if (req.method() != http::verb::post || req.target() != "/") {
      return AwsError(req, 404, "UnknownOperationException", "");
    }
    if (auto rejected = CheckSignature(req)) {
      ++stats_["denied"];
      return std::move(*rejected);
    }
    if (Header(req, "X-Amz-Target") != "secretsmanager.GetSecretValue") {
      return AwsError(req, 400, "UnknownOperationException", "");
    }
    boost::system::error_code ec;
    const auto body = json::parse(req.body(), ec);
    const json::object* o = (!ec && body.is_object()) ? &body.as_object() : nullptr;
    const auto* secret_id = o == nullptr ? nullptr : o->if_contains("SecretId");
    if (secret_id == nullptr || !secret_id->is_string()) {
      return AwsError(req, 400, "InvalidParameterException", "SecretId is required");
    }
    ++stats_["reads"];
    const std::string name(secret_id->get_string());
    const auto it = secrets_.find(name);
    if (it == secrets_.end() || it->second.empty()) {
      return AwsError(req, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    const Version* found = nullptr;
    const auto* version_id = o->if_contains("VersionId");
    const auto* stage = o->if_contains("VersionStage");
    const std::string wanted_stage =
        stage != nullptr && stage->is_string() ? std::string(stage->get_string()) : std::string("AWSCURRENT");
    for (const auto& v : it->second) {
      if (version_id != nullptr && version_id->is_string()) {
        if (v.version_id == version_id->get_string()) found = &v;
      } else if (std::find(v.stages.begin(), v.stages.end(), wanted_stage) != v.stages.end()) {
        found = &v;
      }
    }
    if (found == nullptr) {
      return AwsError(req, 400, "ResourceNotFoundException",
                      version_id != nullptr ? "Secrets Manager can't find the specified secret value for VersionId"
                                            : "Secrets Manager can't find the specified secret value for staging "
                                              "label: " +
                                                  wanted_stage);
    }
    json::array stages;
    for (const auto& s : found->stages) stages.emplace_back(s);
    json::object out{
        {"ARN", fmt::format("arn:aws:secretsmanager:{}:123456789012:secret:{}-AbCdEf", options_.region, name)},
        {"Name", name},
        {"VersionId", found->version_id},
        {"VersionStages", std::move(stages)},
        {"CreatedDate", static_cast<double>(found->created)}};
    if (!found->binary.empty()) {
      out["SecretBinary"] = found->binary;
    } else {
      out["SecretString"] = found->text;
    }
    return Reply(req, 200, out, "application/x-amz-json-1.1");
  }

  Options options_;
  std::map<std::string, std::vector<Version>> secrets_;
  std::map<std::string, ApproleToken> approle_tokens_;
  std::map<std::string, std::int64_t> stats_{{"requests", 0}, {"logins", 0},         {"reads", 0},
                                             {"denied", 0},   {"bad_signatures", 0}, {"faults", 0}};
  Fault fault_;
  std::uint64_t token_counter_ = 0;
  std::uint64_t version_counter_ = 0;
};

class Server {
 public:
  Server(Double& state, ssl::context* tls) : state_(state), tls_(tls) {}

  asio::awaitable<void> Accept(tcp::acceptor& acceptor) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        continue;
      }
      const auto executor = socket.get_executor();
      if (tls_ != nullptr) {
        asio::co_spawn(executor, ServeTls(beast::tcp_stream(std::move(socket))), asio::detached);
      } else {
        asio::co_spawn(executor, Serve(beast::tcp_stream(std::move(socket))), asio::detached);
      }
    }
  }

 private:
  asio::awaitable<void> ServeTls(beast::tcp_stream tcp) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls_);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (ec) co_return;
    co_await Serve(std::move(stream));
  }

  template <typename Stream>
  asio::awaitable<void> Serve(Stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      Request req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, kTuple);
      if (ec) co_return;
      auto res = co_await state_.Handle(req);
      if (!res) {  // injected: close without a reply
        beast::get_lowest_layer(stream).socket().close();
        co_return;
      }
      auto [wec, written] = co_await http::async_write(stream, *res, kTuple);
      if (wec || !req.keep_alive()) break;
    }
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  Double& state_;
  ssl::context* tls_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mock-secrets: HashiCorp Vault and AWS Secrets Manager doubles with failure injection, for tests"};
  Options options;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string port_file;
  std::string tls_cert;
  std::string tls_key;
  app.add_option("--kind", options.kind, "vault or aws")->check(CLI::IsMember({"vault", "aws"}));
  app.add_option("--host", host, "address to listen on");
  app.add_option("--port", port, "port to listen on; 0 picks a free one");
  app.add_option("--port-file", port_file, "write the port here once listening");
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS");
  app.add_option("--tls-key", tls_key, "PEM private key for --tls-cert");
  app.add_option("--token", options.token, "vault: the token accepted besides AppRole tokens");
  app.add_option("--mount", options.mount, "vault: the KV v2 mount");
  app.add_option("--namespace", options.vault_namespace, "vault: the X-Vault-Namespace reads must carry");
  app.add_option("--role-id", options.role_id, "vault: the AppRole role_id");
  app.add_option("--secret-id", options.secret_id, "vault: the AppRole secret_id");
  app.add_option("--approle-ttl-s", options.approle_ttl_s, "vault: lease of AppRole tokens");
  app.add_option("--access-key", options.access_key, "aws: the access key id");
  app.add_option("--secret-key", options.secret_key, "aws: the secret access key signatures are checked with");
  app.add_option("--region", options.region, "aws: the region");
  CLI11_PARSE(app, argc, argv);

  boost::system::error_code ec;
  std::unique_ptr<ssl::context> tls;
  if (!tls_cert.empty()) {
    tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    tls->use_certificate_chain_file(tls_cert, ec);
    if (!ec) tls->use_private_key_file(tls_key, ssl::context::pem, ec);
    if (ec) {
      std::cerr << "mock-secrets: cannot load the TLS certificate or key: " << ec.message() << "\n";
      return 2;
    }
  }
  asio::io_context io(1);
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
  if (ec) {
    std::cerr << "mock-secrets: bad --host\n";
    return 2;
  }
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint, ec);
  if (ec) {
    std::cerr << "mock-secrets: cannot listen on " << host << ":" << port << ": " << ec.message() << "\n";
    return 1;
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  const auto bound = acceptor.local_endpoint().port();
  std::cout << "mock-secrets (" << options.kind << ") listening on " << host << ":" << bound << (tls ? " (TLS)" : "")
            << std::endl;
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << bound << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  Double state(options);
  Server server(state, tls.get());
  asio::co_spawn(io, server.Accept(acceptor), asio::detached);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  io.run();
  return 0;
}
