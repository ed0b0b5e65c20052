#include "brain/customer/persona_model.hpp"

#include <algorithm>

#include "brain/localized.hpp"
#include "core/text.hpp"

namespace salesboost::brain::customer {
namespace {

namespace json = boost::json;

const json::array* List(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_array() ? &value->get_array() : nullptr;
}

std::string String(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// A cue in the folded form the text is matched in. Cues are mostly written folded already (lower-case
// ASCII): those skip ICU, read on every turn.
std::string Folded(std::string_view cue) {
  const bool plain = std::all_of(
      cue.begin(), cue.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z'); });
  return plain ? std::string(cue) : core::FoldText(cue);
}

std::vector<std::string> Cues(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* list = List(object, key)) {
    out.reserve(list->size());
    for (const auto& cue : *list) {
      if (cue.is_string() && !cue.get_string().empty()) out.push_back(Folded(cue.get_string()));
    }
  }
  return out;
}

// A label written as a heading ("Stop losing leads") made a sentence a person says.
std::string AsSentence(std::string text) {
  if (text.empty()) return text;
  const char last = text.back();
  if (core::ContainsHan(text)) {
    if (text.ends_with("。") || text.ends_with("？") || text.ends_with("！")) return text;
    return text + "。";
  }
  if (last != '.' && last != '?' && last != '!') text += '.';
  return text;
}

}  // namespace

PersonaModel PersonaModel::Read(const json::object& persona, const std::string& language) {
  PersonaModel model;
  for (const char* key : {"needs", "hidden_pains"}) {
    if (const auto* items = List(persona, key)) {
      for (const auto& item : *items) {
        if (!item.is_object()) continue;
        const auto& o = item.get_object();
        const std::string says = Localized(o.if_contains("says"), language);
        const std::string text = Localized(o.if_contains("text"), language);
        const std::string topic = Localized(o.if_contains("topic"), language);
        model.needs.push_back(Need{.id = String(o, "id"),
                                   .says = AsSentence(says.empty() ? text : says),
                                   .topic = topic.empty() ? text : topic,
                                   .revealed_by = Cues(o, "revealed_by"),
                                   .hidden = std::string_view(key) == "hidden_pains"});
      }
    }
  }
  if (const auto* items = List(persona, "facts")) {
    for (const auto& item : *items) {
      if (!item.is_object()) continue;
      const auto& o = item.get_object();
      model.facts.push_back(Fact{.id = String(o, "id"),
                                 .says = AsSentence(Localized(o.if_contains("says"), language)),
                                 .asked_by = Cues(o, "asked_by")});
    }
  }
  if (const auto* items = List(persona, "objections")) {
    for (const auto& item : *items) {
      if (!item.is_object()) continue;
      const auto& o = item.get_object();
      model.objections.push_back(Objection{.id = String(o, "id"),
                                           .says = Localized(o.if_contains("text"), language),
                                           .topic = Localized(o.if_contains("topic"), language),
                                           .triggers = Cues(o, "triggers"),
                                           .resolved_by = Cues(o, "resolved_by")});
    }
  }
  if (const auto* items = List(persona, "buying_signals")) {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const auto& item = (*items)[i];
      if (!item.is_object()) continue;
      const auto& o = item.get_object();
      // Either {"en": …, "zh": …} or {"id", "text": {…}, "answered_by": […]}.
      const bool rich = o.contains("text");
      std::string id = rich ? String(o, "id") : std::string();
      model.signals.push_back(Signal{.id = id.empty() ? "signal-" + std::to_string(i + 1) : std::move(id),
                                     .says = Localized(rich ? o.if_contains("text") : &item, language),
                                     .answered_by = Cues(o, "answered_by")});
    }
  }
  if (const auto* items = List(persona, "close_conditions")) {
    for (const auto& id : *items) {
      if (id.is_string()) model.close_conditions.emplace_back(id.get_string());
    }
  }
  if (const auto* step = persona.if_contains("next_step"); step != nullptr && step->is_object()) {
    model.next_step = Cues(step->get_object(), "offered_by");
  }
  if (const auto* v = persona.if_contains("volatility"); v != nullptr && v->is_number()) {
    model.volatility = v->to_number<double>();
  }
  return model;
}

const Objection* PersonaModel::FindObjection(const std::string& id) const {
  for (const auto& objection : objections) {
    if (objection.id == id) return &objection;
  }
  return nullptr;
}

}  // namespace salesboost::brain::customer
