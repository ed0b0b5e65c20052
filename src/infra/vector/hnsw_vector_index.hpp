// HnswVectorIndex: the knowledge::VectorIndex port on hnswlib's HNSW graph.
// The graph is searched on compact int8 codes (one scale per vector) whose
// best candidates are re-ranked by the exact float inner product, or on the
// float vectors themselves; the kernels are ours, AVX2 or AVX-512 when the CPU
// has them (chosen at run time, dot_kernels.hpp), and the search loop is ours
// too, prefetching each neighbour's whole vector. The graph grows as needed;
// removed entries are marked deleted and never returned. Thread-safe:
// searches share, changes are exclusive.
//
// Saved file, format 2: "SBHNSW\0\0", u32 format, u32 encoding (0 float32,
// 1 int8), u64 dimensions, then hnswlib 0.6.2's own layout (header, level-0
// block, upper-level link lists). A file without the magic is format 1, a bare
// hnswlib file of float32 vectors as written before format 2. Either encoding
// loads into either: the graph's links are kept and each vector re-encoded
// (Converted() then says what was done), so no vector is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "knowledge/index/vector_index.hpp"

namespace salesboost::infra {

enum class VectorEncoding {
  kFloat32,  // 4 bytes a dimension, searched as is
  kInt8,     // 1 byte a dimension searched, the floats kept beside for re-ranking
};

struct HnswOptions {
  std::size_t dimensions = 0;
  std::size_t m = 32;                 // links per node (a loaded graph keeps its own)
  std::size_t ef_construction = 200;  // candidates while inserting
  std::size_t ef_search = 256;        // candidates per search (at least k): recall against speed
  VectorEncoding encoding = VectorEncoding::kInt8;
  std::size_t rerank = 64;  // int8: the best candidates re-scored by float (at least k); 0 = all ef of them
};

// The inner product of two vectors of `n` floats (the CPU's best kernel).
float Dot(const float* a, const float* b, std::size_t n);
// Scales `v` to unit length (left as is when zero).
void Normalize(std::vector<float>& v);

class HnswVectorIndex final : public knowledge::VectorIndex {
 public:
  static constexpr std::uint32_t kFormat = 2;

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
  void SetRerank(std::size_t rerank);
  // Similarity is the inner product of the unit vectors (exact for the re-ranked int8 candidates).
  std::vector<knowledge::ScoredKey> Search(std::vector<float> query, std::size_t k,
                                           const std::function<bool(std::uint64_t)>& accept) const override;

  core::Result<void> Save(const std::filesystem::path& file) const override;
  // kNotFound without the file; kInvalidArgument when it is not an index of `options.dimensions`.
  static core::Result<std::unique_ptr<HnswVectorIndex>> Load(const std::filesystem::path& file, HnswOptions options);
  // What Load converted, e.g. "format 1 float32 to format 2 int8"; empty when the file was used as is.
  const std::string& Converted() const { return converted_; }
  // Links per node of the graph (a loaded graph's own M).
  std::size_t M() const;

 private:
  class Space;
  struct Graph;
  HnswOptions options_;
  std::unique_ptr<Space> space_;
  std::unique_ptr<Graph> graph_;
  std::string converted_;
  mutable std::shared_mutex mutex_;
};

}  // namespace salesboost::infra
