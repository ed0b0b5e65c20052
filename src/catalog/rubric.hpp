// A scenario's rubric: the criteria its sessions are scored on, each with a
// weight, the skill it trains, what good, fair and poor look like, and the
// check that judges it in code over the session's turns (conversation/
// scorecard.hpp applies it). Lives in the scenario's "rubric" member of the
// course file; ValidateRubric names the JSON path of each problem, ReadRubric reads a valid one.
//   {"blocker_cap": 3, "pressure_cap": 5,
//    "criteria": [{"id": "fee-stated", "title": {"en", "zh"}, "weight": 3, "skill": "presentation",
//                  "levels": {"good": {"en", "zh"}, "fair": {...}, "poor": {...}},
//                  "check": {"kind": "states", "groups": [["annual fee", "年费"], ["waive", "免"]]}}]}
// Pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace salesboost::catalog {

struct LocalText {
  std::string en;
  std::string zh;
  std::string_view In(std::string_view language) const { return language == "zh" ? zh : en; }
};

// What a check looks at (params in brackets; all optional unless marked):
//   discovery_before_pitch  before the first value statement or evidence, the customer told at least
//                           [min_needs = 1] needs and the trainee asked at least [min_questions = 2] questions
//   needs_uncovered         the customer told at least [min = 1] of the needs [ids] (any need when absent)
//   states                  the trainee said something from every group of [groups] (required)
//   objections_answered     every objection of [ids] (any when absent) that was raised was resolved,
//                           without the phrases of [avoid] (a discount, say) in the answer
//   evidence                a customer case or figures ([phrases], or the evidence act) after a need was told
//   next_step               a concrete next step asked for after a need was told ([phrases] it must name)
//   avoids                  none of the conduct rules [rules] (required) fired on the trainee's words
//   conduct                 no conduct rule fired on the trainee's words at all
struct RubricCheck {
  std::string kind;
  int min_needs = 1;
  int min_questions = 2;
  int min = 1;
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> groups;
  std::vector<std::string> phrases;
  std::vector<std::string> avoid;
  std::vector<std::string> rules;
};

struct RubricCriterion {
  std::string id;
  LocalText title;
  double weight = 1;
  std::string skill;  // discovery, presentation, objections, closing or conduct
  LocalText good, fair, poor;
  RubricCheck check;
};

struct Rubric {
  std::vector<RubricCriterion> criteria;
  double blocker_cap = 3;   // a session with a blocker scores at most this
  double pressure_cap = 5;  // ... and one that pressed the customer in two turns or more, this
};

// Every problem found, one line each ("criteria[1].weight: must be a number above 0").
std::vector<std::string> ValidateRubric(const boost::json::value& rubric, std::string_view path);
// A rubric that ValidateRubric accepted.
Rubric ReadRubric(const boost::json::object& rubric);
// The rubric of a scenario document; the generic one when it has none.
Rubric RubricOf(const boost::json::object& scenario);
// The generic rubric (discovery, objections, next step, conduct) for scenarios without one.
const boost::json::object& DefaultRubricJson();

inline constexpr std::string_view kSkills[] = {"discovery", "presentation", "objections", "closing", "conduct"};

}  // namespace salesboost::catalog
