// AwsSecretStore: secrets from AWS Secrets Manager (GetSecretValue over the
// JSON 1.1 protocol, requests signed with Signature Version 4).
//
// Secret "llm/deepseek#api_key@AWSPREVIOUS" is GetSecretValue with SecretId
// "llm/deepseek" and the version after '@': a VersionId when it looks like
// one (32-64 hex digits and '-'), otherwise a VersionStage (default
// AWSCURRENT). Without "#field" the value is the SecretString (or the decoded
// SecretBinary); with it, the SecretString must be a JSON object and the
// value is its string member `field`.
//
// Credentials: the static ones given (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, read by app from the environment) or, when
// `credentials_file` is set, that shared-credentials file's `profile`, read
// again for each request so rotated credentials are picked up.
//
// Errors: kNotFound (ResourceNotFoundException, no such field),
// kUnauthenticated (no credentials; InvalidSignatureException,
// UnrecognizedClientException, ExpiredTokenException), kPermissionDenied
// (AccessDeniedException), kInvalidArgument (InvalidParameterException,
// InvalidRequestException), kUnavailable (5xx, ThrottlingException,
// connection failures), kDeadlineExceeded (`timeout`). Never a value.
//
// Get blocks (a private io_context): never on an I/O thread. Thread-safe:
// calls are serialised.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/secret_store.hpp"
#include "infra/aws/sigv4.hpp"

namespace salesboost::net {
class HttpClient;
}

namespace salesboost::infra {

struct AwsSecretsOptions {
  std::string region;            // "eu-west-1"; required
  std::string endpoint;          // empty: https://secretsmanager.<region>.amazonaws.com
  aws::Credentials credentials;  // static credentials (from the environment)
  std::string credentials_file;  // shared credentials file (INI); wins over `credentials`
  std::string profile = "default";
  std::string ca_file;                      // PEM CAs trusted besides the system's
  std::chrono::milliseconds timeout{5000};  // one HTTP exchange
};

// The [profile] of an AWS shared credentials file's text.
core::Result<aws::Credentials> ParseCredentialsFile(std::string_view text, std::string_view profile);

class AwsSecretStore final : public core::SecretStore {
 public:
  AwsSecretStore(AwsSecretsOptions options, const core::Clock& clock);
  ~AwsSecretStore() override;

  core::Result<std::string> Get(std::string_view name) override;
  std::string Describe(std::string_view name) const override;

 private:
  core::Result<aws::Credentials> CurrentCredentials() const;

  AwsSecretsOptions options_;
  const core::Clock& clock_;
  std::mutex mutex_;            // serialises Get
  boost::asio::io_context io_;  // before client_: the client is destroyed first
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace salesboost::infra
