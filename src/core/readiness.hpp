// ReadinessProbe: one dependency's answer to "can this instance serve traffic?".
// /readyz runs every registered probe. Implementations must not block the
// calling thread (await blocking work) and must be thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

namespace salesboost::core {

struct ProbeResult {
  bool ready = false;
  std::string detail;  // short, safe for the public endpoint
};

class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;
  virtual std::string Name() const = 0;
  virtual boost::asio::awaitable<ProbeResult> Check() = 0;
};

}  // namespace salesboost::core
