#include "conversation/team_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string Text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::optional<double> Overall(const json::object& report) {
  const auto* value = report.if_contains("overall");
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

// The credit a result earns: met 1, partly 0.5, anything else 0.
double Credit(std::string_view result) {
  if (result == "met") return 1.0;
  if (result == "partly") return 0.5;
  return 0.0;
}

// The report's scorecard criteria that carry an id and a result.
std::vector<const json::object*> Criteria(const json::object& report) {
  std::vector<const json::object*> out;
  const auto* card = report.if_contains("scorecard");
  if (card == nullptr || !card->is_object()) return out;
  const auto* list = card->as_object().if_contains("criteria");
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& item : list->as_array()) {
    if (item.is_object() && !Text(item.as_object(), "id").empty() && !Text(item.as_object(), "result").empty()) {
      out.push_back(&item.as_object());
    }
  }
  return out;
}

struct Tally {
  double credit = 0;
  std::int64_t judged = 0;
  double Rate() const { return judged == 0 ? 0.0 : Round(credit / static_cast<double>(judged), 3); }
};

struct CriterionInfo {
  std::string title;
  std::string skill;
  bool title_in_language = false;
  Tally tally;
};

struct Trainee {
  const TeamMember* member = nullptr;
  std::int64_t started = 0;
  std::int64_t ended = 0;
  double overall_sum = 0;
  std::int64_t overall_count = 0;
  std::optional<double> latest;
  std::string latest_at;  // ended_at of the session `latest` comes from
  std::map<std::string, Tally> criteria;
};

bool Ended(const ReportedSession& s) { return s.session.status == SessionStatus::kEnded && s.report.has_value(); }

}  // namespace

json::object TeamSummary(const std::vector<ReportedSession>& sessions, const std::vector<TeamMember>& members,
                         const std::string& language) {
  std::map<std::string, Trainee> by_user;
  for (const auto& member : members) by_user[member.user_id].member = &member;
  std::map<std::string, CriterionInfo> criteria;
  for (const auto& s : sessions) {
    auto& trainee = by_user[s.session.user_id];
    ++trainee.started;
    if (!Ended(s)) continue;
    ++trainee.ended;
    const auto& report = *s.report;
    const std::string ended_at = s.session.ended_at.value_or(s.session.created_at);
    if (trainee.latest_at.empty() || ended_at >= trainee.latest_at) {
      trainee.latest = Overall(report);
      trainee.latest_at = ended_at;
    }
    if (const auto overall = Overall(report)) {
      trainee.overall_sum += *overall;
      ++trainee.overall_count;
    }
    for (const auto* criterion : Criteria(report)) {
      const std::string id = Text(*criterion, "id");
      const double credit = Credit(Text(*criterion, "result"));
      auto& own = trainee.criteria[id];
      own.credit += credit;
      ++own.judged;
      auto& info = criteria[id];
      info.tally.credit += credit;
      ++info.tally.judged;
      const bool in_language = Text(report, "language") == language;
      if (info.title.empty() || (in_language && !info.title_in_language)) {
        info.title = Text(*criterion, "title");
        info.skill = Text(*criterion, "skill");
        info.title_in_language = in_language;
      }
    }
  }

  json::array trainees;
  for (const auto& [user_id, trainee] : by_user) {
    const bool listed = trainee.member != nullptr && (trainee.member->trainee || trainee.started > 0);
    if (!listed && trainee.member != nullptr) continue;
    json::object rates;
    for (const auto& [id, tally] : trainee.criteria) rates[id] = tally.Rate();
    trainees.push_back(
        json::object{{"user_id", user_id},
                     {"username", trainee.member != nullptr ? trainee.member->username : std::string()},
                     {"display_name", trainee.member != nullptr ? trainee.member->display_name : std::string()},
                     {"sessions_started", trainee.started},
                     {"sessions_ended", trainee.ended},
                     {"average_overall",
                      trainee.overall_count == 0
                          ? json::value(nullptr)
                          : json::value(Round(trainee.overall_sum / static_cast<double>(trainee.overall_count), 2))},
                     {"latest_overall", trainee.latest ? json::value(*trainee.latest) : json::value(nullptr)},
                     {"criteria", std::move(rates)}});
  }
  std::sort(trainees.begin(), trainees.end(), [](const json::value& a, const json::value& b) {
    return a.at("username").as_string() < b.at("username").as_string();
  });

  std::vector<std::pair<std::string, const CriterionInfo*>> order;
  order.reserve(criteria.size());
  for (const auto& [id, info] : criteria) order.emplace_back(id, &info);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second->tally.Rate() < b.second->tally.Rate(); });
  json::array team;
  for (const auto& [id, info] : order) {
    team.push_back(json::object{{"id", id},
                                {"title", info->title},
                                {"skill", info->skill},
                                {"met_rate", info->tally.Rate()},
                                {"sessions", info->tally.judged}});
  }
  return json::object{{"trainees", std::move(trainees)}, {"criteria", std::move(team)}};
}

std::string CsvCell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell = "'";
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string TeamCsv(const std::vector<ReportedSession>& sessions, const std::vector<TeamMember>& members) {
  std::map<std::string, std::string> usernames;
  for (const auto& member : members) usernames[member.user_id] = member.username;
  std::set<std::string> ids;
  for (const auto& s : sessions) {
    if (!s.report) continue;
    for (const auto* criterion : Criteria(*s.report)) ids.insert(Text(*criterion, "id"));
  }
  std::string out;
  const auto row = [&out](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  };
  std::vector<std::string> header = {"session_id", "username",   "scenario_id", "language",
                                     "status",     "created_at", "ended_at",    "overall"};
  header.insert(header.end(), ids.begin(), ids.end());
  row(header);
  for (const auto& s : sessions) {
    std::map<std::string, std::string> results;
    std::string overall;
    if (s.report) {
      for (const auto* criterion : Criteria(*s.report)) results[Text(*criterion, "id")] = Text(*criterion, "result");
      if (const auto value = Overall(*s.report)) overall = fmt::format("{}", *value);
    }
    const auto name = usernames.find(s.session.user_id);
    std::vector<std::string> cells = {s.session.id,
                                      name != usernames.end() ? name->second : s.session.user_id,
                                      s.session.scenario_id,
                                      s.session.language,
                                      s.session.status == SessionStatus::kActive ? "active" : "ended",
                                      s.session.created_at,
                                      s.session.ended_at.value_or(""),
                                      overall};
    for (const auto& id : ids) cells.push_back(results[id]);
    row(cells);
  }
  return out;
}

}  // namespace salesboost::conversation
