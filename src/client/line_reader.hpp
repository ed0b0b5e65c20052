// LineReader: the terminal client's keyboard. A thread of its own reads lines
// from a file descriptor, so the caller's thread stays free to serve the
// WebSocket (answer the server's keep-alive pings, show events the moment
// they arrive) while the trainee thinks and types.
//
// On a terminal the line is edited here, not by the kernel: a terminal in
// canonical mode keeps at most 4095 bytes of a line (Linux's N_TTY_BUF_SIZE)
// and silently drops the rest, which cut a pasted 4,100-character message to
// 1,365 three-byte characters. The reader switches the terminal to
// non-canonical mode without echo, echoes what is typed itself, handles
// Backspace and Ctrl-D (end of input on an empty line), skips escape
// sequences (arrow keys), and restores the terminal's settings when destroyed
// or on SIGINT, SIGTERM and SIGHUP. From a pipe or a file, lines are read as
// they are, without echo.
//
// Thread-safety: Next and Pending may be called from any thread. The echo is
// written under the mutex LockOutput() returns; whoever else writes to the
// same stream holds it too, so a typed character never lands inside an event.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace salesboost::client {

struct InputLine {
  std::string text;          // without the line end
  bool end = false;          // the input has ended (Ctrl-D, end of file); `text` is empty
  std::uint64_t number = 0;  // 1 for the first line read, 2 for the next, ...
};

class LineReader {
 public:
  // Reads `fd` (not owned) and echoes to `echo` when `fd` is a terminal.
  LineReader(int fd, std::FILE* echo);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, waiting at most `timeout`; nullopt when none came in time.
  // After the end, every call returns {.end = true}.
  std::optional<InputLine> Next(std::chrono::milliseconds timeout);
  // What has been typed of the current line so far (a terminal only).
  std::string Pending() const;
  // Lines completed so far: a line numbered at most this was typed before now.
  std::uint64_t Completed() const;
  // Echo typed characters as '*' (for a password) or as they are.
  void set_masked(bool masked) { masked_ = masked; }
  bool IsTerminal() const { return terminal_; }

  std::unique_lock<std::mutex> LockOutput() { return std::unique_lock(output_mutex_); }

 private:
  void Run();
  void Feed(const char* data, std::size_t size);
  void FeedTerminal(char c, std::string& echo);
  void Push(InputLine line);

  const int fd_;
  std::FILE* const echo_;
  bool terminal_ = false;
  std::atomic<bool> masked_ = false;
  std::atomic<bool> stop_ = false;

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<InputLine> lines_;  // guarded by mutex_
  std::string partial_;          // guarded by mutex_
  bool ended_ = false;           // guarded by mutex_
  std::uint64_t completed_ = 0;  // guarded by mutex_

  int escape_ = 0;  // reader thread only: 1 after ESC, 2 inside a CSI sequence
  std::mutex output_mutex_;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace salesboost::client
