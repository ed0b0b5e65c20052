// CatalogRepository: courses, scenarios and personas in the Store (portable
// SQL). Import replaces a course with everything in its bundle atomically, so
// importing the same file twice changes nothing; ReplaceRubric replaces one
// scenario's "rubric" member in place (until the next import of its course).
// Thread-safe; awaitable.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "catalog/course_file.hpp"
#include "core/clock.hpp"
#include "storage/store.hpp"

namespace salesboost::catalog {

class CatalogRepository {
 public:
  CatalogRepository(storage::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  boost::asio::awaitable<core::Result<void>> Import(std::string tenant_id, CourseBundle bundle);

  boost::asio::awaitable<core::Result<std::vector<boost::json::object>>> Courses(std::string tenant_id);
  // kNotFound when the course does not exist.
  boost::asio::awaitable<core::Result<std::vector<boost::json::object>>> Scenarios(std::string tenant_id,
                                                                                   std::string course_id);
  // kNotFound when the scenario does not exist.
  boost::asio::awaitable<core::Result<std::vector<boost::json::object>>> Personas(std::string tenant_id,
                                                                                  std::string scenario_id);
  boost::asio::awaitable<core::Result<std::int64_t>> CourseCount(std::string tenant_id);
  // The course as a course file (the import format: the course's members,
  // "personas" and "scenarios", by id), which Import accepts back unchanged.
  // kNotFound when the course does not exist.
  boost::asio::awaitable<core::Result<boost::json::object>> CourseFile(std::string tenant_id, std::string course_id);
  // One document; kNotFound when absent.
  boost::asio::awaitable<core::Result<boost::json::object>> Course(std::string tenant_id, std::string course_id);
  boost::asio::awaitable<core::Result<boost::json::object>> Scenario(std::string tenant_id, std::string scenario_id);
  boost::asio::awaitable<core::Result<boost::json::object>> Persona(std::string tenant_id, std::string persona_id);

  // Sets the scenario document's "rubric" member to `rubric` (already accepted
  // by ValidateRubric) in one transaction, leaving the rest of the document as
  // it was; the updated document. kNotFound when the scenario does not exist.
  boost::asio::awaitable<core::Result<boost::json::object>> ReplaceRubric(std::string tenant_id,
                                                                          std::string scenario_id,
                                                                          boost::json::object rubric);

 private:
  // The document with `id` from `table` ("courses", "scenarios" or "personas"); kNotFound when absent.
  boost::asio::awaitable<core::Result<boost::json::object>> FindDocument(std::string_view table, std::string tenant_id,
                                                                         std::string id);

  storage::Store& store_;
  const core::Clock& clock_;
};

}  // namespace salesboost::catalog
