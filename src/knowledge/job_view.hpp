// JobView: an upload job as its owner sees it, with each file's page
// progress and, once done, its outcome. A plain value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "knowledge/file_outcome.hpp"

namespace salesboost::knowledge {

struct JobFile {
  std::string name;
  int pages_done = 0;
  int pages_total = 0;
  std::optional<FileOutcome> outcome;
};

struct JobView {
  std::string id;
  std::string tenant_id;
  std::string collection;
  std::string status;  // queued, running, done, failed
  std::vector<JobFile> files;
  std::string created_at;
  std::string updated_at;
};

}  // namespace salesboost::knowledge
