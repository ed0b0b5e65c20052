#include "core/secret_access_listener.hpp"

namespace salesboost::core {

std::string_view SecretSourceName(SecretSource source) {
  switch (source) {
    case SecretSource::kBackend:
      return "backend";
    case SecretSource::kCache:
      return "cache";
    case SecretSource::kStale:
      return "stale";
  }
  return "backend";
}

std::string_view SecretOutcomeName(SecretOutcome outcome) {
  switch (outcome) {
    case SecretOutcome::kOk:
      return "ok";
    case SecretOutcome::kNotFound:
      return "not_found";
    case SecretOutcome::kDenied:
      return "denied";
    case SecretOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

SecretOutcome OutcomeOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return SecretOutcome::kNotFound;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return SecretOutcome::kDenied;
    default:
      return SecretOutcome::kFailed;
  }
}

void LoggingSecretAccessListener::OnSecretAccess(const SecretAccess& access) noexcept {
  try {
    const bool degraded = access.outcome != SecretOutcome::kOk || access.source == SecretSource::kStale;
    logger_.Log(degraded ? LogLevel::kWarn : LogLevel::kInfo, "secret_access",
                {{"secret", access.name},
                 {"provider", access.provider},
                 {"outcome", SecretOutcomeName(access.outcome)},
                 {"source", SecretSourceName(access.source)},
                 {"error", access.error}});
  } catch (...) {  // NOLINT(bugprone-empty-catch): an audit line must never break a secret read
  }
}

}  // namespace salesboost::core
