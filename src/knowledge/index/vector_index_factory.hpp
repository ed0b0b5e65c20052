// VectorIndexFactory: the port that makes VectorIndex instances, empty or
// from a saved file, once the embedding size is known
// (infra::HnswIndexFactory). Thread-safe.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "core/result.hpp"
#include "knowledge/index/vector_index.hpp"

namespace salesboost::knowledge {

class VectorIndexFactory {
 public:
  virtual ~VectorIndexFactory() = default;
  virtual std::unique_ptr<VectorIndex> Create(std::size_t dimensions) const = 0;
  // kNotFound when there is no file; kInvalidArgument when it cannot be read.
  virtual core::Result<std::unique_ptr<VectorIndex>> Load(const std::filesystem::path& file,
                                                          std::size_t dimensions) const = 0;
};

}  // namespace salesboost::knowledge
