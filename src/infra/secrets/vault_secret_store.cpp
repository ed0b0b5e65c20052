#include "infra/secrets/vault_secret_store.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/read_file.hpp"
#include "core/run_sync.hpp"
#include "net/http_client.hpp"

namespace salesboost::infra {
namespace {

namespace json = boost::json;
constexpr std::size_t kMaxResponseBytes = std::size_t{1} << 20;

std::string TrimmedFile(const std::string& path) {
  auto text = core::ReadWholeFile(path);
  if (!text) return {};
  std::string out = std::move(*text);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
  return out;
}

// Vault's {"errors":["..."]} joined, or the status.
std::string VaultErrors(const net::HttpResponse& response) {
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  std::string out;
  if (!ec && body.is_object()) {
    if (const auto* errors = body.as_object().if_contains("errors"); errors != nullptr && errors->is_array()) {
      for (const auto& e : errors->as_array()) {
        if (!e.is_string()) continue;
        if (!out.empty()) out += "; ";
        out += std::string(e.get_string());
      }
    }
  }
  return out.empty() ? fmt::format("HTTP {}", response.status) : fmt::format("HTTP {}: {}", response.status, out);
}

core::Error StatusError(const net::HttpResponse& response, std::string_view what) {
  const std::string detail = fmt::format("vault {}: {}", what, VaultErrors(response));
  if (response.status == 404) return {core::ErrorCode::kNotFound, detail};
  if (response.status == 403) return {core::ErrorCode::kPermissionDenied, detail};
  if (response.status == 400) return {core::ErrorCode::kInvalidArgument, detail};
  if (response.status == 429 || response.status >= 500) return {core::ErrorCode::kUnavailable, detail};
  return {core::ErrorCode::kInternal, detail};
}

}  // namespace

VaultSecretStore::VaultSecretStore(VaultOptions options, const core::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      client_(std::make_unique<net::HttpClient>(net::HttpClientOptions{
          .max_idle_per_host = 4, .idle_keepalive = std::chrono::seconds(30), .extra_ca_file = options_.ca_file})) {
  while (!options_.address.empty() && options_.address.back() == '/') options_.address.pop_back();
}

VaultSecretStore::~VaultSecretStore() {
  std::lock_guard lock(mutex_);
  client_->CloseIdle();
  client_.reset();
}

std::string VaultSecretStore::Describe(std::string_view name) const {
  auto split = core::SplitSecretName(name);
  if (!split) return fmt::format("vault {} (invalid name)", options_.address);
  std::string out = fmt::format("vault {}/v1/{}/data/{} field \"{}\"", options_.address, options_.mount, split->path,
                                split->field.empty() ? options_.default_field : split->field);
  if (!split->version.empty()) out += " version " + split->version;
  return out;
}

core::Result<std::string> VaultSecretStore::Get(std::string_view name) {
  auto split = core::SplitSecretName(name);
  if (!split) return core::Fail(split.error());
  std::uint64_t version = 0;
  if (!split->version.empty()) {
    const auto& v = split->version;
    if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || std::stoull(v) == 0) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        "secret '" + std::string(name) + "': a Vault version is a number from 1");
    }
    version = std::stoull(v);
  }
  const std::string field = split->field.empty() ? options_.default_field : split->field;

  std::lock_guard lock(mutex_);
  auto exchange = [this](net::HttpRequest request) {
    request.connect_timeout = std::min(options_.timeout, std::chrono::milliseconds(5000));
    request.first_byte_timeout = options_.timeout;
    request.idle_timeout = options_.timeout;
    request.total_timeout = options_.timeout;
    return core::RunOn(io_, client_->Fetch(std::move(request), kMaxResponseBytes));
  };
  auto with_namespace = [this](net::Headers headers) {
    if (!options_.namespace_name.empty()) headers.emplace_back("X-Vault-Namespace", options_.namespace_name);
    return headers;
  };

  const bool approle = options_.auth == "approle";
  auto login = [&]() -> core::Result<void> {
    const std::string secret_id =
        options_.secret_id_file.empty() ? options_.secret_id : TrimmedFile(options_.secret_id_file);
    if (options_.role_id.empty() || secret_id.empty()) {
      return core::Fail(core::ErrorCode::kUnauthenticated, "vault approle: role_id or secret_id is not configured");
    }
    net::HttpRequest request{
        .method = "POST",
        .url = fmt::format("{}/v1/auth/{}/login", options_.address, options_.approle_mount),
        .headers = with_namespace({{"Content-Type", "application/json"}}),
        .body = json::serialize(json::object{{"role_id", options_.role_id}, {"secret_id", secret_id}})};
    auto response = exchange(std::move(request));
    if (!response) return core::Fail(response.error().code, "vault approle login: " + response.error().message);
    if (response->status != 200) {
      auto error = StatusError(*response, "approle login");
      if (error.code == core::ErrorCode::kPermissionDenied || error.code == core::ErrorCode::kInvalidArgument) {
        error.code = core::ErrorCode::kUnauthenticated;
      }
      return core::Fail(std::move(error));
    }
    boost::system::error_code ec;
    const auto body = json::parse(response->body, ec);
    const json::value* auth = (!ec && body.is_object()) ? body.as_object().if_contains("auth") : nullptr;
    const json::value* token =
        (auth != nullptr && auth->is_object()) ? auth->as_object().if_contains("client_token") : nullptr;
    if (token == nullptr || !token->is_string() || token->get_string().empty()) {
      return core::Fail(core::ErrorCode::kInternal, "vault approle login: no auth.client_token in the response");
    }
    approle_token_ = std::string(token->get_string());
    renew_at_.reset();
    if (const auto* lease = auth->as_object().if_contains("lease_duration");
        lease != nullptr && lease->is_int64() && lease->get_int64() > 0) {
      renew_at_ = clock_.Now() + std::chrono::milliseconds(lease->get_int64() * 900);  // at 90% of the lease
    }
    return core::Ok();
  };

  auto read = [&](const std::string& token) {
    std::string url = fmt::format("{}/v1/{}/data/{}", options_.address, options_.mount, split->path);
    if (version > 0) url += fmt::format("?version={}", version);
    return exchange(net::HttpRequest{
        .method = "GET", .url = std::move(url), .headers = with_namespace({{"X-Vault-Token", token}}), .body = {}});
  };

  bool fresh_login = false;
  std::string token;
  if (approle) {
    if (approle_token_.empty() || (renew_at_ && clock_.Now() >= *renew_at_)) {
      if (auto logged_in = login(); !logged_in) return core::Fail(logged_in.error());
      fresh_login = true;
    }
    token = approle_token_;
  } else {
    token = options_.token_file.empty() ? options_.token : TrimmedFile(options_.token_file);
    if (token.empty()) {
      return core::Fail(core::ErrorCode::kUnauthenticated,
                        "no Vault token: set secrets.vault_token_env's variable or secrets.vault_token_file");
    }
  }
  auto response = read(token);
  if (response && response->status == 403 && approle && !fresh_login) {
    approle_token_.clear();  // expired or revoked: log in again, once
    if (auto logged_in = login(); !logged_in) return core::Fail(logged_in.error());
    response = read(approle_token_);
  }
  if (!response) return core::Fail(response.error().code, "vault read: " + response.error().message);
  if (response->status != 200) return core::Fail(StatusError(*response, "read " + split->path));

  boost::system::error_code ec;
  const auto body = json::parse(response->body, ec);
  const json::value* data = (!ec && body.is_object()) ? body.as_object().if_contains("data") : nullptr;
  const json::value* inner = (data != nullptr && data->is_object()) ? data->as_object().if_contains("data") : nullptr;
  if (inner == nullptr || !(inner->is_object() || inner->is_null())) {
    return core::Fail(core::ErrorCode::kInternal, "vault read " + split->path + ": not a KV version 2 response");
  }
  if (inner->is_null()) {  // a deleted or destroyed version
    return core::Fail(core::ErrorCode::kNotFound, "vault read " + split->path + ": the version is deleted");
  }
  const auto* value = inner->as_object().if_contains(field);
  if (value == nullptr) {
    return core::Fail(core::ErrorCode::kNotFound, "vault secret " + split->path + " has no field \"" + field + "\"");
  }
  if (!value->is_string()) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "vault secret " + split->path + " field \"" + field + "\" is not a string");
  }
  if (value->get_string().empty()) {
    return core::Fail(core::ErrorCode::kNotFound, "vault secret " + split->path + " field \"" + field + "\" is empty");
  }
  return std::string(value->get_string());
}

}  // namespace salesboost::infra
