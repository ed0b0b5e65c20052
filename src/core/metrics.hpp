// A small metrics registry and a Prometheus text-format writer.
//
// Families are registered once (at wiring time) and return stable references;
// updating a counter, gauge or histogram is lock-free. Looking up a labelled
// child takes a mutex, so hot paths should keep the child reference.
// Names follow salesboost_<module>_<what>_<unit>.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace salesboost::core {

class Counter {
 public:
  void Inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void Inc(std::int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  void Dec(std::int64_t n = 1) { value_.fetch_sub(n, std::memory_order_relaxed); }
  void Set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  std::int64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Cumulative histogram with fixed upper bounds (in the metric's unit, e.g. seconds).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  const std::vector<double>& Bounds() const { return bounds_; }
  // Non-cumulative count of the bucket `i` (i == Bounds().size() is +Inf).
  std::uint64_t BucketCount(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  std::uint64_t Count() const { return count_.load(std::memory_order_relaxed); }
  double Sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};  // sum kept in millionths of the unit
};

// Latency buckets in seconds, 0.5 ms to 10 s.
std::vector<double> DefaultLatencyBuckets();

template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {});

  // The child for these label values (created on first use). Values must match
  // label_names in count. Lookups of existing children take a shared lock only.
  Metric& With(std::initializer_list<std::string_view> label_values);
  // The child of a family without labels.
  Metric& Get() { return With(std::initializer_list<std::string_view>{}); }

  void Write(std::string& out, std::string_view type) const;
  const std::string& Name() const { return name_; }
  const std::vector<std::string>& LabelNames() const { return label_names_; }

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  Metric& Find(const std::string& key);

  mutable std::shared_mutex mutex_;
  // Label values joined by '\x1f' -> child; guarded by mutex_.
  std::map<std::string, std::unique_ptr<Metric>, std::less<>> children_;
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Adding a name that exists returns the existing family: several parts may
  // count into one family. Its kind and labels must match.
  Family<Counter>& AddCounter(std::string name, std::string help, std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(std::string name, std::string help, std::vector<std::string> labels = {});
  Family<Histogram>& AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                                  std::vector<double> bounds);

  // Prometheus text exposition format 0.0.4.
  std::string WritePrometheus() const;

 private:
  struct Entry;
  // The family called `name`, created from the arguments if there is none.
  template <std::size_t I, typename... Extra>
  auto& Emplace(std::string name, std::string help, std::vector<std::string> labels, Extra&&... extra);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;  // guarded by mutex_; registration order
};

}  // namespace salesboost::core
