// SseParser: an incremental parser for text/event-stream as the WHATWG HTML
// standard defines it (what OpenAI-compatible servers stream): bytes arrive in
// arbitrary pieces; lines end in LF, CRLF or CR (a CR at the end of one piece
// and an LF at the start of the next are one line end); ':' lines are
// comments; "data" lines of one event are joined with '\n'; a blank line
// dispatches. An event larger than the limit is an error, so a hostile
// upstream cannot grow the buffer without bound. Not thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace salesboost::llm {

struct SseEvent {
  std::string type = "message";  // the "event" field
  std::string data;
  std::string id;  // the last event id seen so far
};

class SseParser {
 public:
  explicit SseParser(std::size_t max_event_bytes = 1 << 20) : max_event_bytes_(max_event_bytes) {}

  // Parses one piece of the stream; appends the events it completes to `out`.
  core::Result<void> Feed(std::string_view bytes, std::vector<SseEvent>& out);

  std::optional<int> retry_ms() const { return retry_ms_; }

 private:
  core::Result<void> Line(std::string_view line, std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;
  std::string data_;
  std::string type_;
  std::string last_id_;
  std::optional<int> retry_ms_;
  bool after_cr_ = false;
  bool started_ = false;  // past a leading byte-order mark
};

}  // namespace salesboost::llm
