#include "api/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace salesboost::api {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// The value of `key` among "; key=value" parameters (quoted or not).
std::string Parameter(std::string_view header, std::string_view key) {
  std::size_t at = 0;
  while ((at = header.find(';', at)) != std::string_view::npos) {
    ++at;
    std::string_view rest = Trim(header.substr(at));
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (Lower(Trim(rest.substr(0, eq))) != key) continue;
    rest = rest.substr(eq + 1);
    if (rest.starts_with('"')) {
      std::string value;
      for (std::size_t i = 1; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        value += rest[i];
      }
      return value;
    }
    return std::string(Trim(rest.substr(0, rest.find(';'))));
  }
  return {};
}

core::Error Malformed(std::string_view why) {
  return core::Error{core::ErrorCode::kInvalidArgument, "malformed multipart body: " + std::string(why)};
}

}  // namespace

core::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  if (!Lower(content_type).starts_with("multipart/form-data")) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "expected Content-Type multipart/form-data");
  }
  const std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200) return core::Fail(Malformed("no boundary"));
  const std::string delimiter = "--" + boundary;
  auto at = body.find(delimiter);
  if (at == std::string_view::npos) return core::Fail(Malformed("no part"));
  std::vector<FormPart> parts;
  while (true) {
    at += delimiter.size();
    if (body.substr(at).starts_with("--")) return parts;  // the closing delimiter
    if (!body.substr(at).starts_with("\r\n")) return core::Fail(Malformed("a delimiter not followed by CRLF"));
    at += 2;
    const auto headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return core::Fail(Malformed("a part without headers"));
    FormPart part;
    std::string_view headers = body.substr(at, headers_end - at);
    while (!headers.empty()) {
      const auto eol = std::min(headers.find("\r\n"), headers.size());
      const std::string_view line = headers.substr(0, eol);
      headers.remove_prefix(std::min(eol + 2, headers.size()));
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string name = Lower(Trim(line.substr(0, colon)));
      const std::string_view value = Trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        part.name = Parameter(value, "name");
        part.filename = Parameter(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    const auto data_start = headers_end + 4;
    const auto next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return core::Fail(Malformed("a part without its closing delimiter"));
    part.data = std::string(body.substr(data_start, next - data_start));
    if (part.name.empty()) return core::Fail(Malformed("a part without a form name"));
    parts.push_back(std::move(part));
    at = next + 2;
  }
}

}  // namespace salesboost::api
