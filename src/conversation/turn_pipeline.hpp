// TurnPipeline: what a turn does, without the session machinery around it
// (mailbox, seqs, storage and delivery belong to the SessionActor).
//
//   Begin:    classify the trainee's message, apply the stage machine's act
//             transition, and say what turn.started carries.
//   Run:      the parts, each under conversation.part_deadline_ms: first,
//             concurrently, the customer's reply streamed as npc.delta (then
//             npc.done), the compliance check of the trainee's text and the
//             evaluation; then, once the customer has answered, the coach tip
//             (coach.tip), which speaks about the state after the turn and
//             knows what the check found, alongside the compliance check of
//             the reply. Provisional events go to a TurnEmitter in the order
//             the parts produce them. A part's failure is its own result.
//   Conclude: the committed tail, pure: stage changes, mood, scores,
//             compliance flags and turn.done, and whether the session ends.
//
// The pipeline holds no per-session state; one instance serves every session.
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "conversation/agents.hpp"
#include "conversation/conversation_state.hpp"
#include "conversation/events.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

struct PipelineOptions {
  std::chrono::milliseconds part_deadline{30000};  // each of NPC, coach, compliance, evaluation
};

// Where a running turn's provisional events go. The SessionActor numbers,
// reserves, buffers and publishes them.
class TurnEmitter {
 public:
  virtual ~TurnEmitter() = default;
  virtual boost::asio::awaitable<core::Result<void>> Emit(std::vector<NewEvent> events) = 0;
};

// A turn about to run: its context for the agents and what turn.started says.
struct TurnPlan {
  TurnContext context;  // context.stage: after the act's transition
  Stage stage_before = Stage::kOpening;
  std::optional<StageChange> after_act;
  TurnStarted started;
};

// What the parts returned.
struct TurnParts {
  core::Result<NpcReply> reply = core::Fail(core::ErrorCode::kInternal, "not run");
  core::Result<CoachTip> tip = core::Fail(core::ErrorCode::kInternal, "not run");
  core::Result<ComplianceReport> compliance = core::Fail(core::ErrorCode::kInternal, "not run");
  core::Result<TurnScores> scores = core::Fail(core::ErrorCode::kInternal, "not run");
  std::optional<ComplianceReport> customer_check;  // of the reply, when it ran
};

// The committed part of a turn, after its provisional events.
struct TurnConclusion {
  std::vector<NewEvent> events;  // stage.changed, mood, stage.changed, turn.scored, compliance.flagged..., turn.done
  std::string end_reason;        // won, lost or max_turns when the session ends with this turn; else empty
};

class TurnPipeline {
 public:
  // `metrics`: registers salesboost_npc_first_delta_seconds and salesboost_turn_part_failures_total.
  TurnPipeline(PipelineOptions options, Agents& agents, core::MetricsRegistry& metrics);

  // `session`, `scenario` and `persona` must outlive the plan.
  TurnPlan Begin(const Session& session, const boost::json::object& scenario, const boost::json::object& persona,
                 const ConversationState& state, std::string turn_id, std::string text) const;

  // `plan` and `emitter` must outlive the call. `started`: when the turn left
  // the queue (for the first-delta metric). Emit failures end the part that met them.
  boost::asio::awaitable<TurnParts> Run(const TurnPlan& plan, TurnEmitter& emitter,
                                        std::chrono::steady_clock::time_point started);

  // Counts the parts that failed; the customer's also when its events could not be emitted.
  void CountFailures(const TurnParts& parts, bool emit_failed);

  // The committed tail of a turn whose reply succeeded. Pure.
  static TurnConclusion Conclude(const TurnPlan& plan, const TurnParts& parts, const ConversationState& state);

 private:
  class StreamSink;

  PipelineOptions options_;
  Agents& agents_;
  core::Histogram& first_delta_;
  core::Family<core::Counter>& part_failures_;
};

// The compliance dimension's score from the check of the trainee's text.
double ComplianceScore(const ComplianceReport& report);
// The customer's state once `reply` is taken in: what it revealed, raised and resolved.
CustomerState CustomerAfter(CustomerState customer, const NpcReply& reply);

}  // namespace salesboost::conversation
