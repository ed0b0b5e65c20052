// Importing course files: the shipped demo at first start, and
// `salesboost catalog import PATH...`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog/catalog_repository.hpp"

namespace salesboost::app {

struct ImportReport {
  std::string source;     // file name
  std::string course_id;  // on success
  std::size_t scenarios = 0;
  std::size_t personas = 0;
  std::vector<std::string> errors;  // one line each; empty on success
};

// Validates and imports one course file's text.
boost::asio::awaitable<ImportReport> ImportCourse(catalog::CatalogRepository& catalog, std::string tenant_id,
                                                  std::string source, std::string text);

// Imports the demo courses when the tenant has no course yet. Returns how many were imported.
boost::asio::awaitable<core::Result<std::size_t>> ImportDemoIfEmpty(catalog::CatalogRepository& catalog,
                                                                    std::string tenant_id);

// The .json files named by `paths` (files, or directories searched one level deep), sorted.
std::vector<std::filesystem::path> CourseFiles(const std::vector<std::string>& paths);

}  // namespace salesboost::app
