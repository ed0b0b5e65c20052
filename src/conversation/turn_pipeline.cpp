#include "conversation/turn_pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>

namespace salesboost::conversation {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using std::chrono::milliseconds;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Resolves when `part` does or when `limit` passes, whichever is first.
template <typename T>
asio::awaitable<core::Result<T>> WithDeadline(asio::awaitable<core::Result<T>> part, milliseconds limit,
                                              std::string_view what) {
  asio::steady_timer timer(co_await asio::this_coro::executor, limit);
  auto wait = timer.async_wait(kTuple);
  auto race = std::move(part) || std::move(wait);
  auto winner = co_await std::move(race);
  if (winner.index() == 0) co_return std::move(std::get<0>(winner));
  co_return core::Fail(core::ErrorCode::kDeadlineExceeded,
                       fmt::format("{} took longer than {} ms", what, limit.count()));
}

std::string_view EndReason(TurnOutcome outcome) {
  switch (outcome) {
    case TurnOutcome::kWon:
      return "won";
    case TurnOutcome::kLost:
      return "lost";
    case TurnOutcome::kContinue:
      break;
  }
  return "";
}

template <typename T>
PartOutcome Outcome(const core::Result<T>& result) {
  if (result) return PartOutcome{.ok = true, .code = {}, .message = {}, .engine = {}};
  return PartOutcome{.ok = false,
                     .code = std::string(core::ErrorCodeName(result.error().code)),
                     .message = result.error().message,
                     .engine = {}};
}

double Round3(double v) { return std::round(v * 1000) / 1000; }

// Emits one provisional event of the turn.
asio::awaitable<core::Result<void>> EmitOne(TurnEmitter& emitter, std::string turn_id, EventBody body) {
  std::vector<NewEvent> events;  // named: no braced temporary inside co_await (g++ 12)
  events.push_back(NewEvent{.turn_id = std::move(turn_id), .body = std::move(body)});
  co_return co_await emitter.Emit(std::move(events));
}

}  // namespace

CustomerState CustomerAfter(CustomerState customer, const NpcReply& reply) {
  customer.revealed.insert(reply.revealed.begin(), reply.revealed.end());
  customer.raised.insert(reply.raised.begin(), reply.raised.end());
  customer.resolved.insert(reply.resolved.begin(), reply.resolved.end());
  customer.told.insert(reply.told.begin(), reply.told.end());
  customer.buying_signal = customer.buying_signal || reply.buying_signal;
  return customer;
}

double ComplianceScore(const ComplianceReport& report) {
  double score = 10;
  for (const auto& f : report.findings) score -= f.level == "BLOCK" ? 6 : 3;
  return std::max(0.0, score);
}

// Streams the customer's reply as provisional npc.delta events.
class TurnPipeline::StreamSink final : public DeltaSink {
 public:
  StreamSink(TurnPipeline& pipeline, TurnEmitter& emitter, std::string turn_id,
             std::chrono::steady_clock::time_point started)
      : pipeline_(pipeline), emitter_(emitter), turn_id_(std::move(turn_id)), started_(started) {}

  asio::awaitable<void> Delta(std::string text) override {
    if (text.empty()) co_return;
    if (!first_delta_) {
      first_delta_ = true;
      pipeline_.first_delta_.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    }
    EventBody delta = NpcDelta{.text = std::move(text)};     // named: no temporaries inside co_await (g++ 12)
    co_await EmitOne(emitter_, turn_id_, std::move(delta));  // a failure is the emitter's to remember
  }

  asio::awaitable<void> Reset(std::string reason) override {
    EventBody reset = NpcReset{.reason = std::move(reason)};
    co_await EmitOne(emitter_, turn_id_, std::move(reset));
  }

 private:
  TurnPipeline& pipeline_;
  TurnEmitter& emitter_;
  std::string turn_id_;
  std::chrono::steady_clock::time_point started_;
  bool first_delta_ = false;
};

TurnPipeline::TurnPipeline(PipelineOptions options, Agents& agents, core::MetricsRegistry& metrics)
    : options_(options),
      agents_(agents),
      first_delta_(metrics
                       .AddHistogram("salesboost_npc_first_delta_seconds",
                                     "Time from taking a turn off the queue to the customer's first streamed text", {},
                                     core::DefaultLatencyBuckets())
                       .Get()),
      part_failures_(metrics.AddCounter("salesboost_turn_part_failures_total",
                                        "Turn parts that failed or missed their deadline", {"part"})) {}

TurnPlan TurnPipeline::Begin(const Session& session, const boost::json::object& scenario,
                             const boost::json::object& persona, const ConversationState& state, std::string turn_id,
                             std::string text) const {
  TurnPlan plan{.context = TurnContext{.session = session,
                                       .scenario = scenario,
                                       .persona = persona,
                                       .stage = state.stage,
                                       .customer = state.customer,
                                       .history = state.transcript,
                                       .turn_id = std::move(turn_id),
                                       .text = std::move(text),
                                       .act = {},
                                       .turn_index = state.turns + 1,
                                       .seed = state.seed},
                .stage_before = state.stage,
                .after_act = std::nullopt,
                .started = {}};
  auto& ctx = plan.context;
  ctx.act = agents_.classifier->Classify(ctx.text, session.language);
  plan.after_act = StageAfterAct(ctx.stage, ctx.act.label, FactsOf(ctx.customer));
  if (plan.after_act) ctx.stage = plan.after_act->to;
  plan.started = TurnStarted{
      .text = ctx.text, .turn_index = ctx.turn_index, .act = ctx.act.label, .act_confidence = ctx.act.confidence};
  return plan;
}

asio::awaitable<TurnParts> TurnPipeline::Run(const TurnPlan& plan, TurnEmitter& emitter,
                                             std::chrono::steady_clock::time_point started) {
  const TurnContext& ctx = plan.context;
  StreamSink sink(*this, emitter, ctx.turn_id, started);
  auto npc_part = [this, &ctx, &sink, &emitter]() -> asio::awaitable<core::Result<NpcReply>> {
    auto reply = co_await WithDeadline(agents_.npc->Reply(ctx, sink), options_.part_deadline, "the customer");
    // An engine that does not know what its reply means leaves it to the customer-intent classifier.
    if (reply && reply->intent.empty()) reply->intent = agents_.intents->Classify(reply->text).label;
    if (reply) {
      NpcDone done{.text = reply->text,
                   .intent = reply->intent,
                   .revealed = reply->revealed,
                   .raised = reply->raised,
                   .resolved = reply->resolved,
                   .told = reply->told,
                   .buying_signal = reply->buying_signal,
                   .engine = reply->engine};
      EventBody body = std::move(done);
      if (auto emitted = co_await EmitOne(emitter, ctx.turn_id, std::move(body)); !emitted) {
        co_return core::Fail(emitted.error());
      }
    }
    co_return reply;
  };
  auto npc_task = npc_part();
  auto compliance_task =
      WithDeadline(agents_.compliance->Check(ctx.text, ctx.session.language), options_.part_deadline, "compliance");
  auto evaluation_task = WithDeadline(agents_.evaluator->Score(ctx), options_.part_deadline, "the evaluator");
  auto all = std::move(npc_task) && std::move(compliance_task) && std::move(evaluation_task);
  auto [reply, compliance, scores] = co_await std::move(all);
  TurnParts parts{.reply = std::move(reply),
                  .tip = core::Fail(core::ErrorCode::kUnavailable, "the customer did not answer"),
                  .compliance = std::move(compliance),
                  .scores = std::move(scores),
                  .customer_check = std::nullopt};
  if (!parts.reply) co_return parts;
  // The coach speaks about the turn as it ended: the customer's answer and what the checks found.
  const TurnAfter after{.customer = CustomerAfter(ctx.customer, *parts.reply),
                        .reply = parts.reply->text,
                        .reply_intent = parts.reply->intent,
                        .findings = parts.compliance ? parts.compliance->findings : std::vector<ComplianceFinding>{}};
  auto coach_task = WithDeadline(agents_.coach->Advise(ctx, after), options_.part_deadline, "the coach");
  auto customer_task = agents_.compliance->Check(parts.reply->text, ctx.session.language);
  auto both = std::move(coach_task) && std::move(customer_task);
  auto [tip, check] = co_await std::move(both);
  if (tip) {
    CoachTipped tipped{.tip_type = tip->type,
                       .technique = tip->technique,
                       .text = tip->text,
                       .example = tip->example,
                       .evidence = tip->evidence};
    EventBody body = std::move(tipped);
    if (auto emitted = co_await EmitOne(emitter, ctx.turn_id, std::move(body)); !emitted) {
      tip = core::Fail(emitted.error());
    }
  }
  parts.tip = std::move(tip);
  // The customer's words are checked too: a compliance hit either side is an event.
  if (check) parts.customer_check = std::move(*check);
  co_return parts;
}

void TurnPipeline::CountFailures(const TurnParts& parts, bool emit_failed) {
  if (!parts.reply || emit_failed) part_failures_.With({"npc"}).Inc();
  if (parts.reply && !parts.tip) part_failures_.With({"coach"}).Inc();  // no reply: the coach never ran
  if (!parts.compliance) part_failures_.With({"compliance"}).Inc();
  if (!parts.scores) part_failures_.With({"evaluator"}).Inc();
}

TurnConclusion TurnPipeline::Conclude(const TurnPlan& plan, const TurnParts& parts, const ConversationState& state) {
  const TurnContext& ctx = plan.context;
  const NpcReply& reply = *parts.reply;
  const CustomerState customer = CustomerAfter(ctx.customer, reply);
  const double mood = std::clamp(customer.mood + reply.mood_delta, 0.0, 1.0);
  StageFacts after = FactsOf(customer);
  after.objection_raised = !reply.raised.empty();
  after.won = reply.outcome == TurnOutcome::kWon;
  after.lost = reply.outcome == TurnOutcome::kLost;
  const auto after_reply = StageAfterReply(ctx.stage, after);

  TurnConclusion out;
  auto add = [&](EventBody body) { out.events.push_back(NewEvent{.turn_id = ctx.turn_id, .body = std::move(body)}); };
  if (plan.after_act) {
    add(StageChanged{.from = plan.stage_before, .to = plan.after_act->to, .cause = plan.after_act->cause});
  }
  if (std::abs(mood - ctx.customer.mood) > 1e-9) {
    add(MoodChanged{.value = Round3(mood), .delta = Round3(mood - ctx.customer.mood), .cause = reply.mood_cause});
  }
  if (after_reply) add(StageChanged{.from = ctx.stage, .to = after_reply->to, .cause = after_reply->cause});

  // Scores: the evaluator's dimensions; the compliance dimension follows the compliance check.
  TurnScored scored;
  if (parts.scores) {
    for (const auto& [dimension, value] : parts.scores->scores) {
      const auto reason = parts.scores->reasons.find(dimension);
      scored.dimensions.push_back(
          {.name = dimension, .score = value, .reason = reason == parts.scores->reasons.end() ? "" : reason->second});
    }
  }
  if (parts.compliance) {
    const auto& report = *parts.compliance;
    TurnScored::Dimension dimension{
        .name = "compliance",
        .score = ComplianceScore(report),
        .reason = report.findings.empty()
                      ? std::string("no compliance issue found")
                      : fmt::format("{} compliance finding(s), worst {}", report.findings.size(), report.level)};
    const auto it = std::find_if(scored.dimensions.begin(), scored.dimensions.end(),
                                 [](const TurnScored::Dimension& d) { return d.name == "compliance"; });
    if (it != scored.dimensions.end()) {
      *it = std::move(dimension);
    } else {
      scored.dimensions.push_back(std::move(dimension));
    }
    scored.compliance = report;
  }
  add(std::move(scored));
  auto flag = [&](const ComplianceReport& report, std::string_view side) {
    for (const auto& f : report.findings) add(ComplianceFlagged{.side = std::string(side), .finding = f});
  };
  if (parts.compliance) flag(*parts.compliance, "trainee");
  if (parts.customer_check) flag(*parts.customer_check, "customer");
  add(TurnDone{.turn_index = ctx.turn_index,
               .act = ctx.act.label,
               .npc = PartOutcome{.ok = true, .code = {}, .message = {}, .engine = reply.engine},
               .coach = Outcome(parts.tip),
               .compliance = Outcome(parts.compliance),
               .evaluator = Outcome(parts.scores)});

  out.end_reason = EndReason(reply.outcome);
  if (out.end_reason.empty() && ctx.turn_index >= state.max_turns) out.end_reason = "max_turns";
  return out;
}

}  // namespace salesboost::conversation
