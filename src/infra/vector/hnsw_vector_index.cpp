#include "infra/vector/hnsw_vector_index.hpp"

// hnswlib 0.6.2's prefetching reads one link past the end of a full
// neighbour list (a heap overflow under AddressSanitizer); the distance
// kernel below is our own, so its SSE paths are not needed.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>
#include <immintrin.h>

#include <cmath>
#include <mutex>
#include <unordered_set>

namespace salesboost::infra {
namespace {

float DotPlain(const float* a, const float* b, std::size_t n) {
  float sum[8] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (std::size_t j = 0; j < 8; ++j) sum[j] += a[i + j] * b[i + j];
  }
  float total = 0;
  for (const float s : sum) total += s;
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}

__attribute__((target("avx2,fma"))) float DotAvx2(const float* a, const float* b, std::size_t n) {
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
  }
  for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
  const __m256 acc = _mm256_add_ps(acc0, acc1);
  __m128 sum = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  sum = _mm_hadd_ps(sum, sum);
  sum = _mm_hadd_ps(sum, sum);
  float total = _mm_cvtss_f32(sum);
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}

using DotFn = float (*)(const float*, const float*, std::size_t);

DotFn PickDot() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &DotAvx2 : &DotPlain;
}

const DotFn kDot = PickDot();

float InnerProductDistance(const void* a, const void* b, const void* param) {
  return 1.0F -
         kDot(static_cast<const float*>(a), static_cast<const float*>(b), *static_cast<const std::size_t*>(param));
}

}  // namespace

float Dot(const float* a, const float* b, std::size_t n) { return kDot(a, b, n); }

void Normalize(std::vector<float>& v) {
  const float norm = std::sqrt(Dot(v.data(), v.data(), v.size()));
  if (norm > 0) {
    for (auto& x : v) x /= norm;
  }
}

class HnswVectorIndex::Space final : public hnswlib::SpaceInterface<float> {
 public:
  explicit Space(std::size_t dimensions) : dimensions_(dimensions) {}
  size_t get_data_size() override { return dimensions_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &InnerProductDistance; }
  void* get_dist_func_param() override { return &dimensions_; }

 private:
  std::size_t dimensions_;
};

struct HnswVectorIndex::Graph {
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw;
  std::unordered_set<std::uint64_t> keys;  // live entries
};

HnswVectorIndex::HnswVectorIndex(HnswOptions options)
    : options_(options), space_(std::make_unique<Space>(options.dimensions)), graph_(std::make_unique<Graph>()) {
  graph_->hnsw =
      std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), 1024, options_.m, options_.ef_construction);
  graph_->hnsw->setEf(options_.ef_search);
}

void HnswVectorIndex::SetEf(std::size_t ef) {
  std::unique_lock lock(mutex_);
  options_.ef_search = ef;
  graph_->hnsw->setEf(ef);
}

HnswVectorIndex::~HnswVectorIndex() = default;

std::size_t HnswVectorIndex::Size() const {
  std::shared_lock lock(mutex_);
  return graph_->keys.size();
}

bool HnswVectorIndex::Contains(std::uint64_t key) const {
  std::shared_lock lock(mutex_);
  return graph_->keys.contains(key);
}

std::vector<std::uint64_t> HnswVectorIndex::Keys() const {
  std::shared_lock lock(mutex_);
  return {graph_->keys.begin(), graph_->keys.end()};
}

core::Result<void> HnswVectorIndex::Add(std::uint64_t key, std::vector<float> vector) {
  if (vector.size() != options_.dimensions) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "embedding has " + std::to_string(vector.size()) +
                                                             " dimensions, the index " +
                                                             std::to_string(options_.dimensions));
  }
  Normalize(vector);
  std::unique_lock lock(mutex_);
  auto& hnsw = *graph_->hnsw;
  try {
    if (hnsw.cur_element_count >= hnsw.max_elements_) hnsw.resizeIndex(hnsw.max_elements_ * 2);
    hnsw.addPoint(vector.data(), key);
  } catch (const std::exception& e) {
    return core::Fail(core::ErrorCode::kInternal, std::string("dense index: ") + e.what());
  }
  graph_->keys.insert(key);
  return core::Ok();
}

void HnswVectorIndex::Remove(std::uint64_t key) {
  std::unique_lock lock(mutex_);
  if (graph_->keys.erase(key) == 0) return;
  try {
    graph_->hnsw->markDelete(key);
  } catch (const std::exception&) {
    // Not in the graph: nothing to hide.
  }
}

std::vector<knowledge::ScoredKey> HnswVectorIndex::Search(std::vector<float> query, std::size_t k,
                                                          const std::function<bool(std::uint64_t)>& accept) const {
  if (query.size() != options_.dimensions || k == 0) return {};
  Normalize(query);
  std::shared_lock lock(mutex_);
  if (graph_->keys.empty()) return {};
  auto& hnsw = *graph_->hnsw;
  std::vector<knowledge::ScoredKey> hits;
  std::size_t want = k;
  // Filtered-out entries are skipped; ask for more until `k` pass or the graph is exhausted.
  while (true) {
    auto found = hnsw.searchKnn(query.data(), std::min(want, graph_->keys.size()));
    std::vector<knowledge::ScoredKey> all;
    while (!found.empty()) {
      all.push_back({found.top().second, 1.0 - found.top().first});
      found.pop();
    }
    // Best first; equal similarities (the same text twice) by key, so the order does not depend on the graph.
    std::sort(all.begin(), all.end(), [](const knowledge::ScoredKey& a, const knowledge::ScoredKey& b) {
      return a.score != b.score ? a.score > b.score : a.key < b.key;
    });
    hits.clear();
    for (const auto& hit : all) {
      if (!accept || accept(hit.key)) hits.push_back(hit);
    }
    if (hits.size() >= k || want >= graph_->keys.size()) break;
    want *= 4;
  }
  if (hits.size() > k) hits.resize(k);
  return hits;
}

core::Result<void> HnswVectorIndex::Save(const std::filesystem::path& file) const {
  std::shared_lock lock(mutex_);
  const auto tmp = file.string() + ".tmp";
  try {
    graph_->hnsw->saveIndex(tmp);
  } catch (const std::exception& e) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot save the dense index: " + std::string(e.what()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return core::Fail(core::ErrorCode::kUnavailable, "cannot save the dense index: " + ec.message());
  return core::Ok();
}

core::Result<std::unique_ptr<HnswVectorIndex>> HnswVectorIndex::Load(const std::filesystem::path& file,
                                                                     HnswOptions options) {
  auto index = std::make_unique<HnswVectorIndex>(options);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return core::Fail(core::ErrorCode::kNotFound, "no dense index at " + file.string());
  }
  try {
    // The loading constructor: loadIndex() on a built graph would leak the graph's first allocations.
    index->graph_->hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space_.get(), file.string());
  } catch (const std::exception& e) {
    return core::Fail(core::ErrorCode::kInvalidArgument,
                      "cannot load the dense index " + file.string() + ": " + e.what());
  }
  auto& hnsw = *index->graph_->hnsw;
  hnsw.setEf(options.ef_search);
  for (std::size_t i = 0; i < hnsw.cur_element_count; ++i) {
    if (!hnsw.isMarkedDeleted(static_cast<hnswlib::tableint>(i))) {
      index->graph_->keys.insert(hnsw.getExternalLabel(static_cast<hnswlib::tableint>(i)));
    }
  }
  return index;
}

}  // namespace salesboost::infra
