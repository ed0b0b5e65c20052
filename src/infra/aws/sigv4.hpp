// AWS Signature Version 4 (HMAC-SHA256 over a canonical request), as the AWS
// General Reference describes it, for signing requests to AWS APIs and, in the
// Secrets Manager double, for checking them. Pure functions over OpenSSL's
// SHA-256 and HMAC; thread-safe. Checked against AWS's published test suite
// (tests/data/aws-sigv4).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salesboost::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; sent as X-Amz-Security-Token and signed
};

// A request as it goes on the wire. Header names in any case; `path` is the
// URI path as sent (already percent-encoded), `query` the raw query without '?'.
struct SignableRequest {
  std::string method;
  std::string path = "/";
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct SigningScope {
  std::string amz_date;  // "20150830T123600Z", the X-Amz-Date header
  std::string region;    // "us-east-1"
  std::string service;   // "secretsmanager"
};

// "20150830T123600Z" of a UTC time.
std::string AmzDate(std::chrono::system_clock::time_point time);

// Lower-case hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);

// The canonical request; `signed_headers` receives "host;x-amz-date".
// Every header of `request` is signed.
std::string CanonicalRequest(const SignableRequest& request, std::string* signed_headers = nullptr);

// "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of canonical request>".
std::string StringToSign(std::string_view canonical_request, const SigningScope& scope);

// Lower-case hex signature of `string_to_sign` with the key derived from the secret.
std::string Signature(std::string_view string_to_sign, const SigningScope& scope, std::string_view secret_access_key);

// The Authorization header's value for `request`, which must already carry
// Host and X-Amz-Date (and X-Amz-Security-Token for temporary credentials).
std::string AuthorizationHeader(const SignableRequest& request, const SigningScope& scope,
                                const Credentials& credentials);

// Adds X-Amz-Date (from `now`), X-Amz-Security-Token (when the credentials
// have one) and Authorization to `request`, which must carry Host.
void Sign(SignableRequest& request, std::string_view region, std::string_view service, const Credentials& credentials,
          std::chrono::system_clock::time_point now);

// The parts of an Authorization header, for checking a signature.
struct ParsedAuthorization {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;
};
// nullopt-like: `ok` false when the header is not AWS4-HMAC-SHA256 in the documented shape.
bool ParseAuthorization(std::string_view header, ParsedAuthorization& out);

}  // namespace salesboost::aws
