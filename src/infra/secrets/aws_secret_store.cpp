#include "infra/secrets/aws_secret_store.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

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
constexpr std::string_view kService = "secretsmanager";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool LooksLikeVersionId(std::string_view version) {
  return version.size() >= 32 && version.size() <= 64 &&
         version.find_first_not_of("0123456789abcdefABCDEF-") == std::string_view::npos;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with('=')) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

// "host" or "host:port" and the scheme of an endpoint URL.
std::string HostOf(std::string_view url) {
  auto rest = url.substr(url.find("://") == std::string_view::npos ? 0 : url.find("://") + 3);
  return std::string(rest.substr(0, rest.find('/')));
}

core::Error AwsError(const net::HttpResponse& response) {
  std::string type;
  std::string message;
  boost::system::error_code ec;
  const auto body = json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    const auto& o = body.as_object();
    if (const auto* t = o.if_contains("__type"); t != nullptr && t->is_string()) type = std::string(t->get_string());
    for (const char* key : {"message", "Message"}) {
      if (const auto* m = o.if_contains(key); m != nullptr && m->is_string()) message = std::string(m->get_string());
    }
  }
  if (type.empty()) type = response.Header("x-amzn-errortype").value_or("");
  if (const auto colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  if (const auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  const std::string detail =
      fmt::format("aws secretsmanager: HTTP {} {}{}{}", response.status, type, message.empty() ? "" : ": ", message);
  core::ErrorCode code = core::ErrorCode::kInternal;
  if (type == "ResourceNotFoundException") {
    code = core::ErrorCode::kNotFound;
  } else if (type == "InvalidSignatureException" || type == "UnrecognizedClientException" ||
             type == "ExpiredTokenException" || type == "IncompleteSignature" || type == "MissingAuthenticationToken") {
    code = core::ErrorCode::kUnauthenticated;
  } else if (type == "AccessDeniedException") {
    code = core::ErrorCode::kPermissionDenied;
  } else if (type == "InvalidParameterException" || type == "InvalidRequestException" ||
             type == "ValidationException") {
    code = core::ErrorCode::kInvalidArgument;
  } else if (type == "ThrottlingException" || response.status == 429 || response.status >= 500) {
    code = core::ErrorCode::kUnavailable;
  } else if (response.status == 403) {
    code = core::ErrorCode::kPermissionDenied;
  }
  return {code, detail};
}

}  // namespace

core::Result<aws::Credentials> ParseCredentialsFile(std::string_view text, std::string_view profile) {
  aws::Credentials out;
  bool in_profile = false;
  bool seen = false;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto line = Trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      in_profile = Trim(line.substr(1, line.size() - 2)) == profile;
      seen = seen || in_profile;
      continue;
    }
    if (!in_profile) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const auto key = Trim(line.substr(0, eq));
    const auto value = std::string(Trim(line.substr(eq + 1)));
    if (key == "aws_access_key_id") out.access_key_id = value;
    if (key == "aws_secret_access_key") out.secret_access_key = value;
    if (key == "aws_session_token") out.session_token = value;
  }
  if (!seen) return core::Fail(core::ErrorCode::kUnauthenticated, fmt::format("no [{}] profile", profile));
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return core::Fail(core::ErrorCode::kUnauthenticated,
                      fmt::format("[{}] lacks aws_access_key_id or aws_secret_access_key", profile));
  }
  return out;
}

AwsSecretStore::AwsSecretStore(AwsSecretsOptions options, const core::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      client_(std::make_unique<net::HttpClient>(net::HttpClientOptions{
          .max_idle_per_host = 4, .idle_keepalive = std::chrono::seconds(30), .extra_ca_file = options_.ca_file})) {
  if (options_.endpoint.empty()) {
    options_.endpoint = fmt::format("https://secretsmanager.{}.amazonaws.com", options_.region);
  }
  while (options_.endpoint.ends_with('/')) options_.endpoint.pop_back();
}

AwsSecretStore::~AwsSecretStore() {
  std::lock_guard lock(mutex_);
  client_->CloseIdle();
  client_.reset();
}

std::string AwsSecretStore::Describe(std::string_view name) const {
  auto split = core::SplitSecretName(name);
  if (!split) return "aws secretsmanager (invalid name)";
  std::string out = fmt::format("aws secretsmanager {} SecretId \"{}\"", options_.endpoint, split->path);
  if (!split->version.empty()) {
    out += fmt::format(" {} {}", LooksLikeVersionId(split->version) ? "VersionId" : "VersionStage", split->version);
  }
  if (!split->field.empty()) out += fmt::format(" field \"{}\"", split->field);
  return out;
}

core::Result<aws::Credentials> AwsSecretStore::CurrentCredentials() const {
  if (!options_.credentials_file.empty()) {
    auto text = core::ReadWholeFile(options_.credentials_file);
    if (!text) {
      return core::Fail(core::ErrorCode::kUnauthenticated, "cannot read secrets.aws_credentials_file");
    }
    auto parsed = ParseCredentialsFile(*text, options_.profile);
    if (!parsed) return core::Fail(parsed.error().code, "secrets.aws_credentials_file: " + parsed.error().message);
    return parsed;
  }
  if (options_.credentials.access_key_id.empty() || options_.credentials.secret_access_key.empty()) {
    return core::Fail(core::ErrorCode::kUnauthenticated,
                      "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or "
                      "secrets.aws_credentials_file");
  }
  return options_.credentials;
}

core::Result<std::string> AwsSecretStore::Get(std::string_view name) {
  auto split = core::SplitSecretName(name);
  if (!split) return core::Fail(split.error());
  auto credentials = CurrentCredentials();
  if (!credentials) return core::Fail(credentials.error());

  json::object body{{"SecretId", split->path}};
  if (!split->version.empty()) {
    body[LooksLikeVersionId(split->version) ? "VersionId" : "VersionStage"] = split->version;
  }
  aws::SignableRequest signable{.method = "POST",
                                .path = "/",
                                .query = {},
                                .headers = {{"Host", HostOf(options_.endpoint)},
                                            {"Content-Type", "application/x-amz-json-1.1"},
                                            {"X-Amz-Target", "secretsmanager.GetSecretValue"}},
                                .body = json::serialize(body)};
  aws::Sign(signable, options_.region, kService, *credentials, clock_.Now());
  net::HttpRequest request{.method = "POST",
                           .url = options_.endpoint + "/",
                           .headers = {},
                           .body = std::move(signable.body),
                           .connect_timeout = std::min(options_.timeout, std::chrono::milliseconds(5000)),
                           .first_byte_timeout = options_.timeout,
                           .idle_timeout = options_.timeout,
                           .total_timeout = options_.timeout};
  for (auto& header : signable.headers) request.headers.emplace_back(std::move(header));

  std::lock_guard lock(mutex_);
  auto response = core::RunOn(io_, client_->Fetch(std::move(request), kMaxResponseBytes));
  if (!response) return core::Fail(response.error().code, "aws secretsmanager: " + response.error().message);
  if (response->status != 200) return core::Fail(AwsError(*response));

  boost::system::error_code ec;
  const auto reply = json::parse(response->body, ec);
  if (ec || !reply.is_object()) {
    return core::Fail(core::ErrorCode::kInternal, "aws secretsmanager: the response is not a JSON object");
  }
  const auto& object = reply.as_object();
  const auto* secret_string = object.if_contains("SecretString");
  const auto* secret_binary = object.if_contains("SecretBinary");
  if (!split->field.empty()) {
    if (secret_string == nullptr || !secret_string->is_string()) {
      return core::Fail(
          core::ErrorCode::kNotFound,
          "aws secret " + split->path + " has no SecretString to take field \"" + split->field + "\" from");
    }
    const auto fields = json::parse(secret_string->get_string(), ec);
    const json::value* field = (!ec && fields.is_object()) ? fields.as_object().if_contains(split->field) : nullptr;
    if (field == nullptr) {
      return core::Fail(core::ErrorCode::kNotFound,
                        "aws secret " + split->path + " has no JSON field \"" + split->field + "\"");
    }
    if (!field->is_string() || field->get_string().empty()) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        "aws secret " + split->path + " field \"" + split->field + "\" is not a non-empty string");
    }
    return std::string(field->get_string());
  }
  if (secret_string != nullptr && secret_string->is_string() && !secret_string->get_string().empty()) {
    return std::string(secret_string->get_string());
  }
  if (secret_binary != nullptr && secret_binary->is_string()) {
    auto decoded = DecodeBase64(secret_binary->get_string());
    if (!decoded) return core::Fail(core::ErrorCode::kInternal, "aws secret " + split->path + ": bad SecretBinary");
    if (!decoded->empty()) return std::move(*decoded);
  }
  return core::Fail(core::ErrorCode::kNotFound, "aws secret " + split->path + " is empty");
}

}  // namespace salesboost::infra
