#include "load_report.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <fstream>
#include <numeric>
#include <sstream>

namespace salesboost::load {

namespace json = boost::json;

std::optional<ProcSample> ReadProc(int pid, double at_s) {
  ProcSample sample;
  sample.at_s = at_s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  bool found = false;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      sample.rss_kib = std::stol(line.substr(6));
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields restart after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state
    if (index == 14) utime = std::stod(field);
    if (index == 15) {
      stime = std::stod(field);
      break;
    }
  }
  sample.cpu_s = (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return sample;
}

double Slope(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = std::min(x.size(), y.size());
  if (n < 2) return 0;
  const double mean_x =
      std::accumulate(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), 0.0) / static_cast<double>(n);
  const double mean_y =
      std::accumulate(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n), 0.0) / static_cast<double>(n);
  double covariance = 0;
  double variance = 0;
  for (std::size_t i = 0; i < n; ++i) {
    covariance += (x[i] - mean_x) * (y[i] - mean_y);
    variance += (x[i] - mean_x) * (x[i] - mean_x);
  }
  return variance == 0 ? 0 : covariance / variance;
}

double Report::ConnectsPerSecond() const { return connect_seconds > 0 ? connected / connect_seconds : 0; }

double Report::KibPerConnection() const {
  if (rss_before_kib < 0 || rss_held_kib < 0 || connected == 0) return -1;
  return static_cast<double>(rss_held_kib - rss_before_kib) / connected;
}

namespace {

std::vector<ProcSample> AfterWarmup(const std::vector<ProcSample>& samples, double warmup_s) {
  std::vector<ProcSample> kept;
  std::copy_if(samples.begin(), samples.end(), std::back_inserter(kept),
               [&](const ProcSample& s) { return s.at_s >= warmup_s; });
  return kept;
}

}  // namespace

std::optional<double> Report::MemoryGrowth() const {
  const auto kept = AfterWarmup(samples, warmup_s);
  if (kept.size() < 2 || kept.front().rss_kib <= 0) return std::nullopt;
  return static_cast<double>(kept.back().rss_kib - kept.front().rss_kib) / static_cast<double>(kept.front().rss_kib);
}

std::optional<double> Report::MemorySlopeKibPerMinute() const {
  const auto kept = AfterWarmup(samples, warmup_s);
  if (kept.size() < 2) return std::nullopt;
  std::vector<double> x;
  std::vector<double> y;
  for (const auto& s : kept) {
    x.push_back(s.at_s / 60);
    y.push_back(static_cast<double>(s.rss_kib));
  }
  return Slope(x, y);
}

long Report::TotalErrors() const {
  long total = 0;
  for (const auto& [kind, count] : connect_errors) total += count;
  for (const auto& step : steps) {
    for (const auto& [kind, count] : step.errors) total += count;
  }
  return total + dropped_while_held;
}

namespace {

json::object ToJson(const LatencySummary& s) {
  return {{"count", s.count}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99}, {"max", s.max}, {"mean", s.mean}};
}

json::object ToJson(const std::map<std::string, long>& errors) {
  json::object out;
  for (const auto& [kind, count] : errors) out[kind] = count;
  return out;
}

std::string Errors(const std::map<std::string, long>& errors) {
  if (errors.empty()) return "0";
  std::string out;
  for (const auto& [kind, count] : errors) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", kind, count);
  return out;
}

std::string OrDash(double value, const char* format_spec) {
  return value < 0 ? "-" : fmt::format(fmt::runtime(format_spec), value);
}

}  // namespace

json::value ToJson(const Report& r) {
  json::object out{{"scenario", r.scenario},
                   {"server", r.server},
                   {"connections", r.connections},
                   {"sources", r.sources},
                   {"sources_used", r.sources_used},
                   {"sessions_started", r.sessions_started},
                   {"open_files_limit", r.open_files_limit},
                   {"connected", r.connected},
                   {"connect_seconds", r.connect_seconds},
                   {"connects_per_second", r.ConnectsPerSecond()},
                   {"connect_errors", ToJson(r.connect_errors)},
                   {"wall_seconds", r.wall_seconds},
                   {"client_cpu_seconds", r.client_cpu_s},
                   {"errors", r.TotalErrors()}};
  if (r.rss_held_kib >= 0) {
    out["idle"] = json::object{{"rss_before_kib", r.rss_before_kib},
                               {"rss_held_kib", r.rss_held_kib},
                               {"hold_seconds", r.hold_seconds},
                               {"dropped_while_held", r.dropped_while_held},
                               {"kib_per_connection", r.KibPerConnection()}};
  }
  if (r.provider_ttft_ms) out["provider_ttft_ms"] = *r.provider_ttft_ms;
  json::array steps;
  for (const auto& s : r.steps) {
    json::object step{{"target_turns_per_second", s.target_turns_per_s},
                      {"seconds", s.seconds},
                      {"turns", s.turns},
                      {"turns_per_second", s.seconds > 0 ? static_cast<double>(s.turns) / s.seconds : 0},
                      {"late_turns", s.late_turns},
                      {"first_delta_ms", ToJson(s.first_delta_ms)},
                      {"done_ms", ToJson(s.done_ms)},
                      {"errors", ToJson(s.errors)},
                      {"server_cpu_percent", s.server_cpu_percent},
                      {"server_rss_kib", s.server_rss_kib}};
    if (s.ttft_overhead_ms) step["ttft_overhead_ms"] = ToJson(*s.ttft_overhead_ms);
    steps.push_back(std::move(step));
  }
  out["steps"] = std::move(steps);
  json::array samples;
  for (const auto& s : r.samples) samples.push_back(json::array{s.at_s, s.rss_kib, s.cpu_s});
  json::object memory{{"samples", std::move(samples)},
                      {"sample_fields", json::array{"at_s", "rss_kib", "cpu_s"}},
                      {"warmup_seconds", r.warmup_s}};
  if (auto growth = r.MemoryGrowth()) memory["growth"] = *growth;
  if (auto slope = r.MemorySlopeKibPerMinute()) memory["slope_kib_per_minute"] = *slope;
  out["memory"] = std::move(memory);
  return out;
}

std::string ToMarkdown(const Report& r) {
  std::string out = fmt::format(
      "**{}**: {} connection{} from {} source address{}, {} open after {:.1f} s "
      "({:.0f} connections/s, {} sessions started); errors: {}.\n\n",
      r.scenario, r.connections, r.connections == 1 ? "" : "s", r.sources_used, r.sources_used == 1 ? "" : "es",
      r.connected, r.connect_seconds, r.ConnectsPerSecond(), r.sessions_started, Errors(r.connect_errors));
  if (r.rss_held_kib >= 0) {
    out += "| connections held | hold (s) | server RSS before (KiB) | held (KiB) | KiB per connection | dropped |\n";
    out += "|---|---|---|---|---|---|\n";
    out += fmt::format("| {} | {:.0f} | {} | {} | {:.2f} | {} |\n\n", r.connected, r.hold_seconds, r.rss_before_kib,
                       r.rss_held_kib, r.KibPerConnection(), r.dropped_while_held);
  }
  if (!r.steps.empty()) {
    const bool overhead = r.provider_ttft_ms.has_value();
    out +=
        "| target turns/s | turns/s | turns | first delta p50 (ms) | p90 | p99 | max | turn.done p50 (ms) | p90 | p99 "
        "| max |";
    out += overhead ? " TTFT overhead p50 (ms) | p99 |" : "";
    out += " late | server CPU | server RSS (KiB) | errors |\n";
    out += overhead ? "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
                    : "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& s : r.steps) {
      out += fmt::format("| {} | {:.0f} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} |",
                         s.target_turns_per_s > 0 ? fmt::format("{:g}", s.target_turns_per_s) : "max",
                         s.seconds > 0 ? static_cast<double>(s.turns) / s.seconds : 0, s.turns, s.first_delta_ms.p50,
                         s.first_delta_ms.p90, s.first_delta_ms.p99, s.first_delta_ms.max, s.done_ms.p50, s.done_ms.p90,
                         s.done_ms.p99, s.done_ms.max);
      if (overhead) {
        const auto o = s.ttft_overhead_ms.value_or(LatencySummary{});
        out += fmt::format(" {:.2f} | {:.2f} |", o.p50, o.p99);
      }
      out += fmt::format(" {} | {} | {} | {} |\n", s.late_turns, OrDash(s.server_cpu_percent, "{:.0f}%"),
                         s.server_rss_kib < 0 ? "-" : std::to_string(s.server_rss_kib), Errors(s.errors));
    }
    out += "\n";
  }
  const auto growth = r.MemoryGrowth();
  const auto slope = r.MemorySlopeKibPerMinute();
  if (growth && slope && r.warmup_s > 0) {
    const auto kept = AfterWarmup(r.samples, r.warmup_s);
    out += fmt::format(
        "Server memory from {:.0f} s to {:.0f} s: {} KiB to {} KiB, growth {:+.2f}%, fitted slope "
        "{:+.1f} KiB/min over {} samples.\n\n",
        kept.front().at_s, kept.back().at_s, kept.front().rss_kib, kept.back().rss_kib, 100 * *growth, *slope,
        kept.size());
  }
  out += fmt::format("Load generator CPU: {:.1f} s over {:.1f} s.\n", r.client_cpu_s, r.wall_seconds);
  return out;
}

}  // namespace salesboost::load
