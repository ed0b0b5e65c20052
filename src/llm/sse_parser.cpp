#include "llm/sse_parser.hpp"

#include <fmt/format.h>

#include <charconv>

namespace salesboost::llm {

core::Result<void> SseParser::Feed(std::string_view bytes, std::vector<SseEvent>& out) {
  if (!started_) {
    // A UTF-8 byte-order mark may open the stream; it may itself arrive in pieces.
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    line_.append(bytes);
    if (line_.size() < kBom.size() && kBom.starts_with(line_)) return {};
    started_ = true;
    std::string pending = std::move(line_);
    line_.clear();
    std::string_view rest = pending;
    if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
    return Feed(rest, out);
  }
  for (const char c : bytes) {
    if (after_cr_ && c == '\n') {
      after_cr_ = false;  // the LF of a CRLF whose CR ended the line already
      continue;
    }
    after_cr_ = false;
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      const std::string line = std::move(line_);
      line_.clear();
      if (auto done = Line(line, out); !done) return done;
      continue;
    }
    line_.push_back(c);
    if (line_.size() + data_.size() > max_event_bytes_) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("an event-stream event is larger than {} bytes", max_event_bytes_));
    }
  }
  return {};
}

core::Result<void> SseParser::Line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    if (!data_.empty()) {
      data_.pop_back();  // the '\n' after the last data line
      out.push_back(SseEvent{.type = type_.empty() ? "message" : type_, .data = std::move(data_), .id = last_id_});
    }
    data_.clear();
    type_.clear();
    return {};
  }
  if (line.front() == ':') return {};  // a comment (servers send them as keep-alives)
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
    if (data_.size() > max_event_bytes_) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("an event-stream event is larger than {} bytes", max_event_bytes_));
    }
  } else if (field == "event") {
    type_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  } else if (field == "retry") {
    int ms = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) retry_ms_ = ms;
  }
  // Other fields are ignored, as the standard says.
  return {};
}

}  // namespace salesboost::llm
