// The agent ports of a turn: what the coordinator asks of the sales-act
// classifier, the customer (NPC), the coach, the compliance checker and the
// evaluator. Implementations are built by a factory from configuration
// (brain/agent_factory.hpp); the coordinator knows only these interfaces.
// A failed part is a missing part, never a failed turn, except the NPC.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "conversation/events.hpp"
#include "conversation/knowledge.hpp"
#include "conversation/session.hpp"
#include "conversation/stage.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

// What the trainee's message does (product.md §1): greeting, open_question,
// closed_question, needs_summary, value_statement, evidence, objection_handling,
// trial_close, close, off_topic, compliance_risk.
struct SalesAct {
  std::string label;
  double confidence = 0;
};

// The customer's side of the conversation so far, folded from the event log.
struct CustomerState {
  double mood = 0.5;               // 0 hostile .. 1 eager
  std::set<std::string> revealed;  // ids of needs and hidden pains the customer has told
  std::set<std::string> raised;    // ids of objections raised
  std::set<std::string> resolved;  // ids of objections resolved
  bool buying_signal = false;      // has explicitly signalled wanting to buy
};

struct TranscriptLine {
  std::string speaker;  // "trainee" or "customer"
  std::string text;
  std::string turn_id;
  std::int64_t seq = 0;  // of the event that holds the text
};

// Everything an agent may read about the turn. Lives for the whole turn.
struct TurnContext {
  const Session& session;
  const boost::json::object& scenario;
  const boost::json::object& persona;
  Stage stage = Stage::kOpening;        // after this turn's act has been applied
  CustomerState customer;               // before this turn
  std::vector<TranscriptLine> history;  // earlier turns, oldest first
  std::string turn_id;
  std::string text;  // the trainee's message
  SalesAct act;
  std::int64_t turn_index = 1;  // 1-based
  std::uint64_t seed = 0;       // same seed and inputs: same conversation
};

class SalesActClassifier {
 public:
  virtual ~SalesActClassifier() = default;
  virtual SalesAct Classify(std::string_view text, std::string_view language) const = 0;
};

// What a customer's message means (product.md §1): price_inquiry,
// price_objection, product_inquiry, benefit_inquiry, competitor_comparison,
// case_request, negotiation, hesitation, positive_feedback,
// final_confirmation, soft_rejection, time_pressure, filler, greeting, unclear.
struct CustomerIntent {
  std::string label;
  double confidence = 0;
};

class CustomerIntentClassifier {
 public:
  virtual ~CustomerIntentClassifier() = default;
  virtual CustomerIntent Classify(std::string_view text) const = 0;
};

// Receives the customer's reply as it is produced.
class DeltaSink {
 public:
  virtual ~DeltaSink() = default;
  virtual boost::asio::awaitable<void> Delta(std::string text) = 0;
  // The deltas so far are withdrawn (a provider failed mid-reply, or the
  // compliance guard cut it); the reply starts again from empty. `reason`:
  // provider_failed or compliance.
  virtual boost::asio::awaitable<void> Reset(std::string reason) = 0;
};

enum class TurnOutcome { kContinue, kWon, kLost };

struct NpcReply {
  std::string text;                   // the whole reply: the concatenation of the deltas since the last reset
  std::string intent;                 // customer-intent label of the reply (product.md §1)
  std::vector<std::string> revealed;  // ids newly revealed, raised, resolved by this reply
  std::vector<std::string> raised;
  std::vector<std::string> resolved;
  double mood_delta = 0;
  std::string mood_cause;
  bool buying_signal = false;  // the reply is an explicit buying signal
  TurnOutcome outcome = TurnOutcome::kContinue;
  std::string engine = "offline";  // who spoke: a provider's name or "offline"
};

class NpcAgent {
 public:
  virtual ~NpcAgent() = default;
  // Streams the reply through `sink`, then returns it whole.
  virtual boost::asio::awaitable<core::Result<NpcReply>> Reply(const TurnContext& turn, DeltaSink& sink) = 0;
};

struct CoachTip {
  std::string type;       // praise, suggestion or warning
  std::string technique;  // SPIN, FAB, feel-felt-found, trial close, ...
  std::string text;
  std::string example;             // a phrasing the trainee could use
  std::vector<Evidence> evidence;  // from the knowledge base
};

class CoachAgent {
 public:
  virtual ~CoachAgent() = default;
  virtual boost::asio::awaitable<core::Result<CoachTip>> Advise(const TurnContext& turn) = 0;
};

class ComplianceChecker {
 public:
  virtual ~ComplianceChecker() = default;
  virtual boost::asio::awaitable<core::Result<ComplianceReport>> Check(std::string_view text,
                                                                       std::string_view language) = 0;
};

struct TurnScores {
  std::map<std::string, double> scores;  // dimension (report.hpp) -> 0..10
  std::map<std::string, std::string> reasons;
};

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual boost::asio::awaitable<core::Result<TurnScores>> Score(const TurnContext& turn) = 0;
};

// Assist: what a salesperson on a real call gets for what the customer just said.
struct AssistSuggestion {
  std::string text;       // a compliant reply the salesperson could say
  std::string technique;  // feel-felt-found, FAB, SPIN, trial close, ...
};

struct Assistance {
  std::string language;  // "zh" or "en": the customer message's
  CustomerIntent intent;
  std::vector<AssistSuggestion> suggestions;  // one to three
  std::vector<KnowledgeHit> knowledge;        // what the suggestions rest on
};

class Assistant {
 public:
  virtual ~Assistant() = default;
  // `context`: optional, what the call is about (product, earlier lines).
  virtual boost::asio::awaitable<core::Result<Assistance>> Assist(std::string customer_message,
                                                                  std::string context) = 0;
};

struct Agents {
  std::unique_ptr<KnowledgeSearch> knowledge;  // first: the agents below may refer to it
  std::unique_ptr<SalesActClassifier> classifier;
  std::unique_ptr<CustomerIntentClassifier> intents;
  std::unique_ptr<NpcAgent> npc;
  std::unique_ptr<CoachAgent> coach;
  std::unique_ptr<ComplianceChecker> compliance;
  std::unique_ptr<Evaluator> evaluator;
  std::unique_ptr<Assistant> assistant;
};

}  // namespace salesboost::conversation
