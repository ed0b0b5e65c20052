// What ingesting one file asks for and what became of it: plain values the
// service returns and the API and the CLI present.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "knowledge/ingest/router.hpp"

namespace salesboost::knowledge {

struct IngestRequest {
  std::string tenant_id;
  std::string collection = "default";
  std::string type;  // document type for every file; empty: from front matter
  SourceFile file;
};

struct FileOutcome {
  std::string name;
  std::string status;  // indexed, unchanged, duplicate, failed
  std::string error;   // failed: why
  std::string document_id;
  std::string version;
  Route route;
  int pages = 0;
  int ocr_pages = 0;
  std::string ocr_engine;
  std::size_t parents = 0;
  std::size_t children = 0;
  std::size_t vectors = 0;
  double seconds = 0;
};

using IngestProgress = std::function<void(int pages_done, int pages_total)>;

}  // namespace salesboost::knowledge
