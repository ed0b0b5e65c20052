#include "catalog/rubric.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>

namespace salesboost::catalog {
namespace {

namespace json = boost::json;

constexpr std::string_view kKinds[] = {"discovery_before_pitch",
                                       "needs_uncovered",
                                       "states",
                                       "objections_answered",
                                       "evidence",
                                       "next_step",
                                       "avoids",
                                       "conduct"};

std::string Join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

class Validator {
 public:
  std::vector<std::string> errors;

  void Fail(std::string_view path, std::string_view problem) { errors.push_back(fmt::format("{}: {}", path, problem)); }

  void Text(const json::value* value, const std::string& path) {
    if (value == nullptr || !value->is_object()) {
      Fail(path, "must be {\"en\": text, \"zh\": text}");
      return;
    }
    for (const char* language : {"en", "zh"}) {
      const auto* text = value->get_object().if_contains(language);
      if (text == nullptr || !text->is_string() || text->get_string().empty()) {
        Fail(Join(path, language), "must be a non-empty string");
      }
    }
  }

  // An array of non-empty strings; `required` ones must be non-empty.
  void Strings(const json::object& check, const std::string& path, std::string_view key, bool required) {
    const auto* value = check.if_contains(key);
    if (value == nullptr) {
      if (required) Fail(Join(path, key), "is required");
      return;
    }
    if (!value->is_array() || (required && value->get_array().empty())) {
      Fail(Join(path, key), required ? "must be a non-empty array of strings" : "must be an array of strings");
      return;
    }
    for (std::size_t i = 0; i < value->get_array().size(); ++i) {
      const auto& item = value->get_array()[i];
      if (!item.is_string() || item.get_string().empty()) {
        Fail(fmt::format("{}[{}]", Join(path, key), i), "must be a non-empty string");
      }
    }
  }

  void Count(const json::object& check, const std::string& path, std::string_view key) {
    const auto* value = check.if_contains(key);
    if (value == nullptr) return;
    if (!value->is_int64() || value->get_int64() < 1 || value->get_int64() > 50) {
      Fail(Join(path, key), "must be a whole number from 1 to 50");
    }
  }

  void Check(const json::value* value, const std::string& path) {
    if (value == nullptr || !value->is_object()) {
      Fail(path, "must be an object with a \"kind\"");
      return;
    }
    const auto& check = value->get_object();
    const auto* kind = check.if_contains("kind");
    if (kind == nullptr || !kind->is_string() ||
        std::find(std::begin(kKinds), std::end(kKinds), kind->get_string()) == std::end(kKinds)) {
      Fail(Join(path, "kind"),
           "must be one of discovery_before_pitch, needs_uncovered, states, objections_answered, evidence, "
           "next_step, avoids, conduct");
      return;
    }
    static const std::set<std::string_view> kParams = {"kind",   "min_needs", "min_questions", "min",  "ids",
                                                       "groups", "phrases",   "avoid",         "rules"};
    for (const auto& field : check) {
      if (!kParams.contains(field.key())) Fail(Join(path, field.key()), "is not a check parameter");
    }
    Count(check, path, "min_needs");
    Count(check, path, "min_questions");
    Count(check, path, "min");
    Strings(check, path, "ids", false);
    Strings(check, path, "phrases", false);
    Strings(check, path, "avoid", false);
    Strings(check, path, "rules", kind->get_string() == "avoids");
    const auto* ids = check.if_contains("ids");
    const auto* min = check.if_contains("min");
    if (ids != nullptr && ids->is_array() && !ids->get_array().empty() && min != nullptr && min->is_int64() &&
        min->get_int64() > static_cast<std::int64_t>(ids->get_array().size())) {
      Fail(Join(path, "min"), "is more than the ids listed: the check could never be met");
    }
    if (const auto* groups = check.if_contains("groups")) {
      if (!groups->is_array() || groups->get_array().empty()) {
        Fail(Join(path, "groups"), "must be a non-empty array of phrase lists");
      } else {
        for (std::size_t i = 0; i < groups->get_array().size(); ++i) {
          json::object holder{{"group", groups->get_array()[i]}};
          Strings(holder, fmt::format("{}[{}]", Join(path, "groups"), i), "group", true);
        }
      }
    } else if (kind->get_string() == "states") {
      Fail(Join(path, "groups"), "is required");
    }
  }

  void Criterion(const json::value& value, const std::string& path, std::set<std::string>& ids) {
    if (!value.is_object()) {
      Fail(path, "must be an object");
      return;
    }
    const auto& criterion = value.get_object();
    static const std::set<std::string_view> kKeys = {"id", "title", "weight", "skill", "levels", "check"};
    for (const auto& field : criterion) {
      if (!kKeys.contains(field.key())) Fail(Join(path, field.key()), "is not a criterion field");
    }
    const auto* id = criterion.if_contains("id");
    if (id == nullptr || !id->is_string() || id->get_string().empty()) {
      Fail(Join(path, "id"), "must be a non-empty string");
    } else if (!ids.insert(std::string(id->get_string())).second) {
      Fail(Join(path, "id"), "repeats another criterion's id");
    }
    Text(criterion.if_contains("title"), Join(path, "title"));
    const auto* weight = criterion.if_contains("weight");
    if (weight == nullptr || !weight->is_number() || weight->to_number<double>() <= 0 ||
        weight->to_number<double>() > 100) {
      Fail(Join(path, "weight"), "must be a number above 0 and at most 100");
    }
    const auto* skill = criterion.if_contains("skill");
    if (skill == nullptr || !skill->is_string() ||
        std::find(std::begin(kSkills), std::end(kSkills), skill->get_string()) == std::end(kSkills)) {
      Fail(Join(path, "skill"), "must be one of discovery, presentation, objections, closing, conduct");
    }
    const auto* levels = criterion.if_contains("levels");
    if (levels == nullptr || !levels->is_object()) {
      Fail(Join(path, "levels"), "must be an object with good, fair and poor");
    } else {
      for (const char* level : {"good", "fair", "poor"}) {
        Text(levels->get_object().if_contains(level), Join(Join(path, "levels"), level));
      }
    }
    Check(criterion.if_contains("check"), Join(path, "check"));
  }
};

LocalText ReadText(const json::value* value) {
  LocalText out;
  if (value == nullptr || !value->is_object()) return out;
  if (const auto* en = value->get_object().if_contains("en"); en != nullptr && en->is_string())
    out.en = en->get_string();
  if (const auto* zh = value->get_object().if_contains("zh"); zh != nullptr && zh->is_string())
    out.zh = zh->get_string();
  return out;
}

std::vector<std::string> ReadStrings(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_array()) return out;
  for (const auto& item : value->get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

int ReadInt(const json::object& object, std::string_view key, int fallback) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? static_cast<int>(value->get_int64()) : fallback;
}

constexpr std::string_view kDefaultRubric = R"({
  "blocker_cap": 3,
  "pressure_cap": 5,
  "criteria": [
    {"id": "discovery", "weight": 3, "skill": "discovery",
     "title": {"en": "Learn the customer's situation before presenting", "zh": "介绍产品前先了解客户情况"},
     "levels": {"good": {"en": "Asked questions and heard a need before the first pitch", "zh": "第一次介绍前提了问题并听到了需求"},
                "fair": {"en": "Asked something, but pitched before a need was heard", "zh": "问了问题，但还没听到需求就开始介绍"},
                "poor": {"en": "Pitched straight away", "zh": "一上来就推销"}},
     "check": {"kind": "discovery_before_pitch", "min_needs": 1, "min_questions": 2}},
    {"id": "objections", "weight": 2, "skill": "objections",
     "title": {"en": "Answer the customer's objections", "zh": "回应客户的异议"},
     "levels": {"good": {"en": "Every objection raised was resolved", "zh": "提出的异议都解决了"},
                "fair": {"en": "Some objections were resolved", "zh": "部分异议得到解决"},
                "poor": {"en": "Objections were left open", "zh": "异议没有得到回应"}},
     "check": {"kind": "objections_answered"}},
    {"id": "next-step", "weight": 2, "skill": "closing",
     "title": {"en": "Ask for a concrete next step", "zh": "明确提出下一步"},
     "levels": {"good": {"en": "Asked for a next step once the need was clear", "zh": "需求清楚后提出了下一步"},
                "fair": {"en": "Asked too early, or not for a concrete step", "zh": "提得太早，或不是具体的下一步"},
                "poor": {"en": "Never asked", "zh": "始终没有提出"}},
     "check": {"kind": "next_step"}},
    {"id": "conduct", "weight": 2, "skill": "conduct",
     "title": {"en": "Respect and no pressure", "zh": "尊重客户，不施压"},
     "levels": {"good": {"en": "No pressure, insult or unfair claim", "zh": "没有施压、侮辱或不当说法"},
                "fair": {"en": "One lesser lapse, such as personal data written out", "zh": "有一次较轻的失误，例如在对话中写出个人信息"},
                "poor": {"en": "Pressure, or a rule that must never be broken", "zh": "施压，或违反了绝对不能违反的规则"}},
     "check": {"kind": "conduct"}}
  ]
})";

}  // namespace

std::vector<std::string> ValidateRubric(const json::value& rubric, std::string_view path) {
  Validator v;
  if (!rubric.is_object()) {
    v.Fail(path, "must be an object with \"criteria\"");
    return v.errors;
  }
  const auto& object = rubric.get_object();
  for (const auto& field : object) {
    if (field.key() != "criteria" && field.key() != "blocker_cap" && field.key() != "pressure_cap") {
      v.Fail(Join(path, field.key()), "is not a rubric field (criteria, blocker_cap, pressure_cap)");
    }
  }
  for (const char* key : {"blocker_cap", "pressure_cap"}) {
    if (const auto* cap = object.if_contains(key)) {
      if (!cap->is_number() || cap->to_number<double>() < 0 || cap->to_number<double>() > 10) {
        v.Fail(Join(path, key), "must be a number from 0 to 10");
      }
    }
  }
  const auto* criteria = object.if_contains("criteria");
  if (criteria == nullptr || !criteria->is_array() || criteria->get_array().empty()) {
    v.Fail(Join(path, "criteria"), "must be a non-empty array");
    return v.errors;
  }
  if (criteria->get_array().size() > 20) v.Fail(Join(path, "criteria"), "must hold at most 20 criteria");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < criteria->get_array().size(); ++i) {
    v.Criterion(criteria->get_array()[i], fmt::format("{}[{}]", Join(path, "criteria"), i), ids);
  }
  return v.errors;
}

Rubric ReadRubric(const json::object& rubric) {
  Rubric out;
  if (const auto* cap = rubric.if_contains("blocker_cap"); cap != nullptr && cap->is_number()) {
    out.blocker_cap = cap->to_number<double>();
  }
  if (const auto* cap = rubric.if_contains("pressure_cap"); cap != nullptr && cap->is_number()) {
    out.pressure_cap = cap->to_number<double>();
  }
  const auto* criteria = rubric.if_contains("criteria");
  if (criteria == nullptr || !criteria->is_array()) return out;
  for (const auto& value : criteria->get_array()) {
    if (!value.is_object()) continue;
    const auto& c = value.get_object();
    RubricCriterion criterion;
    if (const auto* id = c.if_contains("id"); id != nullptr && id->is_string()) criterion.id = id->get_string();
    criterion.title = ReadText(c.if_contains("title"));
    if (const auto* weight = c.if_contains("weight"); weight != nullptr && weight->is_number()) {
      criterion.weight = weight->to_number<double>();
    }
    if (const auto* skill = c.if_contains("skill"); skill != nullptr && skill->is_string()) {
      criterion.skill = skill->get_string();
    }
    if (const auto* levels = c.if_contains("levels"); levels != nullptr && levels->is_object()) {
      criterion.good = ReadText(levels->get_object().if_contains("good"));
      criterion.fair = ReadText(levels->get_object().if_contains("fair"));
      criterion.poor = ReadText(levels->get_object().if_contains("poor"));
    }
    if (const auto* check = c.if_contains("check"); check != nullptr && check->is_object()) {
      const auto& k = check->get_object();
      if (const auto* kind = k.if_contains("kind"); kind != nullptr && kind->is_string()) {
        criterion.check.kind = kind->get_string();
      }
      criterion.check.min_needs = ReadInt(k, "min_needs", 1);
      criterion.check.min_questions = ReadInt(k, "min_questions", 2);
      criterion.check.min = ReadInt(k, "min", 1);
      criterion.check.ids = ReadStrings(k, "ids");
      criterion.check.phrases = ReadStrings(k, "phrases");
      criterion.check.avoid = ReadStrings(k, "avoid");
      criterion.check.rules = ReadStrings(k, "rules");
      if (const auto* groups = k.if_contains("groups"); groups != nullptr && groups->is_array()) {
        for (const auto& group : groups->get_array()) {
          if (!group.is_array()) continue;
          json::object holder{{"g", group}};
          criterion.check.groups.push_back(ReadStrings(holder, "g"));
        }
      }
    }
    out.criteria.push_back(std::move(criterion));
  }
  return out;
}

const json::object& DefaultRubricJson() {
  static const json::object rubric = json::parse(kDefaultRubric).as_object();
  return rubric;
}

Rubric RubricOf(const json::object& scenario) {
  const auto* rubric = scenario.if_contains("rubric");
  if (rubric != nullptr && rubric->is_object()) return ReadRubric(rubric->get_object());
  return ReadRubric(DefaultRubricJson());
}

}  // namespace salesboost::catalog
