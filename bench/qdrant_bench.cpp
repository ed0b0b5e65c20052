// The Qdrant adapter's own work per search, without the network: building the
// query/batch request (a 1024-value dense vector, 12 query terms, the tenant,
// collection and language filter) and decoding a realistic answer (50 dense
// + 50 sparse hits, each with its payload, as Qdrant sends with
// with_payload=true; the adapter asks without payload, so this is the heavier
// case).
#include <benchmark/benchmark.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "infra/qdrant/qdrant_protocol.hpp"

namespace {

using salesboost::knowledge::VectorQuery;

VectorQuery Query() {
  std::mt19937 random(7);
  std::uniform_real_distribution<float> value(-1, 1);
  VectorQuery query;
  query.filter = {
      .tenant_id = "default", .collections = {"card-upgrade", "lumen-launch"}, .type = {}, .language = "zh"};
  query.dense = std::vector<float>(1024);
  for (auto& v : *query.dense) v = value(random);
  for (std::uint32_t i = 0; i < 12; ++i) {
    query.sparse.indices.push_back(i * 104729U + 17U);
    query.sparse.values.push_back(i % 3 == 0 ? 0.8F : 1.0F);
  }
  query.limit = 50;
  return query;
}

std::string Answer() {
  namespace json = boost::json;
  std::mt19937_64 random(11);
  json::array result;
  for (int list = 0; list < 2; ++list) {
    json::array points;
    for (int i = 0; i < 50; ++i) {
      points.emplace_back(json::object{{"id", random()},
                                       {"version", 3},
                                       {"score", 0.9 - i * 0.01},
                                       {"payload", json::object{{"tenant_id", "default"},
                                                                {"document_id", "3f2a9c1b7d0e4a55"},
                                                                {"collection", "card-upgrade"},
                                                                {"type", "faq"},
                                                                {"language", "zh"}}}});
    }
    result.emplace_back(json::object{{"points", std::move(points)}});
  }
  return json::serialize(json::object{{"result", std::move(result)}, {"status", "ok"}, {"time", 0.0012}});
}

void BM_QdrantQueryRequest(benchmark::State& state) {
  const auto query = Query();
  state.SetLabel(std::to_string(salesboost::infra::qdrant::QueryBatchBody(query).size()) + " bytes");
  for (auto _ : state) benchmark::DoNotOptimize(salesboost::infra::qdrant::QueryBatchBody(query));
}
BENCHMARK(BM_QdrantQueryRequest)->Unit(benchmark::kMicrosecond);

void BM_QdrantQueryResponse(benchmark::State& state) {
  const auto query = Query();
  const auto answer = Answer();
  state.SetLabel(std::to_string(answer.size()) + " bytes");
  for (auto _ : state) {
    auto lists = salesboost::infra::qdrant::ParseQueryBatch(answer, query);
    if (!lists || lists->dense.size() != 50 || lists->sparse.size() != 50) state.SkipWithError("bad decode");
    benchmark::DoNotOptimize(lists);
  }
}
BENCHMARK(BM_QdrantQueryResponse)->Unit(benchmark::kMicrosecond);

void BM_QdrantRoundTrip(benchmark::State& state) {
  const auto query = Query();
  const auto answer = Answer();
  for (auto _ : state) {
    benchmark::DoNotOptimize(salesboost::infra::qdrant::QueryBatchBody(query));
    benchmark::DoNotOptimize(salesboost::infra::qdrant::ParseQueryBatch(answer, query));
  }
}
BENCHMARK(BM_QdrantRoundTrip)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
