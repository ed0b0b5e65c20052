#include "knowledge/dense_vectors.hpp"

#include <fstream>

namespace salesboost::knowledge {

namespace asio = boost::asio;

void DenseVectors::Load() {
  if (deps_.embedder == nullptr || options_.file.empty()) return;
  // The saved graph is used only when it was built from the same model.
  std::ifstream meta(options_.file.string() + ".meta");
  std::string model;
  std::size_t dimensions = 0;
  if (!std::getline(meta, model) || !(meta >> dimensions) || model != deps_.embedder->Model() || dimensions == 0) {
    return;
  }
  auto dense = deps_.vectors.Load(options_.file, dimensions);
  if (!dense) {
    deps_.logger.Warn("knowledge_dense_reset", {{"error", dense.error().message}});
    return;
  }
  for (const auto key : (*dense)->Keys()) {
    if (!deps_.index.HasChild(key)) (*dense)->Remove(key);  // chunks deleted after the last save
  }
  deps_.index.SetDense(std::move(*dense));
}

asio::awaitable<core::Result<std::size_t>> DenseVectors::Add(std::vector<std::pair<std::uint64_t, std::string>> todo) {
  std::size_t added = 0;
  for (std::size_t start = 0; start < todo.size(); start += options_.embed_batch) {
    const auto end = std::min(todo.size(), start + options_.embed_batch);
    std::vector<std::string> texts;
    for (std::size_t i = start; i < end; ++i) texts.push_back(todo[i].second);
    auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.embed_budget);
    if (!vectors) co_return core::Fail(vectors.error());
    if (vectors->size() != end - start || vectors->front().empty()) {
      co_return core::Fail(core::ErrorCode::kUnavailable, "embeddings: wrong number or size of vectors");
    }
    if (deps_.index.Dense() == nullptr) deps_.index.SetDense(deps_.vectors.Create(vectors->front().size()));
    // Graph inserts cost milliseconds each: on the workers, not the I/O thread.
    auto insert = [&]() -> core::Result<void> {
      for (std::size_t i = start; i < end; ++i) {
        if (!deps_.index.HasChild(todo[i].first)) continue;  // deleted meanwhile
        if (auto done = deps_.index.Dense()->Add(todo[i].first, std::move((*vectors)[i - start])); !done) return done;
        ++added;
      }
      return core::Ok();
    };
    if (auto inserted = co_await deps_.workers.Run(insert); !inserted) co_return core::Fail(inserted.error());
  }
  co_return added;
}

asio::awaitable<void> DenseVectors::Save() {
  auto* dense = deps_.index.Dense();
  if (dense == nullptr || options_.file.empty() || deps_.embedder == nullptr) co_return;
  const std::string model = deps_.embedder->Model();
  auto save = [this, dense, &model]() -> core::Result<void> {
    std::lock_guard lock(save_mutex_);
    std::filesystem::create_directories(options_.file.parent_path());
    if (auto done = dense->Save(options_.file); !done) return done;
    std::ofstream meta(options_.file.string() + ".meta", std::ios::trunc);
    meta << model << '\n' << dense->Dimensions() << '\n';
    if (!meta) return core::Fail(core::ErrorCode::kUnavailable, "cannot write the dense index's metadata");
    return core::Ok();
  };
  auto saved = co_await deps_.workers.Run(save);
  if (!saved) deps_.logger.Warn("knowledge_dense_save_failed", {{"error", saved.error().message}});
}

asio::awaitable<core::Result<std::size_t>> DenseVectors::Backfill() {
  if (deps_.embedder == nullptr) co_return std::size_t{0};
  auto todo = deps_.index.MissingVectors();
  if (todo.empty()) co_return std::size_t{0};
  auto added = co_await Add(std::move(todo));
  co_await Save();
  if (added) deps_.logger.Info("knowledge_vectors_added", {{"count", static_cast<std::int64_t>(*added)}});
  co_return added;
}

asio::awaitable<std::optional<std::vector<float>>> DenseVectors::QueryVector(std::string text) {
  if (deps_.embedder == nullptr || deps_.index.Dense() == nullptr) co_return std::nullopt;
  std::vector<std::string> texts{std::move(text)};
  auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.query_embed_budget);
  if (!vectors || vectors->size() != 1) co_return std::nullopt;
  co_return std::move(vectors->front());
}

}  // namespace salesboost::knowledge
