// VectorIndex: the port to approximate nearest-neighbour search over
// embeddings (infra::HnswVectorIndex). Keys are the callers' 64-bit chunk
// keys; vectors are normalised by the index, similarity is the inner product
// of unit vectors. Entries are added, replaced and removed one at a time; the
// index saves itself to a file (written to a temporary name, then renamed).
// Implementations are thread-safe: searches share, changes are exclusive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/result.hpp"
#include "knowledge/index/scored_key.hpp"

namespace salesboost::knowledge {

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  virtual std::size_t Dimensions() const = 0;
  virtual std::size_t Size() const = 0;
  virtual bool Contains(std::uint64_t key) const = 0;
  virtual std::vector<std::uint64_t> Keys() const = 0;

  // `vector` must have Dimensions() values.
  virtual core::Result<void> Add(std::uint64_t key, std::vector<float> vector) = 0;
  virtual void Remove(std::uint64_t key) = 0;
  // The best `k` by similarity, best first; `accept` (when set) filters keys.
  virtual std::vector<ScoredKey> Search(std::vector<float> query, std::size_t k,
                                        const std::function<bool(std::uint64_t)>& accept) const = 0;

  virtual core::Result<void> Save(const std::filesystem::path& file) const = 0;
};

}  // namespace salesboost::knowledge
