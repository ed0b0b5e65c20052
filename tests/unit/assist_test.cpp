// What assist says: quoted facts in plain text (no Markdown), and buying
// signals read as buying signals.
#include <gtest/gtest.h>

#include "brain/in_memory_knowledge.hpp"
#include "brain/models.hpp"
#include "brain/offline_assistant.hpp"
#include "brain/rule_compliance.hpp"
#include "core/markdown.hpp"
#include "core/run_sync.hpp"

namespace salesboost {
namespace {

TEST(StripMarkdown, KeepsTheWordsAndDropsTheMarkup) {
  EXPECT_EQ(core::StripMarkdown("## Free CRM tiers\nFree tiers limit users."), "Free tiers limit users.");
  EXPECT_EQ(core::StripMarkdown("- **Starter**: 300 yuan\n* _Pro_: 500 yuan\n1. __Team__ plan\n> quoted ~~old~~"),
            "Starter: 300 yuan\nPro: 500 yuan\nTeam plan\nquoted old");
  EXPECT_EQ(core::StripMarkdown("| plan | price |\n|---|:---:|\n| Pro | 500 yuan |\n\n---\n"),
            "plan, price\nPro, 500 yuan");
  EXPECT_EQ(core::StripMarkdown("See [our prices](https://example.com/p_1) and ![the chart](c.png).<br>Use `app`."),
            "See our prices and the chart. Use app.");
  EXPECT_EQ(core::StripMarkdown("snake_case stays, 5 < 6, 年费 **1200 元**。"),
            "snake_case stays, 5 < 6, 年费 1200 元。");
}

class OfflineAssistantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = brain::MakeCustomerIntentClassifier();
    ASSERT_TRUE(made) << made.error().message;
    intents_ = std::move(*made);
  }
  std::unique_ptr<conversation::CustomerIntentClassifier> intents_;
  brain::RuleCompliance compliance_{{}};
};

TEST_F(OfflineAssistantTest, QuotesFactsAsPlainTextWithoutMarkdown) {
  const std::vector<core::EmbeddedFile> files = {
      {"plans.en.md",
       "---\ntype: product\ncollection: plans\n---\n# Plans\n\n## Free CRM tiers\n"
       "- **Starter** plan: 300 yuan per store per month, see [the price list](https://example.com/prices).\n"
       "| plan | monthly price |\n|---|---|\n| Pro | 500 yuan |\n\n"
       "## Onboarding\nTraining takes one hour in the store.\n\n## Data\nData is encrypted in transit and at rest.\n\n"
       "## Contract\nBilling is monthly with no minimum term.\n\n## Trial\nA free two-week trial is available.\n"}};
  brain::InMemoryKnowledge knowledge(files);
  brain::OfflineAssistant assistant(*intents_, knowledge, compliance_);
  auto answer = core::RunSync(assistant.Assist(
      {.customer_message = "How much does the starter plan cost per month?", .context = "", .collections = {"plans"}}));
  ASSERT_TRUE(answer) << answer.error().message;
  bool quoted = false;
  for (const auto& s : answer->suggestions) {
    for (const std::string_view mark : {"#", "**", "|", "](", "- "}) {
      EXPECT_EQ(s.text.find(mark), std::string::npos) << mark << " in: " << s.text;
    }
    quoted |= s.text.find("Starter plan: 300 yuan per store per month, see the price list.") != std::string::npos;
  }
  EXPECT_TRUE(quoted) << "the fact itself is quoted, its words intact";
}

TEST_F(OfflineAssistantTest, ReadsAskingHowToProceedAsABuyingSignal) {
  brain::InMemoryKnowledge knowledge(brain::DemoKnowledgeFiles());
  brain::OfflineAssistant assistant(*intents_, knowledge, compliance_);
  const std::vector<std::string> card = {"card-upgrade", "sales-compliance"};
  for (const std::string message : {"好的，那怎么办理？", "那就办吧", "行，那下一步是什么？", "How do I sign up?",
                                    "OK, what are the next steps?", "Sounds good. Where do I sign?"}) {
    auto answer = core::RunSync(assistant.Assist({.customer_message = message, .context = "", .collections = card}));
    ASSERT_TRUE(answer) << message;
    EXPECT_EQ(answer->intent.label, "final_confirmation") << message;
    EXPECT_GT(answer->intent.confidence, 0.5) << message;
    ASSERT_FALSE(answer->suggestions.empty());
    EXPECT_EQ(answer->suggestions[0].technique, "confirm next steps") << message;
  }
  // Holding back is no signal, even in the words of one.
  for (const std::string message : {"我再想想，回头再问你怎么办理。",
                                    "Not sure yet. How do I sign up if I want to, later?", "我还是再考虑考虑吧"}) {
    auto answer = core::RunSync(assistant.Assist({.customer_message = message, .context = "", .collections = card}));
    ASSERT_TRUE(answer) << message;
    EXPECT_NE(answer->intent.label, "final_confirmation") << message;
  }
}

}  // namespace
}  // namespace salesboost
