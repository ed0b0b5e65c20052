// The salesboost subcommands. Each returns the process exit code:
// 0 success, 1 runtime failure, 2 configuration error.
#pragma once

#include <optional>
#include <string>

#include "app/config_loader.hpp"

namespace salesboost::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitConfigError = 2;

struct ServeFlags {
  std::optional<std::string> port_file;  // write the bound port here once listening
};

int RunServe(const ConfigInput& input, const ServeFlags& flags);
int RunMigrate(const ConfigInput& input);
int RunConfigCheck(const ConfigInput& input);
int RunVersion();

}  // namespace salesboost::app
