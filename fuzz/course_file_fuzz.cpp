// A course file (catalog::ParseCourseFile) as `salesboost catalog import`
// and the demo catalogue read it, then what the server reads of a valid one:
// its collections and each scenario's rubric.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/course_file.hpp"
#include "catalog/rubric.hpp"
#include "core/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bundle = salesboost::catalog::ParseCourseFile(text);
  if (!bundle) {
    SB_CHECK(!bundle.error().lines.empty());
    return 0;
  }
  SB_CHECK(!bundle->id.empty());
  (void)salesboost::catalog::CourseCollections(bundle->course);
  for (const auto& scenario : bundle->scenarios) (void)salesboost::catalog::RubricOf(scenario.document);
  return 0;
}
