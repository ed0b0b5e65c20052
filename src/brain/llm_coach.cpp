#include "brain/llm_coach.hpp"

#include <fmt/format.h>

#include <string_view>

#include "brain/localized.hpp"
#include "conversation/report.hpp"

namespace salesboost::brain {
namespace asio = boost::asio;
namespace json = boost::json;
using conversation::TurnContext;

namespace {

core::Error Invalid(std::string message) { return core::Error{core::ErrorCode::kInvalidArgument, std::move(message)}; }

const json::string* StringField(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

// What both judges read about the turn.
std::string TurnBrief(const TurnContext& turn) {
  const auto& language = turn.session.language;
  std::string last_customer;
  for (const auto& line : turn.history) {
    if (line.speaker == "customer") last_customer = line.text;
  }
  return fmt::format(
      "Scenario: {}\nGoal: {}\nStage: {}\nThe customer last said: {}\nThe salesperson now says: {}\n"
      "Classified as: {}",
      Localized(turn.scenario.if_contains("title"), language), Localized(turn.scenario.if_contains("goal"), language),
      conversation::StageName(turn.stage), last_customer.empty() ? "(nothing yet)" : last_customer, turn.text,
      turn.act.label);
}

std::string LanguageName(const TurnContext& turn) { return turn.session.language == "zh" ? "Chinese" : "English"; }

bool IsScoredByJudge(std::string_view dimension) { return dimension != "compliance"; }

}  // namespace

LlmCoach::LlmCoach(StructuredCaller caller, std::unique_ptr<conversation::CoachAgent> offline,
                   std::chrono::milliseconds budget)
    : caller_(std::move(caller)), offline_(std::move(offline)), budget_(budget) {}

core::Result<void> LlmCoach::Validate(const json::object& tip) {
  const auto* type = StringField(tip, "type");
  if (type == nullptr || (*type != "praise" && *type != "suggestion" && *type != "warning")) {
    return core::Fail(Invalid("\"type\" must be \"praise\", \"suggestion\" or \"warning\""));
  }
  for (const auto* key : {"technique", "text", "example"}) {
    const auto* value = StringField(tip, key);
    if (value == nullptr) return core::Fail(Invalid(fmt::format("\"{}\" must be a string", key)));
    if (value->size() > 600) return core::Fail(Invalid(fmt::format("\"{}\" is longer than 600 bytes", key)));
  }
  if (StringField(tip, "text")->empty()) return core::Fail(Invalid("\"text\" must not be empty"));
  return core::Ok();
}

asio::awaitable<core::Result<conversation::CoachTip>> LlmCoach::Advise(const TurnContext& turn,
                                                                       const conversation::TurnAfter& after) {
  const auto deadline = std::chrono::steady_clock::now() + budget_;
  auto offline = co_await offline_->Advise(turn, after);  // its evidence grounds the tip; it is also the fallback
  if (!offline || !after.findings.empty()) co_return offline;
  std::string evidence;
  for (const auto& e : offline->evidence) evidence += fmt::format("\n- {} ({})", e.text, e.citation);
  llm::ChatRequest request;
  request.temperature = 0.3;
  request.max_tokens = 400;
  request.messages.push_back(
      {.role = "system",
       .content = fmt::format(
           "You coach a salesperson practising a sales conversation. Answer with one JSON object: "
           "{{\"type\": \"praise\" | \"suggestion\" | \"warning\", \"technique\": the sales technique (SPIN, FAB, "
           "feel-felt-found, trial close, ...), \"text\": one or two sentences of advice, \"example\": a sentence "
           "the salesperson could say}}. Write text and example in {}. Use only the facts given.",
           LanguageName(turn)),
       .image_urls = {}});
  request.messages.push_back(
      {.role = "user",
       .content = TurnBrief(turn) + fmt::format("\nThe customer answered: {}", after.reply) +
                  (evidence.empty() ? std::string() : "\nFacts from the knowledge base:" + evidence),
       .image_urls = {}});
  auto answer = co_await caller_.Ask(std::move(request), Validate, deadline);
  if (!answer) co_return offline;
  conversation::CoachTip tip = std::move(*offline);
  tip.type = std::string(answer->at("type").as_string());
  tip.technique = std::string(answer->at("technique").as_string());
  tip.text = std::string(answer->at("text").as_string());
  tip.example = std::string(answer->at("example").as_string());
  co_return tip;
}

LlmEvaluator::LlmEvaluator(StructuredCaller caller, std::unique_ptr<conversation::Evaluator> offline,
                           std::chrono::milliseconds budget)
    : caller_(std::move(caller)), offline_(std::move(offline)), budget_(budget) {}

core::Result<void> LlmEvaluator::Validate(const json::object& answer) {
  const auto* scores = answer.if_contains("scores");
  const auto* reasons = answer.if_contains("reasons");
  if (scores == nullptr || !scores->is_object() || reasons == nullptr || !reasons->is_object()) {
    return core::Fail(Invalid("\"scores\" and \"reasons\" must be objects"));
  }
  for (const char* dimension : conversation::kDimensions) {
    if (!IsScoredByJudge(dimension)) continue;
    const auto* score = scores->as_object().if_contains(dimension);
    if (score == nullptr || !score->is_number() || score->to_number<double>() < 0 || score->to_number<double>() > 10) {
      return core::Fail(Invalid(fmt::format("scores.{} must be a number from 0 to 10", dimension)));
    }
    if (StringField(reasons->as_object(), dimension) == nullptr) {
      return core::Fail(Invalid(fmt::format("reasons.{} must be a string", dimension)));
    }
  }
  return core::Ok();
}

asio::awaitable<core::Result<conversation::TurnScores>> LlmEvaluator::Score(const TurnContext& turn) {
  const auto deadline = std::chrono::steady_clock::now() + budget_;
  std::string dimensions;
  for (const char* dimension : conversation::kDimensions) {
    if (IsScoredByJudge(dimension)) dimensions += fmt::format("{}{}", dimensions.empty() ? "" : ", ", dimension);
  }
  llm::ChatRequest request;
  request.temperature = 0;
  request.max_tokens = 500;
  request.messages.push_back(
      {.role = "system",
       .content = fmt::format("You score one message of a salesperson practising a sales conversation. Answer with "
                              "one JSON object: {{\"scores\": {{dimension: number 0-10}}, \"reasons\": {{dimension: "
                              "one line in {}}}}} for each of: {}.",
                              LanguageName(turn), dimensions),
       .image_urls = {}});
  request.messages.push_back({.role = "user", .content = TurnBrief(turn), .image_urls = {}});
  auto answer = co_await caller_.Ask(std::move(request), Validate, deadline);
  if (!answer) co_return co_await offline_->Score(turn);
  conversation::TurnScores scores;
  for (const char* dimension : conversation::kDimensions) {
    if (!IsScoredByJudge(dimension)) continue;
    scores.scores[dimension] = std::round(answer->at("scores").at(dimension).to_number<double>() * 10) / 10;
    scores.reasons[dimension] = std::string(answer->at("reasons").at(dimension).as_string());
  }
  co_return scores;
}

}  // namespace salesboost::brain
