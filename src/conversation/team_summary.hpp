// The trainer's view of a team, computed from the reports stored in
// report.ready: per trainee their sessions, overall scores and how often they
// met each rubric criterion; per criterion how often the team met it; and the
// same sessions as CSV rows. Every number is read from the reports, never
// scored again. Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "conversation/session_store.hpp"

namespace salesboost::conversation {

// A user the summary names: every trainee of the tenant, and anyone else with sessions.
struct TeamMember {
  std::string user_id;
  std::string username;
  std::string display_name;
  bool trainee = true;
};

// `{"trainees":[{user_id, username, display_name, sessions_started,
// sessions_ended, average_overall, latest_overall, criteria:{id: rate}}],
// "criteria":[{id, title, skill, met_rate, sessions}]}`. A rate is met = 1,
// partly = 0.5, not_met = 0 averaged over the ended sessions whose scorecard
// judged the criterion, rounded to 3 decimals; averages of `overall` to 2.
// Criteria come weakest first (ties by id); a title is taken from a report in
// `language` when there is one, else from any report.
boost::json::object TeamSummary(const std::vector<ReportedSession>& sessions, const std::vector<TeamMember>& members,
                                const std::string& language);

// One row per session, oldest first, after a header: session_id, username,
// scenario_id, language, status, created_at, ended_at, overall, then each
// criterion id (sorted) with met / partly / not_met (empty when not judged).
// RFC 4180 (CRLF, quotes doubled); a cell starting with = + - @, tab or CR is
// prefixed with ' so spreadsheets do not read it as a formula.
std::string TeamCsv(const std::vector<ReportedSession>& sessions, const std::vector<TeamMember>& members);

// One CSV cell, quoted when needed and neutralised as above.
std::string CsvCell(std::string_view text);

}  // namespace salesboost::conversation
