// Pure parts of the LLM layer: JSON repair and validation of structured
// output, the chat request body, the customer's prompt window, and the
// mock server's building blocks; and an LLM agent driven through the
// llm::ChatProvider port by a fake provider.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>

#include "brain/llm_coach.hpp"
#include "brain/npc_prompt.hpp"
#include "brain/structured_call.hpp"
#include "core/metrics.hpp"
#include "core/run_sync.hpp"
#include "llm/fallback_counter.hpp"
#include "llm/openai_client.hpp"
#include "mock-llm/behaviour.hpp"
#include "support/fake_chat_provider.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;

TEST(StructuredOutput, RepairsFencedOrWrappedJsonAndRefusesTheRest) {
  EXPECT_EQ(brain::RepairJson(R"({"a": 1})")->at("a"), 1);
  EXPECT_EQ(brain::RepairJson("Sure!\n```json\n{\"a\": {\"b\": 2}}\n```\nAnything else?")->at("a").at("b"), 2);
  EXPECT_FALSE(brain::RepairJson("no json"));
  EXPECT_FALSE(brain::RepairJson("[1, 2]"));
  EXPECT_FALSE(brain::RepairJson("} backwards {"));
  EXPECT_FALSE(brain::RepairJson(R"({"a": )"));
}

TEST(StructuredOutput, CoachTipsAndScoresAreValidatedFieldByField) {
  const auto tip = json::parse(R"({"type": "praise", "technique": "FAB", "text": "Good.", "example": ""})").as_object();
  EXPECT_TRUE(brain::LlmCoach::Validate(tip));
  auto bad = tip;
  bad["type"] = "shout";
  EXPECT_FALSE(brain::LlmCoach::Validate(bad));
  bad = tip;
  bad["text"] = "";
  EXPECT_FALSE(brain::LlmCoach::Validate(bad));
  bad = tip;
  bad.erase("example");
  EXPECT_FALSE(brain::LlmCoach::Validate(bad));

  auto scores = json::parse(R"({"scores": {"integrity": 9, "relevance": 8.5, "correctness": 7, "logic": 6,
                                           "persuasiveness": 5, "empathy": 0},
                                "reasons": {"integrity": "a", "relevance": "b", "correctness": "c", "logic": "d",
                                            "persuasiveness": "e", "empathy": "f"}})")
                    .as_object();
  EXPECT_TRUE(brain::LlmEvaluator::Validate(scores));
  scores["scores"].as_object()["empathy"] = 11;
  const auto out_of_range = brain::LlmEvaluator::Validate(scores);
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.error().message, "scores.empathy must be a number from 0 to 10");
  scores["scores"].as_object().erase("empathy");
  EXPECT_FALSE(brain::LlmEvaluator::Validate(scores));
}

// The offline coach's answer, which the LLM coach keeps as its fallback and evidence.
class FixedCoach final : public conversation::CoachAgent {
 public:
  boost::asio::awaitable<core::Result<conversation::CoachTip>> Advise(const conversation::TurnContext&,
                                                                      const conversation::TurnAfter&) override {
    co_return conversation::CoachTip{
        .type = "suggestion", .technique = "SPIN", .text = "offline tip", .example = "", .evidence = {}};
  }
};

TEST(LlmCoachPort, SkipsAFailingProviderAndAsksAgainAfterInvalidJson) {
  testing::FakeChatProvider down("down");
  testing::FakeChatProvider fake("fake");
  down.Fail(core::ErrorCode::kUnavailable, "circuit breaker open");
  fake.Reply({"Sure, here is my advice."});
  fake.Reply({R"({"type": "praise", "technique": "FAB", )", R"("text": "Good.", "example": "Try this."})"});
  core::MetricsRegistry metrics;
  brain::LlmCoach coach(brain::StructuredCaller("coach", {&down, &fake}, metrics), std::make_unique<FixedCoach>(),
                        std::chrono::seconds(5));
  conversation::Session session;
  session.language = "en";
  const json::object scenario{{"title", "Lumen CRM"}};
  const json::object persona;
  const conversation::TurnContext turn{.session = session,
                                       .scenario = scenario,
                                       .persona = persona,
                                       .stage = conversation::Stage::kNeedsDiscovery,
                                       .customer = {},
                                       .history = {},
                                       .turn_id = "t1",
                                       .text = "It saves each store an hour a day.",
                                       .act = {},
                                       .turn_index = 1,
                                       .seed = 1};

  const auto tip = core::RunSync(coach.Advise(turn, conversation::TurnAfter{}));
  ASSERT_TRUE(tip);
  EXPECT_EQ(tip->type, "praise");
  EXPECT_EQ(tip->technique, "FAB");
  EXPECT_EQ(tip->text, "Good.");
  EXPECT_EQ(tip->example, "Try this.");

  ASSERT_EQ(down.Requests().size(), 1u);
  ASSERT_EQ(fake.Requests().size(), 2u);
  EXPECT_TRUE(fake.Requests()[0].json_object);
  EXPECT_NE(fake.Requests()[0].messages.back().content.find("It saves each store an hour a day."), std::string::npos);
  EXPECT_NE(fake.Requests()[1].messages.back().content.find("cannot be used"), std::string::npos)
      << "the second ask says what was wrong";
  EXPECT_EQ(llm::FallbackCounter(metrics).With({"coach", "down", "unavailable"}).Value(), 1u);
  EXPECT_EQ(llm::FallbackCounter(metrics).With({"coach", "fake", "invalid_output"}).Value(), 0u);
}

TEST(LlmCoachPort, EveryProviderFailingLeavesTheOfflineTip) {
  testing::FakeChatProvider fake("fake");
  fake.Reply({"no json"});
  fake.Reply({R"({"type": "shout"})"});
  core::MetricsRegistry metrics;
  brain::LlmCoach coach(brain::StructuredCaller("coach", {&fake}, metrics), std::make_unique<FixedCoach>(),
                        std::chrono::seconds(5));
  conversation::Session session;
  const json::object scenario;
  const json::object persona;
  const conversation::TurnContext turn{.session = session,
                                       .scenario = scenario,
                                       .persona = persona,
                                       .stage = conversation::Stage::kOpening,
                                       .customer = {},
                                       .history = {},
                                       .turn_id = "t1",
                                       .text = "Hello.",
                                       .act = {},
                                       .turn_index = 1,
                                       .seed = 1};
  const auto tip = core::RunSync(coach.Advise(turn, conversation::TurnAfter{}));
  ASSERT_TRUE(tip);
  EXPECT_EQ(tip->text, "offline tip");
  EXPECT_EQ(fake.Requests().size(), 2u);
  EXPECT_EQ(llm::FallbackCounter(metrics).With({"coach", "fake", "invalid_output"}).Value(), 1u);
}

TEST(ChatBody, MessagesComeFirstAndImagesAreContentParts) {
  llm::ChatRequest request;
  request.messages.push_back({.role = "system", .content = "s", .image_urls = {}});
  request.messages.push_back({.role = "user", .content = "read this", .image_urls = {"data:image/png;base64,AAAA"}});
  request.json_object = true;
  const auto body = llm::ChatBody("m", request, true);
  EXPECT_LT(body.find("\"messages\""), body.find("\"temperature\"")) << "per-call settings after the messages";
  const auto parsed = json::parse(body).as_object();
  const auto& parts = parsed.at("messages").as_array()[1].at("content").as_array();
  EXPECT_EQ(parts[0].at("type"), "text");
  EXPECT_EQ(parts[1].at("image_url").at("url"), "data:image/png;base64,AAAA");
  EXPECT_EQ(parsed.at("stream_options").at("include_usage"), true);
  EXPECT_EQ(parsed.at("response_format").at("type"), "json_object");
}

TEST(ChatBody, StatusesMapToErrorCodes) {
  EXPECT_EQ(llm::StatusError(401, "", std::nullopt).error.code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(llm::StatusError(400, "", std::nullopt).error.code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(llm::StatusError(502, "", std::nullopt).error.code, core::ErrorCode::kUnavailable);
  const auto limited = llm::StatusError(429, R"({"error": {"message": "slow down"}})", "3");
  EXPECT_EQ(limited.error.code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(limited.retry_after, std::chrono::milliseconds(3000));
  EXPECT_NE(limited.error.message.find("slow down"), std::string::npos);
}

TEST(NpcPrompt, CarriesTheLastTurnsAndDirectsTheReply) {
  conversation::Session session;
  session.language = "en";
  const auto scenario =
      json::parse(R"({"title": {"en": "First call"}, "background": {"en": "He asked."}})").as_object();
  const auto persona = json::parse(R"({"name": {"en": "Li Wei"}, "title": {"en": "Owner"}})").as_object();
  conversation::TurnContext turn{.session = session,
                                 .scenario = scenario,
                                 .persona = persona,
                                 .stage = conversation::Stage::kOpening,
                                 .customer = {},
                                 .history = {},
                                 .turn_id = "t6",
                                 .text = "now",
                                 .act = {},
                                 .turn_index = 6,
                                 .seed = 1};
  for (int i = 1; i <= 5; ++i) {
    turn.history.push_back({.speaker = "trainee", .text = "t" + std::to_string(i), .turn_id = {}, .seq = 0});
    turn.history.push_back({.speaker = "customer", .text = "c" + std::to_string(i), .turn_id = {}, .seq = 0});
  }
  conversation::NpcReply decided;
  decided.text = "I need fewer lost leads.";
  const auto request = brain::BuildNpcPrompt(turn, decided, {}, 2);
  ASSERT_EQ(request.messages.size(), 1U + 4U + 2U);
  EXPECT_NE(request.messages[0].content.find("Li Wei"), std::string::npos);
  EXPECT_EQ(request.messages[1].content, "t4");
  EXPECT_EQ(request.messages[4].content, "c5");
  EXPECT_EQ(request.messages[5].content, "now");
  EXPECT_NE(request.messages[6].content.find("I need fewer lost leads."), std::string::npos);
}

TEST(Metrics, AddingAFamilyTwiceReturnsTheSameFamily) {
  core::MetricsRegistry registry;
  auto& a = registry.AddCounter("x_total", "help", {"k"});
  auto& b = registry.AddCounter("x_total", "help", {"k"});
  EXPECT_EQ(&a, &b);
  a.With({"v"}).Inc();
  b.With({"v"}).Inc();
  const auto text = registry.WritePrometheus();
  EXPECT_EQ(text.find("# HELP x_total"), text.rfind("# HELP x_total")) << text;
  EXPECT_NE(text.find("x_total{k=\"v\"} 2"), std::string::npos) << text;
}

TEST(MockLlm, SplitsRepliesIntoWordsAndCodePoints) {
  const std::vector<std::string> expected{"Hello ", "there, ", "你", "好", " ", "ok"};
  EXPECT_EQ(mockllm::SplitTokens("Hello there, 你好 ok"), expected);
  std::string joined;
  for (const auto& t : mockllm::SplitTokens("a  b\nc 年费")) joined += t;
  EXPECT_EQ(joined, "a  b\nc 年费");
}

TEST(MockLlm, EmbeddingsAreDeterministicUnitVectors) {
  const auto a = mockllm::HashEmbedding("annual fee waiver", 64);
  EXPECT_EQ(a, mockllm::HashEmbedding("Annual fee waiver", 64)) << "case does not matter";
  EXPECT_NE(a, mockllm::HashEmbedding("points never expire", 64));
  double norm = 0;
  for (float x : a) norm += static_cast<double>(x) * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  EXPECT_EQ(mockllm::HashEmbedding("", 8).size(), 8U);
}

TEST(MockLlm, BehaviourRefusesUnknownFieldsAndFaults) {
  const auto ok = mockllm::ParseBehaviour(
      json::parse(R"({"ttft_ms": 5, "faults": [{"kind": "stall", "after_tokens": 2, "count": 3}]})").as_object(), {});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->faults.at(0).kind, mockllm::Fault::Kind::kStall);
  EXPECT_EQ(ok->faults.at(0).count, 3);
  EXPECT_FALSE(mockllm::ParseBehaviour(json::parse(R"({"ttft": 5})").as_object(), {}));
  EXPECT_FALSE(mockllm::ParseBehaviour(json::parse(R"({"faults": [{"kind": "explode"}]})").as_object(), {}));
  EXPECT_FALSE(mockllm::ParseBehaviour(json::parse(R"({"faults": [{"kind": "stall", "when": 1}]})").as_object(), {}));
}

}  // namespace
}  // namespace salesboost
