#include "client/line_reader.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <utility>

namespace salesboost::client {
namespace {

constexpr int kPollMs = 100;  // how soon the reader notices it should stop

// The terminal's settings before the reader changed them, for the signal
// handler (which may only touch plain globals). One reader at a time changes
// a terminal.
struct SavedTerminal {
  int fd = -1;
  termios settings{};
};
SavedTerminal g_saved;
std::array<struct sigaction, 3> g_previous{};
constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};

extern "C" void RestoreTerminalAndDie(int signal) {
  if (g_saved.fd >= 0) tcsetattr(g_saved.fd, TCSANOW, &g_saved.settings);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Columns a code point takes on a terminal: 2 for East Asian wide ones, else 1.
int Columns(std::string_view character) {
  const auto* b = reinterpret_cast<const unsigned char*>(character.data());
  char32_t cp = 0;
  if (character.size() == 3) {
    cp = ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu);
  } else if (character.size() == 4) {
    cp = ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
  } else {
    return 1;
  }
  const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || cp >= 0x20000;
  return wide ? 2 : 1;
}

}  // namespace

LineReader::LineReader(int fd, std::FILE* echo) : fd_(fd), echo_(echo) {
  termios settings{};
  if (isatty(fd_) == 1 && tcgetattr(fd_, &settings) == 0) {
    terminal_ = true;
    g_saved = SavedTerminal{.fd = fd_, .settings = settings};
    struct sigaction action {};
    action.sa_handler = RestoreTerminalAndDie;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &action, &g_previous[i]);
    settings.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
    settings.c_cc[VMIN] = 1;
    settings.c_cc[VTIME] = 0;
    tcsetattr(fd_, TCSANOW, &settings);
  }
  thread_ = std::thread([this] { Run(); });
}

LineReader::~LineReader() {
  stop_ = true;
  thread_.join();
  if (terminal_) {
    tcsetattr(fd_, TCSANOW, &g_saved.settings);
    for (std::size_t i = 0; i < kSignals.size(); ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
    g_saved.fd = -1;
  }
}

std::optional<InputLine> LineReader::Next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!ready_.wait_for(lock, timeout, [this] { return !lines_.empty() || ended_; })) return std::nullopt;
  if (lines_.empty()) return InputLine{.text = {}, .end = true};
  auto line = std::move(lines_.front());
  lines_.pop_front();
  return line;
}

std::string LineReader::Pending() const {
  std::lock_guard lock(mutex_);
  return partial_;
}

std::uint64_t LineReader::Completed() const {
  std::lock_guard lock(mutex_);
  return completed_;
}

void LineReader::Run() {
  std::array<char, 4096> chunk{};
  while (!stop_) {
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    const int polled = poll(&ready, 1, kPollMs);
    if (polled == 0 || (polled < 0 && errno == EINTR)) continue;
    const ssize_t n = polled < 0 ? -1 : read(fd_, chunk.data(), chunk.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      std::string rest;
      {
        std::lock_guard lock(mutex_);
        rest = std::exchange(partial_, {});
      }
      if (!rest.empty()) Push(InputLine{.text = std::move(rest), .end = false});
      Push(InputLine{.text = {}, .end = true});
      return;
    }
    Feed(chunk.data(), static_cast<std::size_t>(n));
  }
}

void LineReader::Feed(const char* data, std::size_t size) {
  if (!terminal_) {
    for (std::size_t i = 0; i < size; ++i) {
      if (data[i] != '\n') {
        std::lock_guard lock(mutex_);
        partial_.push_back(data[i]);
        continue;
      }
      std::string line;
      {
        std::lock_guard lock(mutex_);
        line = std::exchange(partial_, {});
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      Push(InputLine{.text = std::move(line), .end = false});
    }
    return;
  }
  std::string echo;
  {
    auto output = LockOutput();
    for (std::size_t i = 0; i < size; ++i) FeedTerminal(data[i], echo);
    if (!echo.empty()) {
      std::fwrite(echo.data(), 1, echo.size(), echo_);
      std::fflush(echo_);
    }
  }
}

// One byte typed on the terminal; what to show for it goes to `echo`.
void LineReader::FeedTerminal(char c, std::string& echo) {
  const auto byte = static_cast<unsigned char>(c);
  if (escape_ == 1) {  // ESC x: a CSI sequence when x is '[', else x alone is skipped
    escape_ = c == '[' ? 2 : 0;
    return;
  }
  if (escape_ == 2) {  // parameters until a final byte in @..~
    if (byte >= 0x40 && byte <= 0x7E) escape_ = 0;
    return;
  }
  std::unique_lock lock(mutex_);
  if (c == '\r' || c == '\n') {
    InputLine line{.text = std::exchange(partial_, {}), .end = false};
    lock.unlock();
    echo += "\n";
    Push(std::move(line));
  } else if (c == 0x7F || c == 0x08) {  // Backspace: one code point
    if (partial_.empty()) return;
    std::size_t start = partial_.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(partial_[start]) & 0xC0u) == 0x80u) --start;
    const int columns = masked_ ? 1 : Columns(std::string_view(partial_).substr(start));
    partial_.erase(start);
    for (int i = 0; i < columns; ++i) echo += "\b \b";
  } else if (c == 0x04) {  // Ctrl-D on an empty line ends the input
    if (!partial_.empty()) return;
    ended_ = true;
    lock.unlock();
    ready_.notify_all();
  } else if (c == 0x1B) {
    escape_ = 1;
  } else if (byte < 0x20 && c != '\t') {
    // other control characters are ignored
  } else {
    partial_.push_back(c);
    // The terminal assembles a multi-byte character from its echoed bytes; masked, it is one '*'.
    if (masked_) {
      if ((byte & 0xC0u) != 0x80u) echo += '*';
    } else {
      echo += c;
    }
  }
}

void LineReader::Push(InputLine line) {
  {
    std::lock_guard lock(mutex_);
    if (line.end) {
      ended_ = true;
    } else {
      line.number = ++completed_;
      lines_.push_back(std::move(line));
    }
  }
  ready_.notify_all();
}

}  // namespace salesboost::client
