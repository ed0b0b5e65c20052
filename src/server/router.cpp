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

void Router::Add(std::string method, std::string pattern, Handler handler, std::int64_t body_limit, HeaderCheck admit) {
  SB_CHECK(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (auto s : Split(pattern)) segments.emplace_back(s);
  largest_body_limit_ = std::max(largest_body_limit_, body_limit);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler), body_limit,
                          std::move(admit)});
}

const Router::Route* Router::Lookup(std::string_view method, std::string_view path,
                                    std::map<std::string, std::string>* params,
                                    std::vector<std::string>* allowed) const {
  if (path.empty() || path.front() != '/') return nullptr;
  const auto parts = Split(path);
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    // Without `allowed`, routes of other methods need no matching at all.
    if (allowed == nullptr && route.method != method) continue;
    bool matched = true;
    for (std::size_t i = 0; i < parts.size() && matched; ++i) {
      const auto& segment = route.segments[i];
      matched = IsCapture(segment) ? !parts[i].empty() : segment == parts[i];
    }
    if (!matched) continue;
    if (route.method == method) {
      if (params != nullptr) {  // captures are copied for the route that matched only
        params->clear();
        for (std::size_t i = 0; i < parts.size(); ++i) {
          const auto& segment = route.segments[i];
          if (IsCapture(segment)) params->emplace(segment.substr(1, segment.size() - 2), std::string(parts[i]));
        }
      }
      return &route;
    }
    if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), route.method) == allowed->end()) {
      allowed->push_back(route.method);
    }
  }
  return nullptr;
}

Router::FindResult Router::Find(std::string_view method, std::string_view path) const {
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  if (const Route* route = Lookup(method, path, &params, &allowed)) {
    return Match{&route->handler, route->pattern, std::move(params)};
  }
  if (!allowed.empty()) return MethodNotAllowed{std::move(allowed)};
  return NotFound{};
}

std::int64_t Router::BodyLimit(std::string_view method, std::string_view path, std::int64_t fallback) const {
  if (largest_body_limit_ == 0) return fallback;
  const Route* route = Lookup(method, path.substr(0, path.find('?')), nullptr, nullptr);
  return route != nullptr && route->body_limit > 0 ? route->body_limit : fallback;
}

const HeaderCheck* Router::Admission(std::string_view method, std::string_view path) const {
  const Route* route = Lookup(method, path.substr(0, path.find('?')), nullptr, nullptr);
  return route != nullptr && route->admit ? &route->admit : nullptr;
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) out.push_back(RouteInfo{route.method, route.pattern});
  return out;
}

}  // namespace salesboost::server
