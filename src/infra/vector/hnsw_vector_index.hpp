// HnswVectorIndex: the knowledge::VectorIndex port on hnswlib's HNSW graph,
// with our own inner-product kernel (AVX2 + FMA when the CPU has them, chosen
// at run time). The graph grows as needed; removed entries are marked deleted
// and never returned. Thread-safe: searches share, changes are exclusive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "core/result.hpp"
#include "knowledge/index/vector_index.hpp"

namespace salesboost::infra {

struct HnswOptions {
  std::size_t dimensions = 0;
  std::size_t m = 16;                 // links per node
  std::size_t ef_construction = 200;  // candidates while inserting
  std::size_t ef_search = 128;        // candidates per search (at least k): recall against speed
};

// The inner product of two vectors of `n` floats (AVX2 + FMA when available).
float Dot(const float* a, const float* b, std::size_t n);
// Scales `v` to unit length (left as is when zero).
void Normalize(std::vector<float>& v);

class HnswVectorIndex final : public knowledge::VectorIndex {
 public:
  explicit HnswVectorIndex(HnswOptions options);
  ~HnswVectorIndex() override;
  HnswVectorIndex(const HnswVectorIndex&) = delete;
  HnswVectorIndex& operator=(const HnswVectorIndex&) = delete;

  std::size_t Dimensions() const override { return options_.dimensions; }
  std::size_t Size() const override;
  bool Contains(std::uint64_t key) const override;
  std::vector<std::uint64_t> Keys() const override;

  // `vector` is normalised here.
  core::Result<void> Add(std::uint64_t key, std::vector<float> vector) override;
  void Remove(std::uint64_t key) override;
  void SetEf(std::size_t ef);
  // Similarity is 1 - distance.
  std::vector<knowledge::ScoredKey> Search(std::vector<float> query, std::size_t k,
                                           const std::function<bool(std::uint64_t)>& accept) const override;

  core::Result<void> Save(const std::filesystem::path& file) const override;
  static core::Result<std::unique_ptr<HnswVectorIndex>> Load(const std::filesystem::path& file, HnswOptions options);

 private:
  class Space;
  struct Graph;
  HnswOptions options_;
  std::unique_ptr<Space> space_;
  std::unique_ptr<Graph> graph_;
  mutable std::shared_mutex mutex_;
};

}  // namespace salesboost::infra
