#include "app/catalog_setup.hpp"

#include <algorithm>

#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"

namespace salesboost::app {

boost::asio::awaitable<ImportReport> ImportCourse(catalog::CatalogRepository& catalog, std::string tenant_id,
                                                  std::string source, std::string text) {
  ImportReport report{.source = std::move(source), .course_id = {}, .scenarios = 0, .personas = 0, .errors = {}};
  auto bundle = catalog::ParseCourseFile(text);
  if (!bundle) {
    report.errors = std::move(bundle.error().lines);
    co_return report;
  }
  report.course_id = bundle->id;
  report.scenarios = bundle->scenarios.size();
  report.personas = bundle->personas.size();
  auto imported = co_await catalog.Import(std::move(tenant_id), std::move(*bundle));
  if (!imported) report.errors.push_back(imported.error().message);
  co_return report;
}

boost::asio::awaitable<core::Result<std::size_t>> ImportDemoIfEmpty(catalog::CatalogRepository& catalog,
                                                                    std::string tenant_id) {
  auto count = co_await catalog.CourseCount(tenant_id);
  if (!count) co_return core::Fail(count.error());
  if (*count > 0) co_return std::size_t{0};
  std::size_t imported = 0;
  for (const auto& file : catalog::DemoCourseFiles()) {
    auto report = co_await ImportCourse(catalog, tenant_id, std::string(file.name), std::string(file.content));
    if (!report.errors.empty()) {
      co_return core::Fail(core::ErrorCode::kInternal,
                           "demo course " + report.source + " does not import: " + report.errors.front());
    }
    ++imported;
  }
  co_return imported;
}

std::vector<std::filesystem::path> CourseFiles(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
      }
    } else {
      files.emplace_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace salesboost::app
