// `salesboost chat`: a terminal client for a running server. Logs in, lets
// the trainee choose a scenario, then converses over WebSocket: the
// customer's reply streams as it arrives, coach tips, stage and mood changes
// are shown, and the report is printed when the session ends. The socket is
// served while the trainee types (keep-alive pings are answered, events shown
// as they arrive); a rate-limited turn is sent again after the server's wait.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace salesboost::app {

struct ChatFlags {
  std::string server = "http://127.0.0.1:8000";  // the server's default address
  std::string username = "trainee";
  std::optional<std::string> password_file;  // first line; else $SALESBOOST_PASSWORD; else asked on stdin
  std::optional<std::string> scenario;       // default: chosen from a list
  std::optional<std::string> persona;        // default: the scenario's first persona
  std::optional<std::int64_t> seed;          // the same seed replays the same customer; default: a new one
  std::string language = "en";
  int turn_max_chars = 4000;  // longest message sent; the server's limits.turn_max_chars, which it does not publish
};

int RunChat(const ChatFlags& flags, std::FILE* in, std::FILE* out);

}  // namespace salesboost::app
