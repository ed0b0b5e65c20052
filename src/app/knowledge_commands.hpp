// `salesboost ingest PATH... [--collection NAME] [--type TYPE]` and
// `salesboost search "query" [--k N] [--collection NAME] [--type TYPE] [--language zh|en]`.
#pragma once

#include <string>
#include <vector>

#include "app/config_loader.hpp"

namespace salesboost::app {

struct IngestFlags {
  std::vector<std::string> paths;  // files or directories (recursed)
  std::string collection = "default";
  std::string type;
};

struct SearchFlags {
  std::string query;
  int k = 5;
  std::string collection;
  std::string type;
  std::string language;
};

int RunIngest(const ConfigInput& input, const IngestFlags& flags);
int RunSearch(const ConfigInput& input, const SearchFlags& flags);

}  // namespace salesboost::app
