#include "server/router.hpp"

#include <algorithm>

#include "core/check.hpp"

namespace salesboost::server {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  SB_CHECK(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (auto s : Split(pattern)) segments.emplace_back(s);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

Router::FindResult Router::Find(std::string_view method, std::string_view path) const {
  if (path.empty() || path.front() != '/') return NotFound{};
  const auto parts = Split(path);
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool matched = true;
    for (std::size_t i = 0; i < parts.size() && matched; ++i) {
      const auto& segment = route.segments[i];
      if (IsCapture(segment)) {
        if (parts[i].empty()) {
          matched = false;
        } else {
          params.emplace(segment.substr(1, segment.size() - 2), std::string(parts[i]));
        }
      } else {
        matched = segment == parts[i];
      }
    }
    if (!matched) continue;
    if (route.method == method) return Match{&route.handler, route.pattern, std::move(params)};
    if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) allowed.push_back(route.method);
  }
  if (!allowed.empty()) return MethodNotAllowed{std::move(allowed)};
  return NotFound{};
}

}  // namespace salesboost::server
