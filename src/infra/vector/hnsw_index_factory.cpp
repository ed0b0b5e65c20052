#include "infra/vector/hnsw_index_factory.hpp"

namespace salesboost::infra {

std::unique_ptr<knowledge::VectorIndex> HnswIndexFactory::Create(std::size_t dimensions) const {
  auto options = options_;
  options.dimensions = dimensions;
  return std::make_unique<HnswVectorIndex>(options);
}

core::Result<std::unique_ptr<knowledge::VectorIndex>> HnswIndexFactory::Load(const std::filesystem::path& file,
                                                                             std::size_t dimensions) const {
  auto options = options_;
  options.dimensions = dimensions;
  auto loaded = HnswVectorIndex::Load(file, options);
  if (!loaded) return core::Fail(loaded.error());
  if (logger_ != nullptr && !(*loaded)->Converted().empty()) {
    logger_->Info("knowledge_dense_converted", {{"file", file.string()},
                                                {"conversion", (*loaded)->Converted()},
                                                {"vectors", (*loaded)->Size()},
                                                {"m", (*loaded)->M()}});
  }
  return std::unique_ptr<knowledge::VectorIndex>(std::move(*loaded));
}

}  // namespace salesboost::infra
