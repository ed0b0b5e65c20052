// HnswIndexFactory: the knowledge::VectorIndexFactory port making
// HnswVectorIndex graphs with the configured HNSW parameters (their
// `dimensions` is ignored: it comes with each call). A file of an older format
// or another encoding is converted on load, with an info line in `logger`
// (when set). Immutable; thread-safe.
#pragma once

#include "core/logging.hpp"
#include "infra/vector/hnsw_vector_index.hpp"
#include "knowledge/index/vector_index_factory.hpp"

namespace salesboost::infra {

class HnswIndexFactory final : public knowledge::VectorIndexFactory {
 public:
  explicit HnswIndexFactory(HnswOptions options = {}, const core::Logger* logger = nullptr)
      : options_(options), logger_(logger) {}

  std::unique_ptr<knowledge::VectorIndex> Create(std::size_t dimensions) const override;
  core::Result<std::unique_ptr<knowledge::VectorIndex>> Load(const std::filesystem::path& file,
                                                             std::size_t dimensions) const override;

 private:
  HnswOptions options_;
  const core::Logger* logger_;
};

}  // namespace salesboost::infra
