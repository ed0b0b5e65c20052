#include "brain/cue_rules.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "brain/builtin_cues.hpp"

namespace salesboost::brain {
namespace {

namespace json = boost::json;

core::Result<CueRule> ParseRule(const json::value& value, const CueRulesOptions& options, const std::string& where) {
  const auto fail = [&](std::string_view problem) {
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("{}{}", where, problem));
  };
  if (!value.is_object()) return fail(" must be an object");
  const auto& object = value.get_object();
  for (const auto& field : object) {
    if (field.key() != "label" && field.key() != "confidence" && field.key() != "cues") {
      return fail(fmt::format(" has an unknown key \"{}\"", std::string_view(field.key())));
    }
  }
  CueRule rule;
  const auto* label = object.if_contains("label");
  if (label == nullptr || !label->is_string() || label->get_string().empty()) {
    return fail(".label must be a non-empty string");
  }
  rule.label = std::string(label->get_string());
  if (const auto* confidence = object.if_contains("confidence")) {
    if (!confidence->is_number() || confidence->to_number<double>() < 0 || confidence->to_number<double>() > 1) {
      return fail(".confidence must be a number from 0 to 1");
    }
    rule.confidence = confidence->to_number<double>();
  } else if (options.confidence) {
    return fail(".confidence is required");
  }
  const auto* cues = object.if_contains("cues");
  if (cues == nullptr || !cues->is_array() || cues->get_array().empty()) {
    return fail(".cues must be a non-empty array of strings");
  }
  for (std::size_t i = 0; i < cues->get_array().size(); ++i) {
    const auto& cue = cues->get_array()[i];
    if (!cue.is_string() || cue.get_string().empty())
      return fail(fmt::format(".cues[{}] must be a non-empty string", i));
    rule.cues.emplace_back(cue.get_string());
  }
  return rule;
}

}  // namespace

core::Result<CueRules> CueRules::Parse(std::string_view text, std::string_view name, CueRulesOptions options) {
  const auto fail = [&](std::string_view problem) {
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("{}: {}", name, problem));
  };
  boost::system::error_code ec;
  const auto document = json::parse(text, ec);
  if (ec) return fail(fmt::format("not valid JSON ({})", ec.message()));
  if (!document.is_object()) return fail("the top level must be an object");
  for (const auto& field : document.get_object()) {
    if (field.key() != "about" && field.key() != "rules") {
      return fail(fmt::format("unknown key \"{}\"", std::string_view(field.key())));
    }
  }
  const auto* rules = document.get_object().if_contains("rules");
  if (rules == nullptr || !rules->is_array() || rules->get_array().empty()) {
    return fail("\"rules\" must be a non-empty array");
  }
  CueRules out;
  std::set<std::string, std::less<>> labels;
  for (std::size_t i = 0; i < rules->get_array().size(); ++i) {
    auto rule = ParseRule(rules->get_array()[i], options, fmt::format("{}: rules[{}]", name, i));
    if (!rule) return core::Fail(rule.error());
    if (!labels.insert(rule->label).second) {
      return fail(fmt::format("rules[{}].label \"{}\" repeats an earlier rule's", i, rule->label));
    }
    out.rules_.push_back(std::move(*rule));
  }
  return out;
}

CueRules CueRules::Builtin(std::string_view name, CueRulesOptions options) {
  const auto content = core::FindEmbeddedFile(BuiltinCueFiles(), name);
  core::Result<CueRules> rules =
      core::Fail(core::ErrorCode::kNotFound, fmt::format("{}: no such built-in cue file", name));
  if (content) rules = Parse(*content, name, options);
  if (!rules) {
    // Built-in data is part of the program: a bad file is a broken build, not bad input.
    std::fprintf(stderr, "built-in cue rules: %s\n", rules.error().message.c_str());
    std::abort();
  }
  return std::move(*rules);
}

}  // namespace salesboost::brain
