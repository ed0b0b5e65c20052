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
  bool list_routes = false;              // print "METHOD pattern" per route served, then exit without listening
};

int RunServe(const ConfigInput& input, const ServeFlags& flags);
int RunMigrate(const ConfigInput& input);
int RunConfigCheck(const ConfigInput& input);
int RunVersion();

struct UserAddFlags {
  std::string username;
  std::string display_name;
  bool admin = false;
  std::optional<std::string> password_file;  // "-" reads standard input; absent: a password is generated
};

int RunUserAdd(const ConfigInput& input, const UserAddFlags& flags);

struct UserPasswdFlags {
  std::string username;
  std::optional<std::string> password_file;  // "-" reads standard input; absent: a password is generated
};

// Lists the users that exist.
int RunUserList(const ConfigInput& input);
// Sets a user's password and revokes its tokens.
int RunUserPasswd(const ConfigInput& input, const UserPasswdFlags& flags);
// Deletes a user (tokens revoked; sessions and reports kept).
int RunUserDelete(const ConfigInput& input, const std::string& username);

// Imports course files (or directories of them); one line per file.
int RunCatalogImport(const ConfigInput& input, const std::vector<std::string>& paths);

}  // namespace salesboost::app
