// DenseIndex: approximate nearest neighbours over unit-length embeddings
// (hnswlib's HNSW graph; similarity is the inner product, using AVX2 when the
// CPU has it, chosen at run time). Entries are added, replaced and removed
// one at a time; the index grows as needed and saves to and loads from a file
// (written to a temporary name, then renamed). Thread-safe: searches share,
// changes are exclusive.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "core/result.hpp"
#include "knowledge/sparse_index.hpp"

namespace salesboost::knowledge {

struct DenseOptions {
  std::size_t dimensions = 0;
  std::size_t m = 16;
  std::size_t ef_construction = 200;
  std::size_t ef_search = 128;
};

// The inner product of two vectors of `n` floats (AVX2 + FMA when available).
float Dot(const float* a, const float* b, std::size_t n);
// Scales `v` to unit length (left as is when zero).
void Normalize(std::vector<float>& v);

class DenseIndex {
 public:
  explicit DenseIndex(DenseOptions options);
  ~DenseIndex();
  DenseIndex(const DenseIndex&) = delete;
  DenseIndex& operator=(const DenseIndex&) = delete;

  std::size_t Dimensions() const { return options_.dimensions; }
  std::size_t Size() const;
  bool Contains(std::uint64_t key) const;
  std::vector<std::uint64_t> Keys() const;

  // `vector` must have Dimensions() values; it is normalised here.
  core::Result<void> Add(std::uint64_t key, std::vector<float> vector);
  void Remove(std::uint64_t key);
  // Candidates explored per search (at least k): recall against speed.
  void SetEf(std::size_t ef);
  // The best `k` by similarity (1 - distance), best first; `accept` filters.
  std::vector<ScoredKey> Search(std::vector<float> query, std::size_t k,
                                const std::function<bool(std::uint64_t)>& accept) const;

  core::Result<void> Save(const std::filesystem::path& file) const;
  static core::Result<std::unique_ptr<DenseIndex>> Load(const std::filesystem::path& file, DenseOptions options);

 private:
  class Space;
  struct Graph;
  DenseOptions options_;
  std::unique_ptr<Space> space_;
  std::unique_ptr<Graph> graph_;
  mutable std::shared_mutex mutex_;
};

}  // namespace salesboost::knowledge
