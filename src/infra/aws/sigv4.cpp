#include "infra/aws/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace salesboost::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xF]);
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Leading and trailing spaces removed, inner runs of spaces collapsed to one.
std::string TrimAll(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// AWS's URI encoding: unreserved characters as they are, everything else %XX (upper case).
std::string UriEncode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[u >> 4]);
      out.push_back(kDigits[u & 0xF]);
    }
  }
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    const auto end = std::min(query.find('&', start), query.size());
    const auto part = query.substr(start, end - start);
    if (!part.empty()) {
      const auto eq = part.find('=');
      const auto key = eq == std::string_view::npos ? part : part.substr(0, eq);
      const auto value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
      params.emplace_back(UriEncode(PercentDecode(key)), UriEncode(PercentDecode(value)));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

std::string ScopeOf(const SigningScope& scope) {
  return scope.amz_date.substr(0, 8) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

std::string AmzDate(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof(digest));
}

std::string CanonicalRequest(const SignableRequest& request, std::string* signed_headers) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    auto& merged = headers[Lower(name)];
    if (!merged.empty()) merged.push_back(',');
    merged.append(TrimAll(value));
  }
  std::string canonical_headers;
  std::string names;
  for (const auto& [name, value] : headers) {
    canonical_headers.append(name).append(":").append(value).append("\n");
    if (!names.empty()) names.push_back(';');
    names.append(name);
  }
  if (signed_headers != nullptr) *signed_headers = names;
  std::string out = request.method;
  out.append("\n").append(request.path.empty() ? "/" : request.path);
  out.append("\n").append(CanonicalQuery(request.query));
  out.append("\n").append(canonical_headers);
  out.append("\n").append(names);
  out.append("\n").append(Sha256Hex(request.body));
  return out;
}

std::string StringToSign(std::string_view canonical_request, const SigningScope& scope) {
  std::string out(kAlgorithm);
  out.append("\n").append(scope.amz_date);
  out.append("\n").append(ScopeOf(scope));
  out.append("\n").append(Sha256Hex(canonical_request));
  return out;
}

std::string Signature(std::string_view string_to_sign, const SigningScope& scope, std::string_view secret_access_key) {
  const std::string date_key = Hmac("AWS4" + std::string(secret_access_key), scope.amz_date.substr(0, 8));
  const std::string region_key = Hmac(date_key, scope.region);
  const std::string service_key = Hmac(region_key, scope.service);
  const std::string signing_key = Hmac(service_key, "aws4_request");
  const std::string mac = Hmac(signing_key, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

std::string AuthorizationHeader(const SignableRequest& request, const SigningScope& scope,
                                const Credentials& credentials) {
  std::string signed_headers;
  const std::string canonical = CanonicalRequest(request, &signed_headers);
  const std::string signature = Signature(StringToSign(canonical, scope), scope, credentials.secret_access_key);
  return std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" + ScopeOf(scope) +
         ", SignedHeaders=" + signed_headers + ", Signature=" + signature;
}

void Sign(SignableRequest& request, std::string_view region, std::string_view service, const Credentials& credentials,
          std::chrono::system_clock::time_point now) {
  const SigningScope scope{.amz_date = AmzDate(now), .region = std::string(region), .service = std::string(service)};
  request.headers.emplace_back("X-Amz-Date", scope.amz_date);
  if (!credentials.session_token.empty())
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  request.headers.emplace_back("Authorization", AuthorizationHeader(request, scope, credentials));
}

bool ParseAuthorization(std::string_view header, ParsedAuthorization& out) {
  if (!header.starts_with(kAlgorithm) || header.size() <= kAlgorithm.size() || header[kAlgorithm.size()] != ' ') {
    return false;
  }
  bool have_credential = false;
  bool have_headers = false;
  bool have_signature = false;
  for (const auto& part : Split(header.substr(kAlgorithm.size() + 1), ',')) {
    const std::string field = TrimAll(part);
    const auto eq = field.find('=');
    if (eq == std::string::npos) return false;
    const std::string name = field.substr(0, eq);
    const std::string value = field.substr(eq + 1);
    if (name == "Credential") {
      const auto pieces = Split(value, '/');
      if (pieces.size() != 5 || pieces[4] != "aws4_request") return false;
      out.access_key_id = pieces[0];
      out.date = pieces[1];
      out.region = pieces[2];
      out.service = pieces[3];
      have_credential = true;
    } else if (name == "SignedHeaders") {
      out.signed_headers = Split(value, ';');
      have_headers = true;
    } else if (name == "Signature") {
      out.signature = value;
      have_signature = true;
    }
  }
  return have_credential && have_headers && have_signature;
}

}  // namespace salesboost::aws
