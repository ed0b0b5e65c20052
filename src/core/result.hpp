// Result<T>: a value or an Error. Expected failures travel in the return type.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>

#include "core/error.hpp"

namespace salesboost::core {

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the error side of any Result: `return Fail(ErrorCode::kNotFound, "no such user");`
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

// The success value of a Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace salesboost::core
