// Phrasing: how the offline customer words what the policy decided. A reply
// is a list of beats (a kind such as "reveal_need" and the content of its
// slot); each beat takes a variant of its kind, the persona's own templates
// first, then the shared ones of data/cues/customer_phrases.json, starting
// at a variant chosen by the session seed, the turn and the kind. A variant
// with a sentence the customer has already said in the session (or earlier
// in the same reply) is passed over, and a beat whose every variant is used
// up is left out, so the customer never says the same sentence twice. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conversation/turn_context.hpp"

namespace salesboost::brain::customer {

struct Beat {
  std::string kind;  // a phrase kind of customer_phrases.json
  std::string slot;  // what replaces the variant's {placeholder}; may be empty
};

// The shared variants of `kind` in `language` (built in, parsed once); empty when there are none.
const std::vector<std::string>& SharedPhrases(std::string_view language, std::string_view kind);
// The phrase kinds of the shared file, for validation and tests.
std::vector<std::string> PhraseKinds();

struct Wording {
  std::string text;               // the beats that could be said, joined
  std::vector<std::size_t> said;  // indexes of the beats said, in order
};

// Words `beats` for the turn: no sentence of the customer's earlier lines
// (turn.history) is repeated.
Wording Compose(const conversation::TurnContext& turn, const std::vector<Beat>& beats);

// The sentence form compared for repeats: folded, without spaces and end marks.
std::string SentenceKey(std::string_view sentence);

}  // namespace salesboost::brain::customer
