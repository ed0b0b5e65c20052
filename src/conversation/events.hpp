// The events of a practice session, typed, and their one codec.
//
// Every server event of a session is an `Event`: a seq, the turn it belongs to
// (empty for session-level events) and a body, one of the structs below. The
// coordinator builds bodies, the fold (ConversationState) and the report read
// them, the session store keeps them and the WebSocket and REST APIs send them;
// all of them use these types. JSON exists only at the edges, through the codec
// at the end of this header:
//
//   wire:  {"type": <kType>, "seq": n, "turn_id"?: id, ...the body's members}
//   store: the body's members as one JSON object, with the type in its own column
//
// Decoding is lenient about missing members (they take the defaults below, as
// rows written by older versions may lack them) and strict about the type name.
// Plain values; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "conversation/stage.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

// session.ready: the first event of every session.
struct SessionReady {
  static constexpr std::string_view kType = "session.ready";
  struct ScenarioCard {
    std::string id;
    std::optional<std::string> title;  // in the session's language; absent: null on the wire
    std::optional<std::string> background;
    std::optional<std::string> goal;
    std::vector<std::string> success_criteria;
    std::int64_t max_turns = 20;
  };
  struct PersonaCard {
    std::string id;
    std::optional<std::string> name;
    std::optional<std::string> title;
    std::int64_t difficulty = 1;
  };
  std::string session_id;
  Stage stage = Stage::kOpening;
  std::string language;
  std::uint64_t seed = 0;
  double mood = 0.5;  // the customer's mood before the first turn, 0..1
  ScenarioCard scenario;
  PersonaCard persona;
};

// turn.started: the trainee's message and what it does.
struct TurnStarted {
  static constexpr std::string_view kType = "turn.started";
  std::string text;
  std::int64_t turn_index = 0;  // 1-based
  std::string act;              // sales-act label
  double act_confidence = 0;
};

// npc.delta: a piece of the customer's streamed reply (provisional).
struct NpcDelta {
  static constexpr std::string_view kType = "npc.delta";
  std::string text;
};

// npc.reset: the deltas so far are withdrawn; the reply starts again.
struct NpcReset {
  static constexpr std::string_view kType = "npc.reset";
  std::string reason;  // provider_failed or compliance
};

// npc.done: the customer's whole reply and what it changed.
struct NpcDone {
  static constexpr std::string_view kType = "npc.done";
  std::string text;
  std::string intent;  // customer-intent label
  std::vector<std::string> revealed;
  std::vector<std::string> raised;
  std::vector<std::string> resolved;
  std::vector<std::string> told;  // ids of the persona's facts and questions this reply told or asked
  bool buying_signal = false;
  std::string engine;  // a provider's name or "offline"
};

// A passage of the knowledge base a coach tip rests on.
struct Evidence {
  std::string text;
  std::string source;
  std::string heading;
  double score = 0;
  std::string citation{};  // the source with the passage's pages for a PDF: "sheet.pdf, pp. 1-2"
};

// coach.tip
struct CoachTipped {
  static constexpr std::string_view kType = "coach.tip";
  std::string tip_type;  // praise, suggestion or warning
  std::string technique;
  std::string text;
  std::string example;
  std::vector<Evidence> evidence;
};

// stage.changed: every transition with its cause.
struct StageChanged {
  static constexpr std::string_view kType = "stage.changed";
  Stage from = Stage::kOpening;
  Stage to = Stage::kOpening;
  std::string cause;
};

// mood: the customer's mood moved.
struct MoodChanged {
  static constexpr std::string_view kType = "mood";
  double value = 0.5;  // 0..1, rounded to 3 decimals
  double delta = 0;
  std::string cause;
};

struct ComplianceFinding {
  std::string rule;     // a conduct rule (data/cues/conduct_rules.json), personal_data or banned_word
  std::string level;    // WARN or BLOCK (a blocker: it caps the session's score)
  std::string excerpt;  // the matching part of the text
  std::string message;  // what the rule is, in the session's language; may be empty
};

struct ComplianceReport {
  std::string level = "OK";  // OK, WARN or BLOCK: the worst finding
  std::vector<ComplianceFinding> findings;
};

// turn.scored: the turn's scores per dimension (report.hpp's kDimensions), 0..10.
struct TurnScored {
  static constexpr std::string_view kType = "turn.scored";
  struct Dimension {
    std::string name;
    double score = 0;
    std::string reason;
  };
  // A rubric criterion as judged over the session so far, this turn included.
  struct Criterion {
    std::string id;
    std::string result;  // met, partly or not_met (not yet)
  };
  std::optional<ComplianceReport> compliance;  // the trainee's text, when the check ran
  std::vector<Dimension> dimensions;           // in the order they are sent
  std::vector<Criterion> criteria{};           // the live checklist; empty when it could not be judged
};

// compliance.flagged: one finding in the trainee's text or the customer's reply.
struct ComplianceFlagged {
  static constexpr std::string_view kType = "compliance.flagged";
  std::string side;  // trainee or customer
  ComplianceFinding finding;
};

// How one part of a turn ended.
struct PartOutcome {
  bool ok = true;
  std::string code;     // !ok: the error code's name
  std::string message;  // !ok
  std::string engine;   // the customer's part: who spoke
};

// turn.done: the turn is committed.
struct TurnDone {
  static constexpr std::string_view kType = "turn.done";
  std::int64_t turn_index = 0;
  std::string act;
  PartOutcome npc;
  PartOutcome coach;
  PartOutcome compliance;
  PartOutcome evaluator;
};

// turn.aborted: the attempt left no trace; its provisional events are void.
struct TurnAborted {
  static constexpr std::string_view kType = "turn.aborted";
  std::string reason;  // deadline, session_ended, npc_failed, store_unavailable, interrupted
};

// session.ended
struct SessionEnded {
  static constexpr std::string_view kType = "session.ended";
  std::string reason;  // trainee, won, lost, max_turns, ...
};

// report.ready: the report, as BuildReport made it.
struct ReportReady {
  static constexpr std::string_view kType = "report.ready";
  boost::json::object report;
};

using EventBody =
    std::variant<SessionReady, TurnStarted, NpcDelta, NpcReset, NpcDone, CoachTipped, StageChanged, MoodChanged,
                 TurnScored, ComplianceFlagged, TurnDone, TurnAborted, SessionEnded, ReportReady>;

// The type name of a body ("npc.delta", ...).
std::string_view TypeOf(const EventBody& body);

// One server event of a session.
struct Event {
  std::int64_t seq = 0;
  std::string turn_id;  // empty for session-level events
  EventBody body;
  std::string created_at;  // ISO 8601 UTC, set when stored

  std::string_view Type() const { return TypeOf(body); }
  template <typename T>
  bool Is() const {
    return std::holds_alternative<T>(body);
  }
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&body);
  }
};

// An event before it has a seq.
struct NewEvent {
  std::string turn_id;
  EventBody body;
};

// The codec. The body's members as a JSON object (what the store keeps).
boost::json::object EncodeBody(const EventBody& body);
// A body from its type name and members; kInternal for an unknown type or a
// member that cannot be read (a bad stage name).
core::Result<EventBody> DecodeBody(std::string_view type, const boost::json::object& members);
// The event as sent to clients: {"type", "seq", "turn_id"?, ...members}.
boost::json::object EventJson(const Event& event);
// The wire text of EventJson.
std::string EventText(const Event& event);

}  // namespace salesboost::conversation
