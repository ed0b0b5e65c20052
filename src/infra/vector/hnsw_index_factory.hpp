// HnswIndexFactory: the knowledge::VectorIndexFactory port making
// HnswVectorIndex graphs with the configured HNSW parameters (their
// `dimensions` is ignored: it comes with each call). Immutable; thread-safe.
#pragma once

#include "infra/vector/hnsw_vector_index.hpp"
#include "knowledge/index/vector_index_factory.hpp"

namespace salesboost::infra {

class HnswIndexFactory final : public knowledge::VectorIndexFactory {
 public:
  explicit HnswIndexFactory(HnswOptions options = {}) : options_(options) {}

  std::unique_ptr<knowledge::VectorIndex> Create(std::size_t dimensions) const override;
  core::Result<std::unique_ptr<knowledge::VectorIndex>> Load(const std::filesystem::path& file,
                                                             std::size_t dimensions) const override;

 private:
  HnswOptions options_;
};

}  // namespace salesboost::infra
