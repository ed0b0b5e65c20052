#include "core/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace salesboost::core {

std::string IsoSeconds(std::chrono::system_clock::time_point time) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(time));
}

}  // namespace salesboost::core
