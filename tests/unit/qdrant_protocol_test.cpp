// The Qdrant adapter's JSON (request bodies read back, responses decoded and
// refused) and the lexical weights its sparse vectors carry.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "infra/qdrant/qdrant_protocol.hpp"
#include "knowledge/index/sparse_index.hpp"
#include "knowledge/index/vector_store.hpp"

namespace salesboost::infra::qdrant {
namespace {

namespace json = boost::json;
using knowledge::SparseVector;
using knowledge::VectorPoint;
using knowledge::VectorQuery;

VectorQuery Query(bool dense, bool sparse) {
  VectorQuery query;
  query.filter = {.tenant_id = "t1", .collections = {"a", "b"}, .type = "faq", .language = "zh"};
  if (dense) query.dense = std::vector<float>{0.1F, -0.25F, 1e-8F};
  if (sparse) query.sparse = SparseVector{.indices = {7, 4294967295U}, .values = {1.0F, 0.8F}};
  query.limit = 40;
  return query;
}

TEST(QdrantProtocol, AQueryBatchCarriesTheDenseThenTheSparseSearchWithOneFilter) {
  const auto body = json::parse(QueryBatchBody(Query(true, true))).as_object();
  const auto& searches = body.at("searches").as_array();
  ASSERT_EQ(searches.size(), 2U);
  EXPECT_EQ(searches[0].at("using"), "dense");
  EXPECT_EQ(searches[1].at("using"), "sparse");
  const auto& dense = searches[0].at("query").as_array();
  ASSERT_EQ(dense.size(), 3U);
  EXPECT_EQ(static_cast<float>(dense[1].to_number<double>()), -0.25F);
  EXPECT_EQ(static_cast<float>(dense[2].to_number<double>()), 1e-8F) << "floats read back exactly";
  EXPECT_EQ(searches[1].at("query").at("indices"), (json::array{7, 4294967295U}));
  for (const auto& search : searches) {
    EXPECT_EQ(search.at("limit"), 40);
    EXPECT_EQ(search.at("with_payload"), false);
    const auto& must = search.at("filter").at("must").as_array();
    ASSERT_EQ(must.size(), 4U);
    EXPECT_EQ(must[0], json::parse(R"({"key":"tenant_id","match":{"value":"t1"}})"));
    EXPECT_EQ(must[1], json::parse(R"({"key":"collection","match":{"any":["a","b"]}})"));
    EXPECT_EQ(must[2], json::parse(R"({"key":"type","match":{"value":"faq"}})"));
    EXPECT_EQ(must[3], json::parse(R"({"key":"language","match":{"any":["zh",""]}})"))
        << "a language-neutral document answers every language";
  }
  const auto only_sparse = json::parse(QueryBatchBody(Query(false, true))).as_object();
  ASSERT_EQ(only_sparse.at("searches").as_array().size(), 1U);
  EXPECT_EQ(only_sparse.at("searches").as_array()[0].at("using"), "sparse");
}

TEST(QdrantProtocol, TheTenantIsAlwaysFilteredEvenWithNothingElse) {
  VectorQuery query;
  query.filter.tenant_id = "t2";
  query.dense = std::vector<float>{1};
  const auto body = json::parse(QueryBatchBody(query));
  EXPECT_EQ(body.at("searches").as_array()[0].at("filter"),
            json::parse(R"({"must":[{"key":"tenant_id","match":{"value":"t2"}}]})"));
}

TEST(QdrantProtocol, UpsertsCarryIdsVectorsAndPayload) {
  std::vector<VectorPoint> points(2);
  points[0] = VectorPoint{.key = 18446744073709551615ULL,
                          .tenant_id = "t\"1",
                          .document_id = "d1",
                          .collection = "c",
                          .type = "",
                          .language = "en",
                          .dense = std::vector<float>{0.5F, 0.25F},
                          .sparse = {.indices = {3}, .values = {1.5F}}};
  points[1] = VectorPoint{.key = 2,
                          .tenant_id = "t1",
                          .document_id = "d1",
                          .collection = "c",
                          .type = "faq",
                          .language = "",
                          .dense = std::nullopt,
                          .sparse = {}};
  const auto body = json::parse(UpsertBody(points));
  const auto& out = body.at("points").as_array();
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].at("id").to_number<std::uint64_t>(), 18446744073709551615ULL);
  EXPECT_EQ(out[0].at("vector"), json::parse(R"({"dense":[0.5,0.25],"sparse":{"indices":[3],"values":[1.5]}})"));
  EXPECT_EQ(out[0].at("payload").at("tenant_id"), "t\"1");
  EXPECT_EQ(out[1].at("vector"), json::object{}) << "a point without vectors sends none";
  EXPECT_EQ(out[1].at("payload").at("language"), "");
  const auto lexical = json::parse(UpdateLexicalBody(points));
  EXPECT_EQ(lexical.at("points").as_array()[0].at("vector"),
            json::parse(R"({"sparse":{"indices":[3],"values":[1.5]}})"));
}

TEST(QdrantProtocol, AnswersAreSortedByScoreThenKeyAndBadOnesRefused) {
  const auto query = Query(true, true);
  auto lists = ParseQueryBatch(
      R"({"result":[{"points":[{"id":5,"version":0,"score":0.5},{"id":18446744073709551615,"version":1,"score":0.9},
                               {"id":3,"version":0,"score":0.5}]},
                    {"points":[{"id":8,"version":0,"score":2.5}]}],"status":"ok","time":0.001})",
      query);
  ASSERT_TRUE(lists) << lists.error().message;
  ASSERT_EQ(lists->dense.size(), 3U);
  EXPECT_EQ(lists->dense[0].key, 18446744073709551615ULL);
  EXPECT_EQ(lists->dense[1].key, 3U);
  EXPECT_EQ(lists->dense[2].key, 5U);
  ASSERT_EQ(lists->sparse.size(), 1U);
  EXPECT_DOUBLE_EQ(lists->sparse[0].score, 2.5);
  for (const char* bad :
       {R"({"result":[{"points":[]}]})", R"({"result":[{"points":[{"id":"x","score":1}]},{"points":[]}]})",
        R"({"result":[{"points":[{"id":1}]},{"points":[]}]})", "not json", R"({"status":"ok"})"}) {
    auto refused = ParseQueryBatch(bad, query);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, core::ErrorCode::kInternal) << bad;
  }
}

TEST(QdrantProtocol, TheCollectionIsCreatedWithNamedVectorsAndTenantIndex) {
  EXPECT_EQ(json::parse(CreateCollectionBody(1024)),
            json::parse(R"({"vectors":{"dense":{"size":1024,"distance":"Cosine"}},)"
                        R"("sparse_vectors":{"sparse":{"modifier":"idf"}}})"));
  EXPECT_EQ(json::parse(CreateCollectionBody(0)).at("vectors"), json::object{});
  const auto indexes = PayloadIndexBodies();
  ASSERT_EQ(indexes.size(), 5U);
  EXPECT_EQ(json::parse(indexes[0]),
            json::parse(R"({"field_name":"tenant_id","field_schema":{"type":"keyword","is_tenant":true}})"));
  auto size =
      ParseDenseSize(R"({"result":{"config":{"params":{"vectors":{"dense":{"size":768,"distance":"Cosine"}}}}}})");
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 768U);
  EXPECT_EQ(ParseDenseSize(R"({"result":{"config":{"params":{"vectors":{}}}}})").value(), 0U);
  EXPECT_FALSE(ParseDenseSize(R"({"result":{}})"));
  EXPECT_EQ(ErrorMessage(R"({"status":{"error":"Wrong input"},"time":0})"), "Wrong input");
}

}  // namespace
}  // namespace salesboost::infra::qdrant

namespace salesboost::knowledge {
namespace {

TEST(LexicalVector, TermsHashStablyAndCollidingWeightsAdd) {
  EXPECT_EQ(TermIndex("a"), 0xe40c292cU);  // FNV-1a, 32 bits
  EXPECT_EQ(TermIndex(""), 2166136261U);
  const auto v = ToSparseVector({{"b", 1.0F}, {"a", 0.5F}, {"b", 0.25F}});
  ASSERT_EQ(v.indices.size(), 2U);
  EXPECT_LT(v.indices[0], v.indices[1]);
  for (std::size_t i = 0; i < v.indices.size(); ++i) {
    EXPECT_FLOAT_EQ(v.values[i], v.indices[i] == TermIndex("b") ? 1.25F : 0.5F);
  }
}

TEST(LexicalVector, EntryWeightsAreTheBm25TermFrequencyFactorAtTheAverageLength) {
  SparseIndex index;
  index.Add(1, 0, {{"quokka", 2}, {"island", 1}});  // length 3
  index.Add(2, 0, {{"island", 1}});                 // length 1; average 2
  const auto weights = index.EntryWeights(1);
  ASSERT_EQ(weights.size(), 2U);
  const double k1 = 1.2;
  const double b = 0.75;
  const double norm = k1 * (1 - b + b * 3 / 2.0);
  for (const auto& [term, weight] : weights) {
    const double f = term == "quokka" ? 2 : 1;
    EXPECT_NEAR(weight, f * (k1 + 1) / (f + norm), 1e-6) << term;
  }
  EXPECT_TRUE(index.EntryWeights(3).empty());
  // With the server's IDF the dot product is the BM25 score Search gives.
  const auto hits = index.Search("quokka", 5, nullptr);
  ASSERT_EQ(hits.size(), 1U);
  const auto query = index.QueryWeights("quokka");
  ASSERT_EQ(query.size(), 1U);
  const double idf = std::log(1 + (2 - 1 + 0.5) / (1 + 0.5));
  const double quokka = 2 * (k1 + 1) / (2 + norm);
  EXPECT_NEAR(hits[0].score, query[0].second * idf * quokka, 1e-5);
}

}  // namespace
}  // namespace salesboost::knowledge
