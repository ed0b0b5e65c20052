// The knowledge base as configured: its worker threads, Tesseract, the
// embeddings provider when one is named, and the service itself. Shared by
// `serve`, `ingest` and `search`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>

#include "app/app_config.hpp"
#include "core/blocking_pool.hpp"
#include "knowledge/knowledge_base.hpp"
#include "knowledge/vision_ocr.hpp"
#include "llm/provider.hpp"

namespace salesboost::app {

struct KnowledgeRuntime {
  KnowledgeRuntime(const AppConfig& config, storage::Store& store, llm::ProviderSet& providers,
                   const core::Clock& clock, core::IdGenerator& ids, const core::Logger& logger);

  core::BlockingPool workers;
  knowledge::TesseractOcr tesseract;
  std::unique_ptr<knowledge::VisionOcr> vision;           // null: Tesseract reads every scan
  std::unique_ptr<knowledge::ProviderEmbedder> embedder;  // null: BM25 only
  knowledge::KnowledgeBase base;
};

// Ingests the shipped demo documents (collection "demo") when the default
// tenant has no document; returns how many were ingested.
boost::asio::awaitable<core::Result<int>> ImportDemoKnowledgeIfEmpty(knowledge::KnowledgeBase& base);

}  // namespace salesboost::app
