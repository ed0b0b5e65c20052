// The real binary with knowledge.vector_store = "qdrant": tools/qdrant-double
// as Qdrant (API key from the secret store) and tools/mock-llm for
// embeddings. The demo documents go to Qdrant at start, an upload and a
// delete reach it, and searches over the REST API come back with both lists.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "support/server_process.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;
using client::Fetch;

constexpr const char* kAdminPassword = "admin-password-for-qdrant";
constexpr const char* kQdrantKey = "qdrant-e2e-key";

class QdrantE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    qdrant_ = testing::QdrantDoubleProcess::Start({"--api-key", kQdrantKey});
    embeddings_ = testing::MockLlmProcess::Start();
    server_ = testing::ServerProcess::Start(
        {"--set", "auth.bootstrap_admin_password=secret:admin/password", "--set",
         "providers.emb.base_url=" + embeddings_->BaseUrl(), "--set", "providers.emb.model=mock-embed", "--set",
         "knowledge.embeddings=emb", "--set", "knowledge.vector_store=qdrant", "--set",
         "knowledge.qdrant_url=" + qdrant_->Url(), "--set", "knowledge.qdrant_api_key=secret:qdrant/key", "--set",
         "knowledge.qdrant_collection=e2e"},
        {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}, {"SALESBOOST_SECRET_QDRANT_KEY", kQdrantKey}});
  }
  void TearDown() override {
    EXPECT_EQ(qdrant_->Violations(), "") << "requests or responses outside Qdrant's OpenAPI schemas";
  }
  json::array Search(const std::string& token, const json::object& query) {
    auto reply =
        Fetch(server_->endpoint(), "POST", "/api/v1/knowledge/search", json::serialize(query),
              {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}}, std::chrono::seconds(20));
    EXPECT_TRUE(reply && reply->status == 200) << (reply ? reply->body : reply.error().message);
    return reply && reply->status == 200 ? json::parse(reply->body).at("hits").as_array() : json::array{};
  }
  std::size_t Points() const {
    const auto state = qdrant_->State();
    const auto* c = state.at("collections").as_object().if_contains("e2e");
    return c == nullptr ? 0 : c->as_object().at("ids").as_array().size();
  }

  std::unique_ptr<testing::QdrantDoubleProcess> qdrant_;
  std::unique_ptr<testing::MockLlmProcess> embeddings_;
  std::unique_ptr<testing::ServerProcess> server_;
};

TEST_F(QdrantE2e, DemoDocumentsGoToQdrantAndSearchesUseItsDenseList) {
  const auto trainee = server_->DemoTraineeToken();
  json::array hits;
  // The demo documents are ingested just after the server starts listening.
  for (int i = 0; i < 200 && (hits.empty() || hits[0].at("dense_rank").is_null()); ++i) {
    hits = Search(trainee, {{"query", "how much does Lumen cost per store"}, {"k", 3}});
    if (hits.empty() || hits[0].at("dense_rank").is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].at("source").as_string(), "lumen-product-sheet.en.md") << json::serialize(hits);
  bool dense = false;
  for (const auto& hit : hits) dense = dense || !hit.at("dense_rank").is_null();
  EXPECT_TRUE(dense) << "the vector list came from Qdrant: " << json::serialize(hits);
  EXPECT_GT(Points(), 0U);
  EXPECT_GE(qdrant_->Requests("POST /collections/e2e/points/query/batch"), 1);
  EXPECT_GE(qdrant_->Requests("PUT /collections/e2e/points"), 1);
  EXPECT_EQ(qdrant_->Requests("PUT /collections/e2e"), 1) << "the collection is created once";

  // An upload adds points; deleting the document removes them.
  const auto admin = server_->Login("admin", kAdminPassword);
  const auto before = Points();
  const std::string boundary = "sbBoundaryQdrant0gW";
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"collection\"\r\n\r\nnotes\r\n--" +
                     boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"quokka.en.md\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n# Quokka\n\nThe quokka policy covers island "
                     "ferries.\n\r\n--" +
                     boundary + "--\r\n";
  auto upload =
      Fetch(server_->endpoint(), "POST", "/api/v1/knowledge/documents", body,
            {{"Authorization", "Bearer " + admin}, {"Content-Type", "multipart/form-data; boundary=" + boundary}},
            std::chrono::seconds(20));
  ASSERT_TRUE(upload && upload->status == 202) << (upload ? upload->body : upload.error().message);
  // Found first by the in-process BM25 (the index takes the document before Qdrant does), then with a dense rank.
  json::array quokka;
  const auto in_qdrant = [&quokka] { return !quokka.empty() && !quokka[0].at("dense_rank").is_null(); };
  for (int i = 0; i < 100 && !in_qdrant(); ++i) {
    quokka = Search(admin, {{"query", "quokka ferries"}, {"collection", "notes"}, {"k", 3}});
    if (!in_qdrant()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(in_qdrant()) << json::serialize(quokka);
  EXPECT_GT(Points(), before);
  const std::string id(quokka[0].at("document_id").as_string());
  auto deleted = Fetch(server_->endpoint(), "DELETE", "/api/v1/knowledge/documents/" + id, {},
                       {{"Authorization", "Bearer " + admin}}, std::chrono::seconds(20));
  ASSERT_TRUE(deleted && deleted->status / 100 == 2) << (deleted ? deleted->body : deleted.error().message);
  EXPECT_EQ(Points(), before);
}

}  // namespace
}  // namespace salesboost
