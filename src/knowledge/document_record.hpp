// DocumentRecord: a stored document's metadata as listed; DocumentDetail
// adds its chunk counts. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "knowledge/ingest/router.hpp"

namespace salesboost::knowledge {

struct DocumentRecord {
  std::string id;
  std::string collection;
  std::string name;
  std::string type;
  std::string format;
  std::string language;
  std::string version;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
  std::optional<Route> route;  // empty when the stored decision cannot be read
  std::string created_at;
  std::string updated_at;
};

struct DocumentDetail {
  DocumentRecord document;
  std::int64_t parents = 0;
  std::int64_t children = 0;
};

}  // namespace salesboost::knowledge
