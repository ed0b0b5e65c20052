#include "app/knowledge_setup.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "brain/in_memory_knowledge.hpp"
#include "knowledge/text/front_matter.hpp"

namespace salesboost::app {
namespace {

knowledge::KnowledgeOptions Options(const AppConfig& config) {
  const auto& k = config.knowledge;
  knowledge::KnowledgeOptions options;
  options.chunking = {.child_tokens = static_cast<std::size_t>(k.child_tokens),
                      .parent_tokens = static_cast<std::size_t>(k.parent_tokens),
                      .overlap_tokens = static_cast<std::size_t>(k.overlap_tokens)};
  options.limits.max_bytes = static_cast<std::size_t>(config.knowledge.max_upload_bytes);
  options.limits.max_pages = static_cast<int>(k.max_pages);
  options.limits.max_pixels = k.max_megapixels * 1'000'000;
  options.limits.max_decoded_bytes = k.max_decoded_bytes;
  options.limits.file_deadline = std::chrono::milliseconds(k.file_deadline_ms);
  options.limits.max_chars = static_cast<std::size_t>(k.max_file_chars);
  options.limits.max_chunks = static_cast<std::size_t>(k.max_file_chunks);
  options.ocr_lanes = static_cast<int>(k.workers);
  options.dense_file = std::filesystem::path(config.data.dir) / "knowledge" / "dense.hnsw";
  options.rrf_k = k.rrf_k;
  options.sparse_weight = k.sparse_weight;
  options.dense_weight = k.dense_weight;
  options.candidates = static_cast<std::size_t>(k.candidates);
  options.remote_lexical = k.vector_store == "qdrant" && k.qdrant_lexical == "qdrant";
  return options;
}

std::unique_ptr<infra::QdrantVectorStore> MakeQdrant(const AppConfig& config, llm::ProviderSet& providers,
                                                     const core::Clock& clock, const core::Logger& logger,
                                                     core::MetricsRegistry* metrics) {
  const auto& k = config.knowledge;
  if (k.vector_store != "qdrant") return nullptr;
  infra::QdrantOptions options;
  options.url = k.qdrant_url;
  while (options.url.ends_with('/')) options.url.pop_back();
  options.api_key = k.qdrant_api_key;  // resolved by the secret store at load
  options.collection = k.qdrant_collection;
  options.timeout = std::chrono::milliseconds(k.qdrant_timeout_ms);
  options.write_timeout = std::chrono::milliseconds(k.qdrant_write_timeout_ms);
  options.batch_size = static_cast<std::size_t>(k.qdrant_batch_size);
  options.retry.max_attempts = static_cast<int>(k.qdrant_retries) + 1;
  return std::make_unique<infra::QdrantVectorStore>(std::move(options), providers.Http(), clock, logger, metrics);
}

constexpr std::string_view kDemoTenant = "default";
constexpr std::string_view kLegacyDemoCollection = "demo";  // where earlier releases put every demo document

}  // namespace

KnowledgeRuntime::KnowledgeRuntime(const AppConfig& config, storage::Store& store, llm::ProviderSet& providers,
                                   const core::Clock& clock, core::IdGenerator& ids, const core::Logger& logger,
                                   core::MetricsRegistry* metrics)
    : workers(static_cast<int>(config.knowledge.workers)),
      tesseract(workers, config.knowledge.ocr_languages),
      vision(
          config.knowledge.ocr_provider.empty()
              ? nullptr
              : std::make_unique<infra::VisionOcr>(*providers.Find(config.knowledge.ocr_provider), tesseract, workers,
                                                   std::chrono::milliseconds(config.knowledge.ocr_timeout_ms), logger)),
      embedder(config.knowledge.embeddings.empty()
                   ? nullptr
                   : std::make_unique<knowledge::ProviderEmbedder>(*providers.Find(config.knowledge.embeddings))),
      vectors(
          infra::HnswOptions{.dimensions = 0,
                             .m = static_cast<std::size_t>(config.knowledge.hnsw_m),
                             .ef_construction = 200,
                             .ef_search = static_cast<std::size_t>(config.knowledge.ef_search),
                             .encoding = config.knowledge.vector_encoding == "float32" ? infra::VectorEncoding::kFloat32
                                                                                       : infra::VectorEncoding::kInt8,
                             .rerank = static_cast<std::size_t>(config.knowledge.rerank)},
          &logger),
      qdrant(MakeQdrant(config, providers, clock, logger, metrics)),
      base(Options(config), knowledge::KnowledgeBase::Deps{.store = store,
                                                           .workers = workers,
                                                           .ocr = vision ? static_cast<knowledge::Ocr&>(*vision)
                                                                         : static_cast<knowledge::Ocr&>(tesseract),
                                                           .pdf = pdf,
                                                           .images = images,
                                                           .embedder = embedder.get(),
                                                           .vectors = vectors,
                                                           .vector_store = qdrant.get(),
                                                           .clock = clock,
                                                           .ids = ids,
                                                           .logger = logger}) {}

boost::asio::awaitable<core::Result<int>> ImportDemoKnowledgeIfEmpty(knowledge::KnowledgeBase& base) {
  auto existing = co_await base.Documents(std::string(kDemoTenant), "");
  if (!existing) co_return core::Fail(existing.error());
  int imported = 0;
  for (const auto& file : brain::DemoKnowledgeFiles()) {
    // Fresh tenant: every file. Otherwise only those still in the legacy collection.
    const auto legacy = std::find_if(existing->begin(), existing->end(), [&](const knowledge::DocumentRecord& d) {
      return d.collection == kLegacyDemoCollection && d.name == file.name;
    });
    if (!existing->empty() && legacy == existing->end()) continue;
    std::string text(file.content);
    std::string collection = knowledge::TakeFrontMatter(text).collection;
    if (collection.empty() || collection == kLegacyDemoCollection) {
      co_return core::Fail(core::ErrorCode::kInternal,
                           std::string(file.name) + ": the front matter names no collection of its own");
    }
    knowledge::IngestRequest request{.tenant_id = std::string(kDemoTenant),
                                     .collection = std::move(collection),
                                     .type = {},
                                     .file = {std::string(file.name), std::string(file.content)}};
    auto outcome = co_await base.Ingest(std::move(request), {});
    if (outcome.status == "failed")
      co_return core::Fail(core::ErrorCode::kInternal, outcome.name + ": " + outcome.error);
    ++imported;
    if (legacy != existing->end()) {
      auto deleted = co_await base.Delete(std::string(kDemoTenant), legacy->id);
      if (!deleted) co_return core::Fail(deleted.error());
    }
  }
  co_return imported;
}

}  // namespace salesboost::app
