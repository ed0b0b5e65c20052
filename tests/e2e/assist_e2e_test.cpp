// POST /api/v1/classify and /api/v1/assist against the real binary: signed in
// only, bad bodies are clear 400s, answers carry the intent, compliant
// suggestions and the knowledge they rest on, and the per-user limit holds.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

class AssistE2e : public testing::SharedServerTest<AssistE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "limits.assist_burst=30", "--set", "limits.assist_per_minute=1"};
  }

 protected:
  static core::Result<client::HttpReply> Post(const std::string& target, const std::string& body,
                                              const std::string& token) {
    return Fetch(server().endpoint(), "POST", target, body, {{"Authorization", "Bearer " + token}});
  }
};

TEST_F(AssistE2e, ClassifiesWithEitherModelAndAssistsWithGroundedCompliantReplies) {
  const auto token = server().DemoTraineeToken();
  auto sales =
      Post("/api/v1/classify", R"({"model":"sales","text":"What happens today when a lead comes in?"})", token);
  ASSERT_TRUE(sales);
  ASSERT_EQ(sales->status, 200) << sales->body;
  EXPECT_EQ(json::parse(sales->body).at("label").as_string(), "open_question") << sales->body;
  auto customer = Post("/api/v1/classify", R"({"model":"customer","text":"能再便宜一点吗？打个折吧"})", token);
  ASSERT_TRUE(customer);
  ASSERT_EQ(customer->status, 200) << customer->body;
  const auto intent = json::parse(customer->body).as_object();
  EXPECT_EQ(intent.at("label").as_string(), "negotiation") << customer->body;
  EXPECT_GT(intent.at("confidence").as_double(), 0.0);

  auto assist = Post("/api/v1/assist",
                     R"({"customer_message":"The annual fee is too expensive for me.","context":"platinum card",)"
                     R"("course_id":"card-upgrade"})",
                     token);
  ASSERT_TRUE(assist);
  ASSERT_EQ(assist->status, 200) << assist->body;
  const auto answer = json::parse(assist->body).as_object();
  EXPECT_EQ(answer.at("language").as_string(), "en");
  EXPECT_EQ(answer.at("intent").at("label").as_string(), "price_objection") << assist->body;
  const auto& suggestions = answer.at("suggestions").as_array();
  ASSERT_GE(suggestions.size(), 1u);
  ASSERT_LE(suggestions.size(), 3u);
  for (const auto& s : suggestions) {
    EXPECT_FALSE(s.at("text").as_string().empty());
    EXPECT_EQ(s.at("technique").as_string(), "feel-felt-found");
  }
  const auto& knowledge = answer.at("knowledge").as_array();
  ASSERT_FALSE(knowledge.empty());
  bool fee_sheet = false;
  for (const auto& k : knowledge) fee_sheet |= k.at("source").as_string() == "platinum-card-sheet.en.md";
  EXPECT_TRUE(fee_sheet) << assist->body;

  auto zh = Post("/api/v1/assist", R"({"customer_message":"你们和别家银行比有什么区别？","course_id":"card-upgrade"})",
                 token);
  ASSERT_TRUE(zh);
  ASSERT_EQ(zh->status, 200) << zh->body;
  const auto zh_answer = json::parse(zh->body).as_object();
  EXPECT_EQ(zh_answer.at("language").as_string(), "zh");
  EXPECT_EQ(zh_answer.at("intent").at("label").as_string(), "competitor_comparison") << zh->body;
  for (const auto& k : zh_answer.at("knowledge").as_array())
    EXPECT_TRUE(k.at("source").as_string().ends_with(".zh.md"));
}

// Through the real knowledge base, whose passages keep their Markdown: a
// quoted fact is plain text, and asking how to proceed is a buying signal.
TEST_F(AssistE2e, QuotesPlainFactsAndHearsBuyingSignals) {
  const auto token = server().DemoTraineeToken();
  for (const auto* message : {"Why pay for Lumen when free CRMs exist?", "How much does it cost per store?",
                              "Do you have a case from a retailer like us?"}) {
    const json::object body{{"customer_message", message}, {"course_id", "crm-essentials"}};
    auto reply = Post("/api/v1/assist", json::serialize(body), token);
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200) << reply->body;
    const auto answer = json::parse(reply->body);
    for (const auto& s : answer.at("suggestions").as_array()) {
      const auto& text = s.at("text").as_string();
      for (const std::string_view mark : {"#", "**", "|", "]("}) {
        EXPECT_EQ(std::string_view(text).find(mark), std::string_view::npos) << mark << " in: " << text;
      }
    }
  }
  for (const auto* message : {"好的，那怎么办理？", "What are the next steps?"}) {
    const json::object body{{"customer_message", message}, {"course_id", "card-upgrade"}};
    auto reply = Post("/api/v1/assist", json::serialize(body), token);
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200) << reply->body;
    const auto answer = json::parse(reply->body).as_object();
    EXPECT_EQ(answer.at("intent").at("label").as_string(), "final_confirmation") << reply->body;
    EXPECT_EQ(answer.at("suggestions").as_array().at(0).at("technique").as_string(), "confirm next steps");
  }
}

// The knowledge of every answer comes from the course (or the one collection)
// the request names, never from another course's documents.
TEST_F(AssistE2e, AssistReadsOnlyTheKnowledgeOfTheCourseOrCollectionNamed) {
  const auto token = server().DemoTraineeToken();
  const std::string message = R"("customer_message":"It is too expensive, what does it cost? Is there a fee?")";
  auto sources = [&](const std::string& scope) {
    auto reply = Post("/api/v1/assist", "{" + message + "," + scope + "}", token);
    EXPECT_TRUE(reply);
    std::vector<std::pair<std::string, std::string>> out;  // (source, collection)
    if (!reply) return out;
    EXPECT_EQ(reply->status, 200) << scope << " -> " << reply->body;
    if (reply->status != 200) return out;
    const auto answer = json::parse(reply->body);
    for (const auto& k : answer.at("knowledge").as_array()) {
      out.emplace_back(k.at("source").as_string(), k.at("collection").as_string());
    }
    return out;
  };
  auto is_crm = [](std::string_view source) {
    return source.starts_with("lumen-") || source.starts_with("objection-playbook.");
  };

  const auto card = sources(R"("course_id":"card-upgrade")");
  ASSERT_FALSE(card.empty());
  for (const auto& [source, collection] : card) {
    EXPECT_FALSE(is_crm(source)) << source;
    EXPECT_TRUE(collection == "card-upgrade" || collection == "sales-compliance") << source << " in " << collection;
  }
  const auto crm = sources(R"("course_id":"crm-essentials")");
  ASSERT_FALSE(crm.empty());
  for (const auto& [source, collection] : crm) {
    EXPECT_TRUE(is_crm(source) || collection == "sales-compliance") << source << " in " << collection;
  }
  for (const auto& [source, collection] : sources(R"("collection":"crm-essentials")")) {
    EXPECT_EQ(collection, "crm-essentials") << source;
  }

  auto unknown = Post("/api/v1/assist", "{" + message + R"(,"course_id":"no-such-course"})", token);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
}

TEST_F(AssistE2e, RefusesStrangersAndBadBodiesClearly) {
  auto anonymous = Fetch(server().endpoint(), "POST", "/api/v1/assist", R"({"customer_message":"hi"})");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  const auto token = server().DemoTraineeToken();
  for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/assist", "{not json"},
           {"/api/v1/assist", R"({"context":"no message"})"},
           {"/api/v1/assist", R"({"customer_message":""})"},
           {"/api/v1/assist", R"({"customer_message":"hi"})"},
           {"/api/v1/assist", R"({"customer_message":"hi","course_id":"card-upgrade","collection":"card-upgrade"})"},
           {"/api/v1/assist", json::serialize(json::object{{"customer_message", std::string(2001, 'x')}})},
           {"/api/v1/assist", "{\"customer_message\":\"\xff\xfe\"}"},
           {"/api/v1/classify", R"({"model":"weather","text":"sunny"})"},
           {"/api/v1/classify", R"({"model":"sales"})"}}) {
    auto reply = Post(target, body, token);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << target << " " << body << " -> " << reply->body;
    EXPECT_NE(reply->body.find("\"code\""), std::string::npos);
  }
}

TEST_F(AssistE2e, ManyCallsHitThePerUserLimitWithRetryAfter) {
  const auto token = server().DemoTraineeToken();
  int limited = 0;
  for (int i = 0; i < 40 && limited == 0; ++i) {
    auto reply = Post("/api/v1/classify", R"({"model":"customer","text":"How much is it?"})", token);
    ASSERT_TRUE(reply);
    if (reply->status == 429) {
      ++limited;
      EXPECT_NE(reply->body.find("rate_limited"), std::string::npos);
      bool retry_after = false;
      for (const auto& [name, value] : reply->headers) retry_after |= name == "retry-after" && std::stoi(value) >= 1;
      EXPECT_TRUE(retry_after);
    } else {
      EXPECT_EQ(reply->status, 200) << reply->body;
    }
  }
  EXPECT_EQ(limited, 1) << "the burst is 30 and the rate 1/min: 40 calls must hit the limit";
}

}  // namespace
}  // namespace salesboost
