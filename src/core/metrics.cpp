#include "core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "core/check.hpp"

namespace salesboost::core {
namespace {

void AppendEscapedLabel(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// {a="x",b="y"} plus an optional extra pair (for "le").
std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(names[i]).append("=\"");
    AppendEscapedLabel(out, values[i]);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out.push_back(',');
    out.append(extra_name).append("=\"").append(extra_value).append("\"");
  }
  out.push_back('}');
  return out;
}

template <typename Metric>
std::unique_ptr<Metric> MakeChild(const std::vector<double>& bounds) {
  if constexpr (std::is_same_v<Metric, Histogram>) {
    return std::make_unique<Histogram>(bounds);
  } else {
    return std::make_unique<Metric>();
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  SB_CHECK(std::is_sorted(bounds_.begin(), bounds_.end()));
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (value > 0) {
    sum_micros_.fetch_add(static_cast<std::uint64_t>(std::llround(value * 1e6)), std::memory_order_relaxed);
  }
}

double Histogram::Sum() const { return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6; }

std::vector<double> DefaultLatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                       std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

namespace {

constexpr char kLabelSeparator = '\x1f';

template <typename Values>
void JoinLabels(std::string& key, const Values& values) {
  key.clear();
  bool first = true;
  for (const auto& value : values) {
    if (!first) key.push_back(kLabelSeparator);
    first = false;
    key.append(value);
  }
}

std::vector<std::string> SplitLabels(std::string_view key, std::size_t count) {
  std::vector<std::string> values;
  if (count == 0) return values;
  std::size_t start = 0;
  for (;;) {
    const auto end = key.find(kLabelSeparator, start);
    values.emplace_back(key.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return values;
}

}  // namespace

template <typename Metric>
Metric& Family<Metric>::Find(const std::string& key) {
  {
    std::shared_lock lock(mutex_);
    if (const auto it = children_.find(std::string_view(key)); it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& child = children_[key];
  if (!child) child = MakeChild<Metric>(bounds_);
  return *child;
}

template <typename Metric>
Metric& Family<Metric>::With(std::initializer_list<std::string_view> label_values) {
  SB_CHECK(label_values.size() == label_names_.size());
  thread_local std::string key;  // reused: no allocation per lookup once warm
  JoinLabels(key, label_values);
  return Find(key);
}

template <typename Metric>
void Family<Metric>::Write(std::string& out, std::string_view type) const {
  out.append("# HELP ").append(name_).append(" ").append(help_).append("\n");
  out.append("# TYPE ").append(name_).append(" ").append(type).append("\n");
  std::shared_lock lock(mutex_);
  for (const auto& [key, metric] : children_) {
    const auto values = SplitLabels(key, label_names_.size());
    if constexpr (std::is_same_v<Metric, Histogram>) {
      std::uint64_t cumulative = 0;
      const auto& bounds = metric->Bounds();
      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += metric->BucketCount(i);
        const std::string le = i < bounds.size() ? FormatDouble(bounds[i]) : "+Inf";
        fmt::format_to(std::back_inserter(out), "{}_bucket{} {}\n", name_, Labels(label_names_, values, "le", le),
                       cumulative);
      }
      fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n", name_, Labels(label_names_, values),
                     FormatDouble(metric->Sum()));
      fmt::format_to(std::back_inserter(out), "{}_count{} {}\n", name_, Labels(label_names_, values), metric->Count());
    } else {
      fmt::format_to(std::back_inserter(out), "{}{} {}\n", name_, Labels(label_names_, values), metric->Value());
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct MetricsRegistry::Entry {
  template <std::size_t I, typename... Args>
  explicit Entry(std::in_place_index_t<I> index, Args&&... args) : family(index, std::forward<Args>(args)...) {}
  std::variant<Family<Counter>, Family<Gauge>, Family<Histogram>> family;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

template <std::size_t I, typename... Extra>
auto& MetricsRegistry::Emplace(std::string name, std::string help, std::vector<std::string> labels, Extra&&... extra) {
  std::lock_guard lock(mutex_);
  for (auto& existing : entries_) {
    const bool same_name = std::visit([&name](const auto& f) { return f.Name() == name; }, existing->family);
    if (!same_name) continue;
    SB_CHECK(existing->family.index() == I);
    SB_CHECK(std::get<I>(existing->family).LabelNames() == labels);
    return std::get<I>(existing->family);
  }
  auto& entry = entries_.emplace_back(std::make_unique<Entry>(std::in_place_index<I>, std::move(name), std::move(help),
                                                              std::move(labels), std::forward<Extra>(extra)...));
  return std::get<I>(entry->family);
}

Family<Counter>& MetricsRegistry::AddCounter(std::string name, std::string help, std::vector<std::string> labels) {
  return Emplace<0>(std::move(name), std::move(help), std::move(labels));
}

Family<Gauge>& MetricsRegistry::AddGauge(std::string name, std::string help, std::vector<std::string> labels) {
  return Emplace<1>(std::move(name), std::move(help), std::move(labels));
}

Family<Histogram>& MetricsRegistry::AddHistogram(std::string name, std::string help, std::vector<std::string> labels,
                                                 std::vector<double> bounds) {
  return Emplace<2>(std::move(name), std::move(help), std::move(labels), std::move(bounds));
}

std::string MetricsRegistry::WritePrometheus() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    std::visit(
        [&out](const auto& family) {
          using F = std::decay_t<decltype(family)>;
          if constexpr (std::is_same_v<F, Family<Counter>>) {
            family.Write(out, "counter");
          } else if constexpr (std::is_same_v<F, Family<Gauge>>) {
            family.Write(out, "gauge");
          } else {
            family.Write(out, "histogram");
          }
        },
        entry->family);
  }
  return out;
}

}  // namespace salesboost::core
