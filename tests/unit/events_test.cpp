#include "conversation/events.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/sample_events.hpp"

namespace salesboost::conversation {
namespace {

namespace json = boost::json;

// One of every event, with every member set.
std::vector<EventBody> EveryEvent() { return testing::EveryEventBody(); }

TEST(EventCodec, EveryEventSurvivesTheStoreAndTheWire) {
  const auto events = EveryEvent();
  ASSERT_EQ(events.size(), std::variant_size_v<EventBody>) << "one of each";
  for (const auto& body : events) {
    const json::object members = EncodeBody(body);
    // Through text, as the store keeps it.
    const auto reparsed = json::parse(json::serialize(members)).as_object();
    auto decoded = DecodeBody(TypeOf(body), reparsed);
    ASSERT_TRUE(decoded) << TypeOf(body) << ": " << decoded.error().message;
    EXPECT_EQ(decoded->index(), body.index());
    EXPECT_EQ(EncodeBody(*decoded), members) << TypeOf(body);
  }
}

TEST(EventCodec, TheWireShapeIsTypeSeqTurnThenTheMembersInOrder) {
  const Event delta{.seq = 7, .turn_id = "t1", .body = NpcDelta{.text = "说"}, .created_at = "x"};
  EXPECT_EQ(EventText(delta), R"({"type":"npc.delta","seq":7,"turn_id":"t1","text":"说"})");
  const Event ended{.seq = 9, .turn_id = {}, .body = SessionEnded{.reason = "trainee"}, .created_at = {}};
  EXPECT_EQ(EventText(ended), R"({"type":"session.ended","seq":9,"reason":"trainee"})") << "no turn_id when empty";
  const Event done{.seq = 3, .turn_id = "t", .body = std::get<TurnDone>(EveryEvent()[10]), .created_at = {}};
  EXPECT_EQ(EventText(done),
            R"({"type":"turn.done","seq":3,"turn_id":"t","turn_index":2,"act":"greeting","parts":{"npc":{"ok":true,)"
            R"("engine":"deepseek"},"coach":{"ok":false,"code":"deadline_exceeded","message":"slow"},)"
            R"("compliance":{"ok":true},"evaluator":{"ok":true}}})");
  const Event scored{.seq = 4, .turn_id = "t", .body = std::get<TurnScored>(EveryEvent()[8]), .created_at = {}};
  EXPECT_EQ(EventText(scored),
            R"({"type":"turn.scored","seq":4,"turn_id":"t","compliance":{"level":"WARN","findings":[{"rule":)"
            R"("pressure","level":"WARN","excerpt":"now"}]},"scores":{"relevance":8E0,"compliance":7E0},)"
            R"("reasons":{"relevance":"on topic","compliance":"1 finding"},)"
            R"("criteria":[{"id":"two-needs","result":"met"},{"id":"next-step","result":"not_met"}]})");
  const Event ready{.seq = 1, .turn_id = {}, .body = EveryEvent()[0], .created_at = {}};
  EXPECT_EQ(EventText(ready),
            R"({"type":"session.ready","seq":1,"session_id":"s1","stage":"OPENING","language":"zh",)"
            R"("seed":9007199254740991,"mood":4E-1,"scenario":{"id":"sc","title":"标题","background":null,)"
            R"("goal":"close","success_criteria":["a","b"],"max_turns":12},"persona":{"id":"p","name":"Anna",)"
            R"("title":null,"difficulty":3}})");
}

TEST(EventCodec, MissingMembersTakeDefaultsAndUnknownTypesOrStagesAreErrors) {
  auto started = DecodeBody("turn.started", json::object{{"text", "hi"}});
  ASSERT_TRUE(started);
  EXPECT_EQ(std::get<TurnStarted>(*started).text, "hi");
  EXPECT_EQ(std::get<TurnStarted>(*started).act, "");
  auto ready = DecodeBody("session.ready", json::object{});
  ASSERT_TRUE(ready);
  EXPECT_EQ(std::get<SessionReady>(*ready).scenario.max_turns, 20);

  auto unknown = DecodeBody("npc.shout", json::object{});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInternal);
  EXPECT_FALSE(DecodeBody("stage.changed", json::object{{"from", "OPENING"}, {"to", "SOMEWHERE"}}));
  EXPECT_FALSE(DecodeBody("stage.changed", json::object{{"to", 3}}));
}

}  // namespace
}  // namespace salesboost::conversation
