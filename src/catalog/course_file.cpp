#include "catalog/course_file.hpp"

#include "catalog/rubric.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>

#include "core/utf8.hpp"

namespace salesboost::catalog {
namespace {

namespace json = boost::json;

constexpr std::string_view kStages[] = {"OPENING", "NEEDS_DISCOVERY", "PRODUCT_INTRO", "OBJECTION_HANDLING", "CLOSING"};
// The phrase kinds a persona may word in its own way (docs/customer.md); the rest comes from the
// shared phrases. A unit test checks the list against data/cues/customer_phrases.json.
constexpr std::string_view kTemplateKeys[] = {
    "greeting",        "reveal_need",   "reveal_pain",        "tell_fact",        "confirm",
    "confirm_summary", "also_need",     "nothing_more",       "unknown",          "already_told",
    "raise_objection", "still_open",    "objection_resolved", "answered_upfront", "value_heard",
    "so_what",         "pitched_early", "proof_please",       "buying_signal",    "ask_next_step",
    "accept_close",    "reject_close",  "reject_close_early", "insulted",         "pressured",
    "doubt_claim",     "refuse_data",   "refuse_irregular",   "ignore_injection", "competitor_jab",
    "downplay_noted",  "off_topic",     "acknowledge",        "prompt",           "courtesy",
    "wrap_up",         "leave"};

class Checker {
 public:
  std::vector<std::string> errors;

  void Fail(const std::string& path, std::string_view message) { errors.push_back(path + ": " + std::string(message)); }

  const json::value* Field(const json::object& object, const std::string& path, std::string_view key) {
    const auto* value = object.if_contains(key);
    if (value == nullptr) Fail(Join(path, key), "is required");
    return value;
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  std::string Id(const json::object& object, const std::string& path) {
    const auto* value = Field(object, path, "id");
    if (value == nullptr) return {};
    if (!value->is_string() || value->get_string().empty() || value->get_string().size() > 64) {
      Fail(Join(path, "id"), "must be a string of 1 to 64 characters");
      return {};
    }
    for (char c : value->get_string()) {
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
        Fail(Join(path, "id"), "may contain only a-z, 0-9 and '-'");
        return {};
      }
    }
    return std::string(value->get_string());
  }

  // {"en": "...", "zh": "..."} with at least one language.
  void Text(const json::value* value, const std::string& path) {
    if (value == nullptr) return;
    if (!value->is_object() || value->as_object().empty()) {
      Fail(path, "must be an object of texts by language, e.g. {\"en\": \"...\", \"zh\": \"...\"}");
      return;
    }
    for (const auto& [language, text] : value->as_object()) {
      if (language != "en" && language != "zh") Fail(Join(path, language), "language must be \"en\" or \"zh\"");
      if (!text.is_string() || text.get_string().empty()) Fail(Join(path, language), "must be a non-empty string");
    }
  }

  void Number(const json::object& object, const std::string& path, std::string_view key, double min, double max) {
    const auto* value = Field(object, path, key);
    if (value == nullptr) return;
    const double number = value->is_double()  ? value->get_double()
                          : value->is_int64() ? static_cast<double>(value->get_int64())
                                              : -1e300;
    if (number < min || number > max) Fail(Join(path, key), fmt::format("must be a number from {} to {}", min, max));
  }

  void Keywords(const json::object& object, const std::string& path, std::string_view key) {
    const auto* value = Field(object, path, key);
    if (value == nullptr) return;
    if (!value->is_array() || value->as_array().empty()) {
      Fail(Join(path, key), "must be a non-empty array of strings");
      return;
    }
    for (const auto& keyword : value->as_array()) {
      if (!keyword.is_string() || keyword.get_string().empty()) Fail(Join(path, key), "must hold non-empty strings");
    }
  }

  // The optional "collections": knowledge collection names (as uploads name
  // them: 1 to 64 of [A-Za-z0-9_.-]), each once.
  void Collections(const json::object& course) {
    const auto* value = course.if_contains("collections");
    if (value == nullptr) return;
    if (!value->is_array() || value->as_array().empty()) {
      Fail("collections", "must be a non-empty array of collection names");
      return;
    }
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < value->as_array().size(); ++i) {
      const auto& name = value->as_array()[i];
      const std::string path = fmt::format("collections[{}]", i);
      const auto valid = [](std::string_view text) {
        return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
        });
      };
      if (!name.is_string() || !valid(name.get_string())) {
        Fail(path, "must be 1 to 64 of A-Z, a-z, 0-9, '_', '.' and '-'");
      } else if (!seen.insert(name.get_string()).second) {
        Fail(path, "is listed twice");
      }
    }
  }

  const json::array* Array(const json::object& object, const std::string& path, std::string_view key) {
    const auto* value = Field(object, path, key);
    if (value == nullptr) return nullptr;
    if (!value->is_array()) {
      Fail(Join(path, key), "must be an array");
      return nullptr;
    }
    return &value->as_array();
  }

  // An optional field: checked by `check` when present.
  template <typename Check>
  void Optional(const json::object& object, const std::string& path, std::string_view key, Check check) {
    if (object.contains(key)) check(object, path, key);
  }

  // Ids of a persona's needs, pains, facts, objections and questions: unique across all of them,
  // since the customer's state records them in one place.
  void PersonaId(std::set<std::string>& ids, const std::string& id, const std::string& path) {
    if (!id.empty() && !ids.insert(id).second) Fail(Join(path, "id"), "is used twice in this persona");
  }

  void Persona(const json::object& persona, const std::string& path) {
    Text(Field(persona, path, "name"), Join(path, "name"));
    Text(Field(persona, path, "title"), Join(path, "title"));
    Text(Field(persona, path, "profile"), Join(path, "profile"));
    const auto optional_text = [this](const json::object& o, const std::string& p, std::string_view key) {
      Text(o.if_contains(key), Join(p, key));
    };
    std::set<std::string> ids;
    for (std::string_view list : {"needs", "hidden_pains"}) {
      if (const auto* items = Array(persona, path, list)) {
        for (std::size_t i = 0; i < items->size(); ++i) {
          const std::string item_path = fmt::format("{}.{}[{}]", path, list, i);
          if (!(*items)[i].is_object()) {
            Fail(item_path, "must be an object");
            continue;
          }
          const auto& item = (*items)[i].as_object();
          PersonaId(ids, Id(item, item_path), item_path);
          Text(Field(item, item_path, "text"), Join(item_path, "text"));
          Keywords(item, item_path, "revealed_by");
          Optional(item, item_path, "says", optional_text);
          Optional(item, item_path, "topic", optional_text);
        }
      }
    }
    if (persona.contains("facts")) {
      if (const auto* facts = Array(persona, path, "facts")) {
        for (std::size_t i = 0; i < facts->size(); ++i) {
          const std::string item_path = fmt::format("{}.facts[{}]", path, i);
          if (!(*facts)[i].is_object()) {
            Fail(item_path, "must be an object");
            continue;
          }
          const auto& fact = (*facts)[i].as_object();
          PersonaId(ids, Id(fact, item_path), item_path);
          Text(Field(fact, item_path, "says"), Join(item_path, "says"));
          Keywords(fact, item_path, "asked_by");
        }
      }
    }
    if (persona.contains("next_step")) {
      const auto& step = persona.at("next_step");
      if (!step.is_object()) {
        Fail(Join(path, "next_step"), "must be an object with \"offered_by\"");
      } else {
        Keywords(step.as_object(), Join(path, "next_step"), "offered_by");
      }
    }
    std::set<std::string> objection_ids;
    if (const auto* objections = Array(persona, path, "objections")) {
      for (std::size_t i = 0; i < objections->size(); ++i) {
        const std::string item_path = fmt::format("{}.objections[{}]", path, i);
        if (!(*objections)[i].is_object()) {
          Fail(item_path, "must be an object");
          continue;
        }
        const auto& objection = (*objections)[i].as_object();
        const std::string id = Id(objection, item_path);
        objection_ids.insert(id);
        PersonaId(ids, id, item_path);
        Text(Field(objection, item_path, "text"), Join(item_path, "text"));
        Keywords(objection, item_path, "triggers");
        Keywords(objection, item_path, "resolved_by");
        Optional(objection, item_path, "topic", optional_text);
      }
    }
    if (const auto* signals = Array(persona, path, "buying_signals")) {
      for (std::size_t i = 0; i < signals->size(); ++i) {
        // Either a text by language, or {"id", "text", "answered_by"}: a question not asked once answered.
        const std::string item_path = fmt::format("{}.buying_signals[{}]", path, i);
        const auto& signal = (*signals)[i];
        if (signal.is_object() && signal.as_object().contains("text")) {
          const auto& o = signal.as_object();
          PersonaId(ids, Id(o, item_path), item_path);
          Text(&o.at("text"), Join(item_path, "text"));
          Keywords(o, item_path, "answered_by");
        } else {
          Text(&signal, item_path);
        }
      }
    }
    if (const auto* conditions = Array(persona, path, "close_conditions")) {
      for (const auto& condition : *conditions) {
        if (!condition.is_string() || !objection_ids.contains(std::string(condition.get_string()))) {
          Fail(Join(path, "close_conditions"), "must list ids of this persona's objections");
        }
      }
    }
    Number(persona, path, "initial_mood", 0, 1);
    Number(persona, path, "volatility", 0, 1);
    Number(persona, path, "difficulty", 1, 5);
    const auto* templates = Field(persona, path, "templates");
    if (templates != nullptr) {
      if (!templates->is_object() || templates->as_object().empty()) {
        Fail(Join(path, "templates"), "must be an object of template sets by language");
      } else {
        for (const auto& [language, set] : templates->as_object()) {
          const std::string set_path = Join(Join(path, "templates"), language);
          if (language != "en" && language != "zh") Fail(set_path, "language must be \"en\" or \"zh\"");
          if (!set.is_object()) {
            Fail(set_path, "must be an object");
            continue;
          }
          for (const auto& [kind, variants] : set.as_object()) {
            if (std::find(std::begin(kTemplateKeys), std::end(kTemplateKeys), kind) == std::end(kTemplateKeys)) {
              Fail(Join(set_path, kind), "is not a phrase kind of the customer (docs/customer.md)");
            } else {
              Keywords(set.as_object(), set_path, kind);
            }
          }
        }
      }
    }
  }

  std::vector<std::string> Scenario(const json::object& scenario, const std::string& path,
                                    const std::set<std::string>& persona_ids) {
    Text(Field(scenario, path, "title"), Join(path, "title"));
    Text(Field(scenario, path, "background"), Join(path, "background"));
    Text(Field(scenario, path, "goal"), Join(path, "goal"));
    if (const auto* criteria = Array(scenario, path, "success_criteria")) {
      for (std::size_t i = 0; i < criteria->size(); ++i) {
        Text(&(*criteria)[i], fmt::format("{}.success_criteria[{}]", path, i));
      }
    }
    Number(scenario, path, "max_turns", 1, 200);
    if (const auto* goals = Field(scenario, path, "stage_goals")) {
      if (!goals->is_object()) {
        Fail(Join(path, "stage_goals"), "must be an object keyed by stage");
      } else {
        for (const auto& [stage, text] : goals->as_object()) {
          if (std::find(std::begin(kStages), std::end(kStages), stage) == std::end(kStages)) {
            Fail(Join(Join(path, "stage_goals"), stage), "is not a stage (OPENING ... CLOSING)");
          }
          Text(&text, Join(Join(path, "stage_goals"), stage));
        }
      }
    }
    if (const auto* rubric = scenario.if_contains("rubric")) {
      for (auto& line : ValidateRubric(*rubric, Join(path, "rubric"))) errors.push_back(std::move(line));
    }
    std::vector<std::string> personas;
    if (const auto* list = Array(scenario, path, "personas")) {
      if (list->empty()) Fail(Join(path, "personas"), "must name at least one persona");
      for (const auto& id : *list) {
        if (!id.is_string() || !persona_ids.contains(std::string(id.get_string()))) {
          Fail(Join(path, "personas"), "must name personas defined in this file");
          continue;
        }
        personas.emplace_back(id.get_string());
      }
    }
    return personas;
  }
};

}  // namespace

tl::expected<CourseBundle, CourseFileErrors> ParseCourseFile(std::string_view text) {
  if (!core::IsValidUtf8(text)) return tl::unexpected(CourseFileErrors{{"file: is not valid UTF-8"}});
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  if (ec) return tl::unexpected(CourseFileErrors{{"file: is not valid JSON: " + ec.message()}});
  if (!parsed.is_object()) return tl::unexpected(CourseFileErrors{{"file: must hold one JSON object (a course)"}});
  auto& root = parsed.as_object();

  Checker check;
  CourseBundle bundle;
  bundle.id = check.Id(root, "");
  check.Text(check.Field(root, "", "title"), "title");
  check.Text(check.Field(root, "", "description"), "description");
  check.Collections(root);

  std::set<std::string> persona_ids;
  if (const auto* personas = check.Array(root, "", "personas")) {
    for (std::size_t i = 0; i < personas->size(); ++i) {
      const std::string path = fmt::format("personas[{}]", i);
      if (!(*personas)[i].is_object()) {
        check.Fail(path, "must be an object");
        continue;
      }
      const auto& persona = (*personas)[i].as_object();
      const std::string id = check.Id(persona, path);
      if (!id.empty() && !persona_ids.insert(id).second) check.Fail(path + ".id", "is used twice");
      check.Persona(persona, path);
      bundle.personas.push_back({id, persona});
    }
  }
  std::set<std::string> scenario_ids;
  if (const auto* scenarios = check.Array(root, "", "scenarios")) {
    if (scenarios->empty()) check.Fail("scenarios", "must hold at least one scenario");
    for (std::size_t i = 0; i < scenarios->size(); ++i) {
      const std::string path = fmt::format("scenarios[{}]", i);
      if (!(*scenarios)[i].is_object()) {
        check.Fail(path, "must be an object");
        continue;
      }
      const auto& scenario = (*scenarios)[i].as_object();
      const std::string id = check.Id(scenario, path);
      if (!id.empty() && !scenario_ids.insert(id).second) check.Fail(path + ".id", "is used twice");
      auto personas = check.Scenario(scenario, path, persona_ids);
      bundle.scenarios.push_back({id, scenario, std::move(personas)});
    }
  }
  if (!check.errors.empty()) return tl::unexpected(CourseFileErrors{std::move(check.errors)});
  root.erase("personas");
  root.erase("scenarios");
  bundle.course = std::move(root);
  return bundle;
}

std::vector<std::string> CourseCollections(const boost::json::object& course) {
  std::vector<std::string> out;
  if (const auto* listed = course.if_contains("collections"); listed != nullptr && listed->is_array()) {
    for (const auto& name : listed->as_array()) {
      if (name.is_string()) out.emplace_back(name.get_string());
    }
  }
  if (out.empty()) {
    if (const auto* id = course.if_contains("id"); id != nullptr && id->is_string()) out.emplace_back(id->get_string());
  }
  return out;
}

std::vector<std::string_view> CustomerPhraseKinds() { return {std::begin(kTemplateKeys), std::end(kTemplateKeys)}; }

}  // namespace salesboost::catalog
