// What tools/salesboost-load measures and how it reports it: latency
// summaries, the server's memory and CPU read from /proc, the memory slope of
// a soak, and the report as JSON and as Markdown. No I/O besides /proc.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/percentiles.hpp"

namespace salesboost::load {

// Latencies in milliseconds, summarised by nearest rank.
using LatencySummary = core::Percentiles;
using core::Summarize;

// One reading of a process: resident memory and CPU time used so far.
struct ProcSample {
  double at_s = 0;   // seconds since the run started
  long rss_kib = 0;  // VmRSS
  double cpu_s = 0;  // user + system time
};

// Reads /proc/<pid>/status and /proc/<pid>/stat; nullopt when the process is gone.
std::optional<ProcSample> ReadProc(int pid, double at_s);

// The least-squares slope of y over x; 0 with fewer than two distinct x.
double Slope(const std::vector<double>& x, const std::vector<double>& y);

// One load level: a target rate held for a while, and what it produced.
struct Step {
  double target_turns_per_s = 0;  // 0: closed loop, each session sends its next turn at once
  double seconds = 0;             // the measured window (after the step's warm-up)
  std::size_t turns = 0;          // turns completed that were sent in the window
  std::size_t late_turns = 0;     // sent more than 100 ms after their schedule (the client fell behind)
  LatencySummary first_delta_ms;  // from sending `turn` to the first npc.delta
  LatencySummary done_ms;         // to turn.done
  std::optional<LatencySummary> ttft_overhead_ms;  // first delta minus the provider's time to first token
  std::map<std::string, long> errors;
  double server_cpu_percent = -1;  // of one core, over the window; -1 without --pid
  long server_rss_kib = -1;        // at the end of the window
};

struct Report {
  std::string scenario;
  std::string server;  // host:port
  int connections = 0;
  int sources = 1;       // source addresses asked for
  int sources_used = 0;  // distinct local addresses the connections had
  long sessions_started = 0;
  long open_files_limit = 0;  // the generator's; the server started from the same shell has the same
  // Opening the connections (and, for active scenarios, the sessions).
  int connected = 0;
  double connect_seconds = 0;
  std::map<std::string, long> connect_errors;
  // Idle capacity: the server's RSS before the first connection and after holding them all.
  long rss_before_kib = -1;
  long rss_held_kib = -1;
  double hold_seconds = 0;
  int dropped_while_held = 0;
  std::vector<Step> steps;
  std::optional<double> provider_ttft_ms;
  // The server's RSS over the run, for the soak's slope.
  std::vector<ProcSample> samples;
  double warmup_s = 0;  // samples before this are not part of the slope
  double client_cpu_s = 0;
  double wall_seconds = 0;

  double ConnectsPerSecond() const;
  double KibPerConnection() const;  // -1 unless measured
  // Memory growth from the first sample after warm-up to the last, as a
  // fraction, and the fitted slope in KiB per minute; nullopt with too few samples.
  std::optional<double> MemoryGrowth() const;
  std::optional<double> MemorySlopeKibPerMinute() const;
  long TotalErrors() const;
};

boost::json::value ToJson(const Report& report);
std::string ToMarkdown(const Report& report);

}  // namespace salesboost::load
