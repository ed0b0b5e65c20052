// The knowledge base as configured: its worker threads, the adapters it
// reads files with (Poppler, Leptonica, Tesseract, the vision model when one
// is named), the embeddings provider when one is named, the HNSW index
// factory or the Qdrant adapter, and the service itself. Shared by
// `serve`, `ingest` and `search`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "app/app_config.hpp"
#include "core/blocking_pool.hpp"
#include "infra/ocr/leptonica_image_decoder.hpp"
#include "infra/ocr/tesseract_ocr.hpp"
#include "infra/ocr/vision_ocr.hpp"
#include "infra/pdf/poppler_pdf_reader.hpp"
#include "infra/qdrant/qdrant_vector_store.hpp"
#include "infra/vector/hnsw_index_factory.hpp"
#include "knowledge/knowledge_base.hpp"
#include "knowledge/provider_embedder.hpp"
#include "llm/provider.hpp"

namespace salesboost::app {

struct KnowledgeRuntime {
  // `metrics` (null: none kept) outlives the runtime.
  KnowledgeRuntime(const AppConfig& config, storage::Store& store, llm::ProviderSet& providers,
                   const core::Clock& clock, core::IdGenerator& ids, const core::Logger& logger,
                   core::MetricsRegistry* metrics);

  core::BlockingPool workers;
  infra::PopplerPdfReader pdf;
  infra::LeptonicaImageDecoder images;
  infra::TesseractOcr tesseract;
  std::unique_ptr<infra::VisionOcr> vision;               // null: Tesseract reads every scan
  std::unique_ptr<knowledge::ProviderEmbedder> embedder;  // null: BM25 only
  infra::HnswIndexFactory vectors;
  std::unique_ptr<infra::QdrantVectorStore> qdrant;  // null: vectors in process (knowledge.vector_store = "memory")
  knowledge::KnowledgeBase base;
};

// Ingests the shipped demo documents, each into the collection its front
// matter names, when the default tenant has no document. A tenant that holds
// shipped documents in "demo", the one collection of earlier releases, gets
// them moved: each is ingested into its own collection and deleted from
// "demo" (other documents stay where they are). Returns how many documents
// were ingested.
boost::asio::awaitable<core::Result<int>> ImportDemoKnowledgeIfEmpty(knowledge::KnowledgeBase& base);

}  // namespace salesboost::app
