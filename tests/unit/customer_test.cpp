// The offline customer (brain/customer): what it does with what it is told,
// turn by turn, through the real sales-act classifier, the stage functions and
// the fold the pipeline uses; and property tests over random trainee turn
// sequences for every demo persona in both languages (no sentence said twice,
// no template slot or id leaking into the text, mood in range, a win only
// with every close condition settled, the same seed giving the same words).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "brain/customer/customer_policy.hpp"
#include "brain/customer/persona_model.hpp"
#include "brain/customer/phrasing.hpp"
#include "brain/models.hpp"
#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"
#include "conversation/conversation_state.hpp"
#include "conversation/turn_pipeline.hpp"
#include "core/text.hpp"

namespace salesboost::brain::customer {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using conversation::NpcReply;
using conversation::Stage;
using conversation::TurnOutcome;

struct DemoPersona {
  std::string course;
  json::object scenario;
  json::object persona;
  std::string id;
};

// Every (scenario, persona) pair of the demo courses.
const std::vector<DemoPersona>& DemoPersonas() {
  static const std::vector<DemoPersona> all = [] {
    std::vector<DemoPersona> out;
    for (const auto& file : catalog::DemoCourseFiles()) {
      auto bundle = catalog::ParseCourseFile(file.content);
      if (!bundle) continue;
      for (const auto& scenario : bundle->scenarios) {
        for (const auto& persona_id : scenario.persona_ids) {
          for (const auto& persona : bundle->personas) {
            if (persona.id == persona_id)
              out.push_back({std::string(file.name), scenario.document, persona.document, persona.id});
          }
        }
      }
    }
    return out;
  }();
  return all;
}

// The real sales-act classifier, each text classified once (the random walks repeat lines).
conversation::SalesAct Classify(const std::string& text, const std::string& language) {
  static const auto classifier = std::move(*MakeSalesActClassifier());
  static std::map<std::string, conversation::SalesAct> seen;
  const auto key = language + "\n" + text;
  if (auto found = seen.find(key); found != seen.end()) return found->second;
  return seen[key] = classifier->Classify(text, language);
}

// A conversation with the offline customer, advanced the way the turn pipeline does.
class Conversation {
 public:
  Conversation(const DemoPersona& demo, std::string language, std::uint64_t seed) : demo_(demo), seed_(seed) {
    session_.language = std::move(language);
    const auto* mood = demo.persona.if_contains("initial_mood");
    if (mood != nullptr && mood->is_number()) customer_.mood = mood->to_number<double>();
  }

  NpcReply Say(const std::string& text) {
    const auto act = Classify(text, session_.language);
    const auto facts = conversation::FactsOf(customer_);
    if (auto change = conversation::StageAfterAct(stage_, act.label, facts)) stage_ = change->to;
    const conversation::TurnContext turn{.session = session_,
                                         .scenario = demo_.scenario,
                                         .persona = demo_.persona,
                                         .stage = stage_,
                                         .customer = customer_,
                                         .history = history_,
                                         .turn_id = "t" + std::to_string(turns_ + 1),
                                         .text = text,
                                         .act = act,
                                         .turn_index = ++turns_,
                                         .seed = seed_,
                                         .collections = {}};
    NpcReply reply = DecideReply(turn);
    customer_ = conversation::CustomerAfter(customer_, reply);
    customer_.mood = std::clamp(customer_.mood + reply.mood_delta, 0.0, 1.0);
    auto after = conversation::FactsOf(customer_);
    after.objection_raised = !reply.raised.empty();
    after.won = reply.outcome == TurnOutcome::kWon;
    after.lost = reply.outcome == TurnOutcome::kLost;
    if (auto change = conversation::StageAfterReply(stage_, after)) stage_ = change->to;
    history_.push_back({.speaker = "trainee", .text = text, .turn_id = turn.turn_id, .seq = 0});
    history_.push_back({.speaker = "customer", .text = reply.text, .turn_id = turn.turn_id, .seq = 0});
    if (reply.outcome != TurnOutcome::kContinue) over_ = true;
    return reply;
  }

  const conversation::CustomerState& customer() const { return customer_; }
  const std::vector<conversation::TranscriptLine>& history() const { return history_; }
  Stage stage() const { return stage_; }
  bool over() const { return over_; }

 private:
  const DemoPersona& demo_;
  conversation::Session session_;
  std::uint64_t seed_;
  conversation::CustomerState customer_;
  std::vector<conversation::TranscriptLine> history_;
  Stage stage_ = Stage::kOpening;
  std::int64_t turns_ = 0;
  bool over_ = false;
};

const DemoPersona& Persona(std::string_view id) {
  for (const auto& demo : DemoPersonas()) {
    if (demo.id == id) return demo;
  }
  throw std::runtime_error("no demo persona " + std::string(id));
}

TEST(CustomerPhrases, EveryKindAPersonaMayWordIsASharedKindInBothLanguages) {
  std::set<std::string> shared;
  for (const auto& kind : PhraseKinds()) shared.insert(kind);
  std::set<std::string> allowed;
  for (const auto kind : catalog::CustomerPhraseKinds()) allowed.emplace(kind);
  EXPECT_EQ(shared, allowed);
  for (const auto& kind : shared) {
    EXPECT_FALSE(SharedPhrases("en", kind).empty()) << kind;
    EXPECT_FALSE(SharedPhrases("zh", kind).empty()) << kind;
  }
}

TEST(Customer, AnswersTheQuestionAskedFromWhatItKnows) {
  Conversation call(Persona("li-wei-retail-owner"), "en", 7);
  call.Say("Hello Mr Li, this is Anna from Lumen. Have you got a few minutes?");
  const auto leads = call.Say("How many leads come into each store per month, roughly?");
  EXPECT_EQ(leads.told, std::vector<std::string>{"lead-volume"}) << leads.text;
  EXPECT_NE(leads.text.find("thirty or forty"), std::string::npos) << leads.text;
  const auto tools = call.Say("How do you keep track of customers at the moment?");
  EXPECT_NE(tools.text.find("spreadsheets"), std::string::npos) << tools.text;
  // Nothing in the persona answers this: the customer says it does not know, and invents nothing.
  const auto unknown = call.Say("Is your accountant happy with the VAT invoices?");
  EXPECT_TRUE(unknown.revealed.empty() && unknown.told.empty()) << unknown.text;
}

TEST(Customer, TheMostSpecificCueDecidesWhatWasAsked) {
  Conversation call(Persona("zhang-min-ops-manager"), "en", 4);
  call.Say("Hello Ms Zhang, this is Leo from Lumen.");
  const auto orders = call.Say("Which order system do you run today?");
  EXPECT_EQ(orders.told, std::vector<std::string>{"order-data"}) << orders.text;
  EXPECT_NE(orders.text.find("ERP"), std::string::npos) << orders.text;
}

TEST(Customer, NeverPastesALabelAndTalksInSentences) {
  Conversation call(Persona("li-wei-retail-owner"), "en", 3);
  call.Say("Hi Mr Li, Anna from Lumen here.");
  const auto need = call.Say("What happens to leads that nobody calls back?");
  ASSERT_FALSE(need.revealed.empty()) << need.text;
  EXPECT_EQ(need.text.find("Honestly, See"), std::string::npos) << need.text;
  EXPECT_EQ(need.text.find("Stop losing leads"), std::string::npos) << "the need's label, not what a person says";
}

TEST(Customer, AnswersOffTopicInsultsAndPressureInCharacter) {
  {
    Conversation call(Persona("li-wei-retail-owner"), "en", 1);
    call.Say("Hello Mr Li, Anna from Lumen.");
    const auto football = call.Say("Did you watch the football match last night?");
    EXPECT_TRUE(football.revealed.empty()) << football.text;
    EXPECT_EQ(football.intent, "time_pressure") << football.text;
    const double before = call.customer().mood;
    const auto insult = call.Say("You are an idiot, Mr. Li.");
    EXPECT_EQ(insult.mood_cause, "insult");
    EXPECT_LT(call.customer().mood, before - 0.3);
    EXPECT_TRUE(insult.raised.empty()) << insult.text;
    EXPECT_NE(insult.text, "Go on.");
  }
  {
    Conversation call(Persona("li-wei-retail-owner"), "zh", 1);
    call.Say("李总您好，我是 Lumen 的小张。");
    const auto insult = call.Say("你真是个蠢货。");
    EXPECT_EQ(insult.mood_cause, "insult");
    EXPECT_TRUE(insult.raised.empty()) << "no fee objection nobody raised: " << insult.text;
  }
  {
    Conversation call(Persona("liu-yang-shop-owner"), "zh", 1);
    call.Say("刘先生您好，我是客户经理小陈。");
    const auto pushed = call.Say("今天不办就没有了，您现在就得定，要么今天要么永远别办。");
    EXPECT_EQ(pushed.mood_cause, "pressure") << pushed.text;
    EXPECT_NE(pushed.outcome, TurnOutcome::kWon);
    EXPECT_EQ(pushed.text.find("好的"), std::string::npos) << "agreed to nothing: " << pushed.text;
  }
}

TEST(Customer, NeverAsksWhatWasJustAnswered) {
  Conversation call(Persona("wang-fang-frequent-traveller"), "zh", 11);
  call.Say("您好，请问是王芳王女士吗？我是信用卡中心的小李。");
  call.Say("您平时出差多吗？在机场候机一般怎么安排？");
  call.Say("在国外刷卡会不会有手续费的烦恼？");
  call.Say("白金卡有六次贵宾厅，境外消费免外币交易手续费，正好对上您出差候机和境外手续费这两点。");
  call.Say("升级卡号不变，新卡七个工作日内寄到。");
  const std::size_t answered = call.history().size();
  for (int i = 0; i < 4 && !call.over(); ++i) call.Say("年费1200元，消费满六万免下一年年费，也可以积分抵。");
  for (std::size_t i = answered; i < call.history().size(); ++i) {
    const auto& line = call.history()[i];
    if (line.speaker != "customer") continue;
    EXPECT_EQ(line.text.find("多久能寄到"), std::string::npos) << line.text;
    EXPECT_EQ(line.text.find("卡号能保持不变"), std::string::npos) << line.text;
  }
}

TEST(Customer, AcceptsAConcreteNextStepOnlyOnceItsConditionsAreSettled) {
  Conversation call(Persona("li-wei-retail-owner"), "en", 5);
  call.Say("Hello Mr Li, this is Anna from Lumen.");
  const auto early = call.Say("How about a free trial in one store?");
  EXPECT_NE(early.outcome, TurnOutcome::kWon) << "no need known yet: " << early.text;
  call.Say("How do your stores follow up with customers today? Do leads get lost?");
  call.Say("What happens when a salesperson quits?");
  call.Say("Lumen reminds each salesperson to follow up, so no lead is forgotten.");
  const auto price = call.Say("It costs 300 yuan per store per month.");
  EXPECT_EQ(price.raised, std::vector<std::string>{"price"}) << price.text;
  const auto vague = call.Say("So, do we have a deal?");
  EXPECT_NE(vague.outcome, TurnOutcome::kWon) << vague.text;
  call.Say("One lost lead is worth about 2,000 yuan, so two saved leads a month pay for all three stores.");
  call.Say("Your staff use the app on their own phones, and we train them in the store in an hour.");
  const auto close = call.Say("How about a free two-week trial in one store, starting Monday?");
  EXPECT_EQ(close.outcome, TurnOutcome::kWon) << close.text;
  EXPECT_EQ(call.stage(), Stage::kCompleted);
}

// Trainee lines for the random walks: every tuning script's turns of the language, and lines of every kind.
std::vector<std::string> LinePool(const std::string& language) {
  std::vector<std::string> pool;
  const fs::path dir = fs::path(SALESBOOST_SOURCE_DIR) / "tests" / "trainees" / "tuning";
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    const auto script = json::parse(text, ec);
    if (ec || !script.is_object() || script.at("language").as_string() != language) continue;
    for (const auto& turn : script.at("turns").as_array()) pool.emplace_back(turn.as_string());
  }
  const std::vector<std::string> extra = language == "zh"
                                             ? std::vector<std::string>{"嗯。",
                                                                        "好的。",
                                                                        "你好。",
                                                                        "然后呢？",
                                                                        "你是傻子吗？",
                                                                        "今天必须定下来。",
                                                                        "天气不错。",
                                                                        "您觉得呢？",
                                                                        "还有别的吗？",
                                                                        "我们的产品是最好的。",
                                                                        "可以吗？",
                                                                        "价格多少？",
                                                                        "您的身份证号是多少？",
                                                                        "保证赚钱，稳赚不赔。"}
                                             : std::vector<std::string>{"Okay.",
                                                                        "Right.",
                                                                        "Hello.",
                                                                        "And?",
                                                                        "You're an idiot.",
                                                                        "You must decide today.",
                                                                        "Nice weather.",
                                                                        "What do you think?",
                                                                        "Anything else?",
                                                                        "Our product is the best.",
                                                                        "Deal?",
                                                                        "What's the price?",
                                                                        "What's your ID number?",
                                                                        "It's a guaranteed return, zero risk."};
  pool.insert(pool.end(), extra.begin(), extra.end());
  return pool;
}

// Whether `word` occurs in `text` with no letter, digit or '-' on either side.
bool HasWord(const std::string& text, const std::string& word) {
  const auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool left = at == 0 || !part(text[at - 1]);
    const bool right = at + word.size() >= text.size() || !part(text[at + word.size()]);
    if (left && right) return true;
  }
  return false;
}

bool LeaksATemplate(const std::string& text) {
  if (text.find('{') != std::string::npos || text.find('}') != std::string::npos) return true;
  for (const auto& kind : PhraseKinds()) {
    if (kind.find('_') != std::string::npos && text.find(kind) != std::string::npos) return true;
  }
  return false;
}

class CustomerProperties : public ::testing::TestWithParam<std::string> {};

// Random walks of each persona (a test each, both languages): lines drawn from every tuning script of the
// language and from lines of every kind (insults, pressure, off-topic, one-word replies).
TEST_P(CustomerProperties, RandomConversationsStayCoherent) {
  constexpr int kWalksPerLanguage = 200;
  const std::set<std::string> intents = {
      "price_inquiry",      "benefit_inquiry", "case_request",   "competitor_comparison", "filler",
      "final_confirmation", "greeting",        "hesitation",     "negotiation",           "positive_feedback",
      "price_objection",    "product_inquiry", "soft_rejection", "time_pressure",         "unclear"};
  int walks = 0;
  const DemoPersona& demo = Persona(GetParam());
  for (const std::string language : {"en", "zh"}) {
    const auto pool = LinePool(language);
    ASSERT_GT(pool.size(), 50u);
    {
      const auto model = PersonaModel::Read(demo.persona, language);
      std::set<std::string> ids;
      for (const auto& n : model.needs) ids.insert(n.id);
      for (const auto& o : model.objections) ids.insert(o.id);
      for (const auto& f : model.facts) ids.insert(f.id);
      std::erase_if(ids, [](const std::string& id) { return id.find('-') == std::string::npos; });
      const std::int64_t max_turns = demo.scenario.at("max_turns").as_int64();
      for (int walk = 0; walk < kWalksPerLanguage; ++walk, ++walks) {
        std::mt19937_64 rng(static_cast<std::uint64_t>(walk) * 7919 + demo.id.size());
        std::vector<std::string> lines;
        for (std::int64_t t = 0; t < max_turns; ++t) lines.push_back(pool[rng() % pool.size()]);
        const std::uint64_t seed = rng();
        Conversation call(demo, language, seed);
        std::vector<std::string> texts;
        std::set<std::string> said;
        for (const auto& line : lines) {
          if (call.over()) break;
          const auto reply = call.Say(line);
          texts.push_back(reply.text);
          std::string where = demo.id;
          where.append(" ").append(language).append(" walk ").append(std::to_string(walk));
          where.append(": \"").append(line).append("\" -> \"").append(reply.text).append("\"");
          ASSERT_FALSE(core::IsBlank(reply.text)) << where;
          ASSERT_FALSE(LeaksATemplate(reply.text)) << where;
          for (const auto& id : ids) {
            ASSERT_FALSE(HasWord(reply.text, id)) << where;
          }
          ASSERT_TRUE(intents.contains(reply.intent)) << reply.intent << " " << where;
          for (const auto& sentence : core::SplitSentences(reply.text)) {
            ASSERT_TRUE(said.insert(SentenceKey(sentence)).second) << "said twice: " << sentence << " in " << where;
          }
          const auto& customer = call.customer();
          ASSERT_GE(customer.mood, 0.0);
          ASSERT_LE(customer.mood, 1.0);
          for (const auto& id : customer.resolved) ASSERT_TRUE(customer.raised.contains(id)) << id << " " << where;
          if (reply.outcome == TurnOutcome::kWon) {
            ASSERT_FALSE(customer.revealed.empty()) << where;
            for (const auto& id : model.close_conditions) ASSERT_TRUE(customer.resolved.contains(id)) << id << where;
            ASSERT_EQ(call.stage(), Stage::kCompleted) << where;
          }
          if (reply.outcome == TurnOutcome::kLost) {
            ASSERT_EQ(call.stage(), Stage::kFailed) << where;
          }
        }
        // The same lines and seed: the same words.
        Conversation again(demo, language, seed);
        for (std::size_t i = 0; i < texts.size(); ++i) ASSERT_EQ(again.Say(lines[i]).text, texts[i]);
      }
    }
  }
  EXPECT_EQ(walks, 2 * kWalksPerLanguage);
}

INSTANTIATE_TEST_SUITE_P(DemoPersonas, CustomerProperties,
                         ::testing::Values("li-wei-retail-owner", "zhang-min-ops-manager",
                                           "wang-fang-frequent-traveller", "chen-jie-cautious-teacher",
                                           "liu-yang-shop-owner", "zhou-min-young-professional"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace salesboost::brain::customer
