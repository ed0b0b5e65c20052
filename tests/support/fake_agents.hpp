// Fakes of the agent ports (conversation/agents.hpp) for tests of the turn
// machinery: each answers what the test set, records what it was asked, and
// can fail or never answer. Not thread-safe: one test, one thread.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conversation/agents.hpp"

namespace salesboost::testing {

// Waits until cancelled: a part that never answers, for deadline tests.
inline boost::asio::awaitable<void> Forever() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                  boost::asio::steady_timer::time_point::max());
  co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

class FakeClassifier final : public conversation::SalesActClassifier {
 public:
  std::string label = "open_question";
  conversation::SalesAct Classify(std::string_view, std::string_view) const override {
    return conversation::SalesAct{.label = label, .confidence = 0.9};
  }
};

class FakeIntents final : public conversation::CustomerIntentClassifier {
 public:
  conversation::CustomerIntent Classify(std::string_view) const override {
    return conversation::CustomerIntent{.label = "filler", .confidence = 0.5};
  }
};

// Streams `deltas`, then answers `reply` (its text: the deltas joined).
class FakeNpc final : public conversation::NpcAgent {
 public:
  std::vector<std::string> deltas = {"Hello, ", "tell me more."};
  conversation::NpcReply reply;
  std::optional<core::Error> error;  // fails after streaming
  bool hang = false;
  int calls = 0;

  boost::asio::awaitable<core::Result<conversation::NpcReply>> Reply(const conversation::TurnContext&,
                                                                     conversation::DeltaSink& sink) override {
    ++calls;
    if (hang) co_await Forever();
    std::string text;
    for (const auto& delta : deltas) {
      text += delta;
      co_await sink.Delta(delta);
    }
    if (error) co_return core::Fail(*error);
    conversation::NpcReply out = reply;
    out.text = text;
    co_return out;
  }
};

class FakeCoach final : public conversation::CoachAgent {
 public:
  conversation::CoachTip tip{
      .type = "suggestion", .technique = "SPIN", .text = "Ask why.", .example = {}, .evidence = {}};
  std::optional<core::Error> error;
  bool hang = false;

  boost::asio::awaitable<core::Result<conversation::CoachTip>> Advise(const conversation::TurnContext&,
                                                                      const conversation::TurnAfter&) override {
    if (hang) co_await Forever();
    if (error) co_return core::Fail(*error);
    co_return tip;
  }
};

// Reports `findings` for texts that contain `trigger` (every text when empty).
class FakeCompliance final : public conversation::ComplianceChecker {
 public:
  std::string trigger;
  std::vector<conversation::ComplianceFinding> findings;
  std::optional<core::Error> error;
  std::vector<std::string> checked;

  boost::asio::awaitable<core::Result<conversation::ComplianceReport>> Check(std::string_view text,
                                                                             std::string_view) override {
    checked.emplace_back(text);
    if (error) co_return core::Fail(*error);
    conversation::ComplianceReport report;
    if (!findings.empty() && (trigger.empty() || text.find(trigger) != std::string_view::npos)) {
      report.findings = findings;
      report.level = "WARN";
      for (const auto& f : findings) {
        if (f.level == "BLOCK") report.level = "BLOCK";
      }
    }
    co_return report;
  }
};

class FakeEvaluator final : public conversation::Evaluator {
 public:
  conversation::TurnScores scores;
  std::optional<core::Error> error;

  boost::asio::awaitable<core::Result<conversation::TurnScores>> Score(const conversation::TurnContext&) override {
    if (error) co_return core::Fail(*error);
    co_return scores;
  }
};

// An Agents bundle of fakes, with typed access to each.
struct FakeAgents {
  FakeAgents() {
    auto make = [](auto*& raw, auto& slot) {
      auto owned = std::make_unique<std::remove_pointer_t<std::remove_reference_t<decltype(raw)>>>();
      raw = owned.get();
      slot = std::move(owned);
    };
    make(classifier, agents.classifier);
    make(intents, agents.intents);
    make(npc, agents.npc);
    make(coach, agents.coach);
    make(compliance, agents.compliance);
    make(evaluator, agents.evaluator);
  }
  conversation::Agents agents;
  FakeClassifier* classifier = nullptr;
  FakeIntents* intents = nullptr;
  FakeNpc* npc = nullptr;
  FakeCoach* coach = nullptr;
  FakeCompliance* compliance = nullptr;
  FakeEvaluator* evaluator = nullptr;
};

}  // namespace salesboost::testing
