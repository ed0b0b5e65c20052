// Options of the Redis client (RedisClient, RedisSubscriber). Filled by app
// from the configuration; the password is the resolved secret value, never
// written in the configuration itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "resilience/circuit_breaker.hpp"

namespace salesboost::infra {

struct RedisOptions {
  // redis://host:port/db of the primary; ignored for the address when `sentinels` is set
  // (the database number is still read from it).
  std::string url = "redis://127.0.0.1:6379/0";
  std::string password;  // the secret's value; empty: no AUTH
  // "host:port" of Redis Sentinels; when set, the primary of `master_name` is asked
  // for, and asked again after a connection failure or a READONLY reply.
  std::vector<std::string> sentinels;
  std::string master_name = "salesboost";
  // This process; every connection is named salesboost:<instance_id> (CLIENT SETNAME),
  // which is how other instances tell that this one is alive.
  std::string instance_id;
  std::size_t pool_size = 2;                        // command connections (each one pipelines)
  std::chrono::milliseconds command_timeout{1000};  // a command not answered by then breaks its connection
  std::chrono::milliseconds connect_timeout{1000};  // TCP connect plus AUTH/SELECT/SETNAME
  std::chrono::milliseconds reconnect_min{50};      // first reconnect delay, doubled per failure
  std::chrono::milliseconds reconnect_max{2000};    // largest reconnect delay
  resilience::BreakerOptions breaker{.window = 20,
                                     .minimum_calls = 5,
                                     .failure_rate_percent = 50,
                                     .slow_call_rate_percent = 100,
                                     .slow_call_duration = std::chrono::milliseconds(1000),
                                     .open_duration = std::chrono::milliseconds(2000),
                                     .half_open_calls = 1};
};

}  // namespace salesboost::infra
