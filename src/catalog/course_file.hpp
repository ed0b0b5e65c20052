// Course files: one JSON document per course holding the course, its personas
// and its scenarios (data/demo/*.json is the shipped example and the format's
// reference). ParseCourseFile validates everything a session will rely on and
// names the file and the JSON path of each problem. Pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace salesboost::catalog {

struct ScenarioDocument {
  std::string id;
  boost::json::object document;
  std::vector<std::string> persona_ids;  // in the order the file lists them
};

struct PersonaDocument {
  std::string id;
  boost::json::object document;
};

struct CourseBundle {
  std::string id;
  boost::json::object course;  // without the personas and scenarios arrays
  std::vector<PersonaDocument> personas;
  std::vector<ScenarioDocument> scenarios;
};

// Every problem found, one line each ("scenarios[1].max_turns: must be 1 to 200").
struct CourseFileErrors {
  std::vector<std::string> lines;
};

tl::expected<CourseBundle, CourseFileErrors> ParseCourseFile(std::string_view text);

// The knowledge collections a course's sessions may read: its "collections",
// or, when the course lists none, one collection named after the course id.
std::vector<std::string> CourseCollections(const boost::json::object& course);

// The phrase kinds a persona's "templates" may hold (docs/customer.md).
std::vector<std::string_view> CustomerPhraseKinds();

}  // namespace salesboost::catalog
