// The knowledge base on the Qdrant adapter against tools/qdrant-double, which
// checks every request and response against Qdrant's OpenAPI document: the
// hits equal the in-process index's on the same documents and queries (ids,
// order and both lists' ranks), filters, deletion, retried partial batch
// failures, timeouts, dropped connections, the breaker and the degraded
// search it leads to, and a malformed request the double refuses.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cmath>
#include <set>
#include <tuple>

#include "brain/in_memory_knowledge.hpp"
#include "client/api_client.hpp"
#include "core/id_generator.hpp"
#include "core/manual_clock.hpp"
#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "infra/ocr/leptonica_image_decoder.hpp"
#include "infra/ocr/tesseract_ocr.hpp"
#include "infra/pdf/poppler_pdf_reader.hpp"
#include "infra/qdrant/qdrant_vector_store.hpp"
#include "infra/sqlite/sqlite_store.hpp"
#include "infra/vector/hnsw_index_factory.hpp"
#include "knowledge/index/sparse_index.hpp"
#include "knowledge/knowledge_base.hpp"
#include "knowledge/text/front_matter.hpp"
#include "net/http_client.hpp"
#include "storage/migration.hpp"
#include "support/server_process.hpp"

namespace salesboost::knowledge {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr char kApiKey[] = "qdrant-test-key";

// Deterministic embeddings: each term adds its count times a weight of its own to one of 64 dimensions (both by
// hash), plus a small bias. The weights keep two different texts from having exactly the same similarity to a
// query, whose order would be decided by float rounding (Qdrant's and hnswlib's differ).
class TermHashEmbedder final : public Embedder {
 public:
  asio::awaitable<core::Result<std::vector<std::vector<float>>>> Embed(std::vector<std::string> texts,
                                                                       milliseconds /*budget*/) override {
    ++calls;
    if (fail) co_return core::Fail(core::ErrorCode::kUnavailable, "embeddings down");
    std::vector<std::vector<float>> out;
    out.reserve(texts.size());
    for (const auto& text : texts) {
      std::vector<float> v(64, 0.05F);
      for (const auto& [term, count] : CountTerms(text)) {
        const auto hash = TermIndex(term);
        v[hash % v.size()] += static_cast<float>(count) * (1.0F + static_cast<float>((hash >> 8) % 97) / 97.0F);
      }
      out.push_back(std::move(v));
    }
    co_return out;
  }
  std::string Model() const override { return "term-hash-64"; }
  int calls = 0;
  bool fail = false;
};

// One knowledge base: its own SQLite store, and Qdrant or the in-process HNSW index.
struct Instance {
  std::unique_ptr<infra::SqliteStore> store;
  std::unique_ptr<infra::QdrantVectorStore> qdrant;
  std::unique_ptr<KnowledgeBase> kb;
};

using Ranked = std::vector<std::tuple<std::string, int, int>>;  // chunk id, sparse rank, dense rank

class QdrantKnowledge : public ::testing::Test {
 protected:
  void SetUp() override { double_ = salesboost::testing::QdrantDoubleProcess::Start({"--api-key", kApiKey}); }
  void TearDown() override {
    if (double_) {
      EXPECT_EQ(double_->Violations(), "") << "requests or responses outside Qdrant's OpenAPI schemas";
    }
  }

  infra::QdrantOptions QdrantOptionsFor(std::string collection) const {
    infra::QdrantOptions options;
    options.url = double_->Url();
    options.api_key = kApiKey;
    options.collection = std::move(collection);
    options.timeout = milliseconds(3000);
    options.write_timeout = milliseconds(3000);
    options.batch_size = 16;
    options.retry = {.max_attempts = 3, .base_delay = milliseconds(10), .max_delay = milliseconds(50)};
    return options;
  }

  // `qdrant`: null for the in-process index.
  Instance Make(std::optional<infra::QdrantOptions> qdrant, bool remote_lexical = false,
                core::MetricsRegistry* metrics = nullptr) {
    Instance out;
    const auto file = dir_.path() / (std::to_string(instances_++) + ".db");
    auto opened = infra::SqliteStore::Open(file, {}, store_pool_);
    EXPECT_TRUE(opened);
    out.store = std::move(*opened);
    EXPECT_TRUE(core::RunOn(io_, storage::ApplyMigrations(*out.store, storage::BuiltinMigrations())));
    EXPECT_TRUE(core::RunOn(io_, out.store->Transact([](storage::Transaction& tx) -> core::Result<void> {
      auto added =
          tx.Execute("INSERT INTO tenants (id, name, created_at) VALUES ('acme', 'Acme', '2026-01-01T00:00:00Z')");
      if (!added) return core::Fail(added.error());
      return core::Ok();
    })));
    if (qdrant) out.qdrant = std::make_unique<infra::QdrantVectorStore>(*qdrant, http_, clock_, logger_, metrics);
    KnowledgeOptions options;
    options.dense_file = file.string() + ".hnsw";
    options.remote_lexical = remote_lexical;
    out.kb = std::make_unique<KnowledgeBase>(options, KnowledgeBase::Deps{.store = *out.store,
                                                                          .workers = workers_,
                                                                          .ocr = ocr_,
                                                                          .pdf = pdf_,
                                                                          .images = images_,
                                                                          .embedder = &embedder_,
                                                                          .vectors = vectors_,
                                                                          .vector_store = out.qdrant.get(),
                                                                          .clock = system_clock_,
                                                                          .ids = *ids_,
                                                                          .logger = logger_});
    EXPECT_TRUE(core::RunOn(io_, out.kb->Load()));
    Backfill(*out.kb);
    return out;
  }

  void Backfill(KnowledgeBase& kb) {
    auto done = core::RunOn(io_, kb.Backfill());
    EXPECT_TRUE(done) << (done ? "" : done.error().message);
  }

  // The shipped demo documents, each into its front matter's collection; one more for another tenant.
  void IngestDemo(KnowledgeBase& kb) {
    for (const auto& file : brain::DemoKnowledgeFiles()) {
      std::string text(file.content);
      std::string collection = TakeFrontMatter(text).collection;
      auto outcome = Ingest(kb, "default", std::move(collection), std::string(file.name), std::string(file.content));
      ASSERT_EQ(outcome.status, "indexed") << file.name << ": " << outcome.error;
    }
    auto other = Ingest(kb, "acme", "card-upgrade", "acme-annual-fee.en.md",
                        "# Acme card\n\n## Annual fee\nThe Acme card's annual fee is waived after twelve purchases.\n");
    ASSERT_EQ(other.status, "indexed") << other.error;
  }
  FileOutcome Ingest(KnowledgeBase& kb, std::string tenant, std::string collection, std::string name,
                     std::string content) {
    return core::RunOn(io_, kb.Ingest(IngestRequest{.tenant_id = std::move(tenant),
                                                    .collection = std::move(collection),
                                                    .type = {},
                                                    .file = {std::move(name), std::move(content)}},
                                      {}));
  }
  std::vector<SearchHit> Find(KnowledgeBase& kb, SearchRequest request) {
    auto hits = core::RunOn(io_, kb.Find(std::move(request)));
    EXPECT_TRUE(hits) << (hits ? "" : hits.error().message);
    return hits ? *hits : std::vector<SearchHit>{};
  }
  static Ranked Ranks(const std::vector<SearchHit>& hits) {
    Ranked out;
    for (const auto& h : hits) out.emplace_back(h.chunk_id, h.sparse_rank, h.dense_rank);
    return out;
  }
  static SearchRequest Request(std::string text, std::string tenant = "default") {
    return SearchRequest{
        .tenant_id = std::move(tenant), .text = std::move(text), .k = 8, .collections = {}, .type = {}, .language = {}};
  }
  std::size_t PointsIn(const std::string& collection) const {
    const auto state = double_->State();
    const auto* c = state.at("collections").as_object().if_contains(collection);
    return c == nullptr ? 0 : c->as_object().at("ids").as_array().size();
  }

  salesboost::testing::TempDir dir_;
  std::unique_ptr<salesboost::testing::QdrantDoubleProcess> double_;
  std::string log_;
  core::Logger logger_ = core::Logger::ToString(log_, core::LogLevel::kWarn);
  asio::io_context io_;
  net::HttpClient http_;  // after io_: destroyed before it
  core::BlockingPool store_pool_{1};
  core::BlockingPool workers_{2};
  infra::TesseractOcr ocr_{workers_, "eng"};
  infra::PopplerPdfReader pdf_;
  infra::LeptonicaImageDecoder images_;
  infra::HnswIndexFactory vectors_;
  core::SystemClock system_clock_;
  core::ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<core::IdGenerator> ids_ = core::MakeRandomIdGenerator();
  TermHashEmbedder embedder_;
  int instances_ = 0;
};

const std::vector<std::string> kQueries = {"What do instalments cost?",
                                           "annual fee",
                                           "分期手续费是多少",
                                           "competitor comparison Lumen",
                                           "客户说年费太贵怎么办",
                                           "interest-free period",
                                           "compliance disclosure of the annualised rate"};

TEST_F(QdrantKnowledge, HitsEqualTheInProcessIndexOnTheSameDocumentsAndQueries) {
  auto memory = Make(std::nullopt);
  auto qdrant = Make(QdrantOptionsFor("kb"));
  IngestDemo(*memory.kb);
  IngestDemo(*qdrant.kb);
  // The lexical weights of early documents were written at an earlier average length.
  Backfill(*qdrant.kb);
  EXPECT_EQ(PointsIn("kb"), memory.kb->Stats().children);
  EXPECT_EQ(PointsIn("kb"), memory.kb->Stats().vectors);
  int both = 0;
  for (const auto& text : kQueries) {
    const auto expected = Find(*memory.kb, Request(text));
    const auto got = Find(*qdrant.kb, Request(text));
    ASSERT_FALSE(expected.empty()) << text;
    EXPECT_EQ(Ranks(got), Ranks(expected)) << text;
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
      EXPECT_NEAR(got[i].score, expected[i].score, 1e-12) << text;
      EXPECT_NEAR(got[i].sparse_score, expected[i].sparse_score, 1e-4 * (1 + expected[i].sparse_score)) << text;
      EXPECT_NEAR(got[i].dense_score, expected[i].dense_score, 1e-4) << text;
      both += got[i].sparse_rank > 0 && got[i].dense_rank > 0 ? 1 : 0;
    }
  }
  EXPECT_GT(both, 0) << "no hit came from both lists";
  // One exchange per search.
  EXPECT_EQ(double_->Requests("POST /collections/kb/points/query/batch"), static_cast<std::int64_t>(kQueries.size()));
}

// The lexical list from Qdrant's sparse vectors (BM25 weights, IDF by the
// server) over words of no synonym group: the same list as the in-process BM25.
TEST_F(QdrantKnowledge, TheLexicalListFromSparseVectorsScoresAsBm25) {
  auto memory = Make(std::nullopt);
  auto qdrant = Make(QdrantOptionsFor("kb"), /*remote_lexical=*/true);
  const std::vector<std::pair<std::string, std::string>> files = {
      {"quokka.en.md", "# Quokka\n\nThe quokka eats leaves at night. A quokka rarely drinks.\n"},
      {"wombat.en.md", "# Wombat\n\nThe wombat digs burrows. Wombat burrows are long and the wombat sleeps there.\n"},
      {"numbat.en.md", "# Numbat\n\nThe numbat eats termites, thousands of termites a day, and no leaves.\n"},
      {"mixed.en.md", "# Marsupials\n\nQuokka, wombat and numbat: three marsupials. Only the wombat digs.\n"},
      {"long.en.md",
       "# Notes\n\nThe long notes mention the quokka once among many other words about islands, "
       "ferries, beaches, bicycles, lighthouses, reefs, salt lakes and settlements.\n"}};
  for (auto* kb : {memory.kb.get(), qdrant.kb.get()}) {
    for (const auto& [name, text] : files) ASSERT_EQ(Ingest(*kb, "default", "zoo", name, text).status, "indexed");
  }
  Backfill(*qdrant.kb);
  for (const std::string text : {"quokka", "wombat burrows", "termites leaves", "numbat quokka wombat"}) {
    const auto expected = Find(*memory.kb, Request(text));
    const auto got = Find(*qdrant.kb, Request(text));
    ASSERT_FALSE(expected.empty()) << text;
    EXPECT_EQ(Ranks(got), Ranks(expected)) << text;
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
      EXPECT_NEAR(got[i].sparse_score, expected[i].sparse_score, 1e-4 * (1 + expected[i].sparse_score)) << text;
    }
  }
}

TEST_F(QdrantKnowledge, FiltersByTenantCollectionTypeAndLanguageAsTheInProcessIndexDoes) {
  auto memory = Make(std::nullopt);
  auto qdrant = Make(QdrantOptionsFor("kb"));
  IngestDemo(*memory.kb);
  IngestDemo(*qdrant.kb);
  Backfill(*qdrant.kb);
  std::vector<SearchRequest> requests;
  requests.push_back(Request("annual fee", "acme"));
  auto in_collection = Request("annual fee");
  in_collection.collections = {"card-upgrade"};
  requests.push_back(in_collection);
  auto faq = Request("annual fee");
  faq.type = "faq";
  requests.push_back(faq);
  auto chinese = Request("年费");
  chinese.language = "zh";
  requests.push_back(chinese);
  auto english = Request("annual fee");
  english.language = "en";
  english.collections = {"card-upgrade", "lumen-launch"};
  requests.push_back(english);
  for (const auto& request : requests) {
    const auto expected = Find(*memory.kb, request);
    const auto got = Find(*qdrant.kb, request);
    EXPECT_EQ(Ranks(got), Ranks(expected)) << request.text << " " << request.tenant_id;
    ASSERT_FALSE(got.empty()) << request.text;
    for (const auto& hit : got) {
      if (!request.collections.empty()) {
        EXPECT_NE(std::find(request.collections.begin(), request.collections.end(), hit.collection),
                  request.collections.end());
      }
      if (!request.type.empty()) {
        EXPECT_EQ(hit.type, request.type);
      }
      if (request.tenant_id == "acme") {
        EXPECT_EQ(hit.source, "acme-annual-fee.en.md");
      }
      if (request.language == "zh") {
        EXPECT_EQ(hit.source.find(".en."), std::string::npos) << hit.source;
      }
    }
  }
}

TEST_F(QdrantKnowledge, DeletingADocumentDeletesItsPoints) {
  auto qdrant = Make(QdrantOptionsFor("kb"));
  IngestDemo(*qdrant.kb);
  const auto before = PointsIn("kb");
  auto hits = Find(*qdrant.kb, Request("Acme annual fee", "acme"));
  ASSERT_FALSE(hits.empty());
  const auto document_id = hits.front().document_id;
  const auto children = qdrant.kb->Stats().children;
  ASSERT_TRUE(core::RunOn(io_, qdrant.kb->Delete("acme", document_id)));
  EXPECT_EQ(PointsIn("kb"), before - (children - qdrant.kb->Stats().children));
  EXPECT_LT(PointsIn("kb"), before);
  EXPECT_TRUE(Find(*qdrant.kb, Request("Acme annual fee", "acme")).empty());
}

TEST_F(QdrantKnowledge, FailedUpsertBatchesAreRetriedWithNothingLostOrDuplicated) {
  auto qdrant = Make(QdrantOptionsFor("kb"));
  // The second batch of points fails with a 503, the fourth loses its connection.
  double_->Faults(R"({"faults": [
      {"method": "PUT", "path": "/collections/kb/points", "action": "status", "status": 503, "after": 1, "times": 1},
      {"method": "PUT", "path": "/collections/kb/points", "action": "drop", "after": 2, "times": 1}]})");
  IngestDemo(*qdrant.kb);
  EXPECT_EQ(qdrant.kb->PendingRemote(), 0U);
  const auto state = double_->State();
  const auto& ids = state.at("collections").as_object().at("kb").as_object().at("ids").as_array();
  std::set<std::string> unique;
  for (const auto& id : ids) unique.insert(boost::json::serialize(id));
  EXPECT_EQ(ids.size(), qdrant.kb->Stats().children);
  EXPECT_EQ(unique.size(), ids.size());
  EXPECT_GE(double_->Requests("PUT /collections/kb/points"), 3);
}

TEST_F(QdrantKnowledge, AnOutageLeavesDocumentsPendingUntilTheNextBackfill) {
  auto options = QdrantOptionsFor("kb");
  options.retry.max_attempts = 1;
  auto qdrant = Make(options);
  double_->Faults(
      R"({"faults": [{"path": "/collections/kb/points", "action": "status", "status": 502, "times": 1000}]})");
  auto outcome = Ingest(*qdrant.kb, "default", "notes", "fees.en.md", "# Fees\n\nThe annual fee is 300 a year.\n");
  EXPECT_EQ(outcome.status, "indexed");
  EXPECT_EQ(qdrant.kb->PendingRemote(), 1U);
  // The in-process BM25 list still finds it.
  auto degraded = Find(*qdrant.kb, Request("annual fee"));
  ASSERT_FALSE(degraded.empty());
  EXPECT_EQ(degraded.front().source, "fees.en.md");
  double_->Faults(R"({"faults": []})");
  Backfill(*qdrant.kb);
  EXPECT_EQ(qdrant.kb->PendingRemote(), 0U);
  EXPECT_EQ(PointsIn("kb"), qdrant.kb->Stats().children);
  auto hits = Find(*qdrant.kb, Request("annual fee"));
  ASSERT_FALSE(hits.empty());
  EXPECT_GT(hits.front().dense_rank, 0);
}

TEST_F(QdrantKnowledge, ATimedOutSearchIsTriedAgain) {
  auto options = QdrantOptionsFor("kb");
  options.timeout = milliseconds(300);
  auto qdrant = Make(options);
  IngestDemo(*qdrant.kb);
  double_->Faults(
      R"({"faults": [{"path": "/collections/kb/points/query/batch", "action": "delay", "delay_ms": 1500, "times": 1}]})");
  auto hits = Find(*qdrant.kb, Request("annual fee"));
  ASSERT_FALSE(hits.empty());
  EXPECT_TRUE(std::any_of(hits.begin(), hits.end(), [](const SearchHit& h) { return h.dense_rank > 0; }))
      << "the retry's answer has the dense list";
  EXPECT_EQ(double_->Requests("POST /collections/kb/points/query/batch"), 2);
}

TEST_F(QdrantKnowledge, TheBreakerOpensSearchesFallBackToBm25AndItRecovers) {
  auto options = QdrantOptionsFor("kb");
  options.retry.max_attempts = 1;
  options.breaker = {.window = 4,
                     .minimum_calls = 4,
                     .failure_rate_percent = 100,
                     .slow_call_rate_percent = 100,
                     .slow_call_duration = milliseconds(10000),
                     .open_duration = milliseconds(30000),
                     .half_open_calls = 1};
  core::MetricsRegistry metrics;
  auto qdrant = Make(options, /*remote_lexical=*/false, &metrics);
  const auto metric = [&metrics](const std::string& series) {
    return salesboost::testing::MetricValue(metrics.WritePrometheus(), series).value_or(-1);
  };
  IngestDemo(*qdrant.kb);
  double_->Faults(
      R"({"faults": [{"path": "/collections/kb/points/query/batch", "action": "status", "status": 503, "times": 1000}]})");
  for (int i = 0; i < 4; ++i) {
    auto hits = Find(*qdrant.kb, Request("annual fee"));
    ASSERT_FALSE(hits.empty()) << "a failed search is answered by BM25";
    for (const auto& hit : hits) EXPECT_EQ(hit.dense_rank, 0);
  }
  EXPECT_EQ(qdrant.qdrant->BreakerState(), resilience::BreakerState::kOpen);
  const auto asked = double_->Requests("POST /collections/kb/points/query/batch");
  EXPECT_EQ(asked, 4);
  EXPECT_FALSE(Find(*qdrant.kb, Request("annual fee")).empty());
  EXPECT_EQ(double_->Requests("POST /collections/kb/points/query/batch"), asked) << "an open breaker sends nothing";
  EXPECT_EQ(metric("salesboost_knowledge_qdrant_breaker_state"), 1);
  EXPECT_EQ(metric(R"(salesboost_knowledge_qdrant_requests_total{operation="query",outcome="unavailable"})"), 4);
  EXPECT_EQ(metric(R"(salesboost_knowledge_qdrant_requests_total{operation="query",outcome="rejected"})"), 1);
  double_->Faults(R"({"faults": []})");
  clock_.Advance(std::chrono::seconds(31));
  auto hits = Find(*qdrant.kb, Request("annual fee"));
  ASSERT_FALSE(hits.empty());
  EXPECT_TRUE(std::any_of(hits.begin(), hits.end(), [](const SearchHit& h) { return h.dense_rank > 0; }));
  EXPECT_EQ(qdrant.qdrant->BreakerState(), resilience::BreakerState::kClosed);
  EXPECT_EQ(metric("salesboost_knowledge_qdrant_breaker_state"), 0);
}

TEST_F(QdrantKnowledge, TheDoubleRefusesAndRecordsAMalformedRequest) {
  auto qdrant = Make(QdrantOptionsFor("kb"));
  ASSERT_EQ(double_->Violations(), "");
  auto reply = client::Fetch({"127.0.0.1", double_->port()}, "POST", "/collections/kb/points/query/batch",
                             R"({"searches": [{"query": [0.1, 0.2], "using": "dense", "limit": "ten"}]})",
                             {{"api-key", kApiKey}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  const auto violations = double_->Violations();
  EXPECT_NE(violations.find("limit"), std::string::npos) << violations;
  double_.reset();  // its violations were the point
}

}  // namespace
}  // namespace salesboost::knowledge
