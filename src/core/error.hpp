// Error values for failures the outside world causes (bad input, network, store).
// A code says whether retrying can help; the message is safe to show a client.
// Thread-safety: plain values.
#pragma once

#include <string>
#include <string_view>

namespace salesboost::core {

enum class ErrorCode {
  kInvalidArgument,     // the caller sent something wrong; do not retry unchanged
  kNotFound,            // the thing does not exist (or the caller may not know it does)
  kAlreadyExists,       // a create collided with an existing thing
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // credentials fine, action not allowed
  kFailedPrecondition,  // the system is not in a state that allows this
  kResourceExhausted,   // a limit or quota was hit; retry later
  kAborted,             // lost a race with a concurrent change; retry
  kDeadlineExceeded,    // took too long; may be retried
  kUnavailable,         // a dependency is down; may be retried
  kInternal,            // a bug or an unexpected failure; do not retry
};

// Stable snake_case name, used in the JSON error envelope ("not_found").
std::string_view ErrorCodeName(ErrorCode code);

// True for codes where the same request may succeed later.
bool IsRetryable(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe to show a client; details belong in logs

  friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace salesboost::core
