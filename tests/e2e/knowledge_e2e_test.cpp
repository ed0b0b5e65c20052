// The knowledge base through the real binary: REST upload (multipart), job
// progress, documents, deletion and search; the demo documents ingested at
// start; the ingest and search commands.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "core/read_file.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;
using client::Fetch;

constexpr const char* kAdminPassword = "admin-password-for-knowledge";
constexpr const char* kBoundary = "sbBoundary7MA4YWxkTrZu0gW";

std::string FixturePath(const std::string& name) {
  return std::string(SALESBOOST_SOURCE_DIR) + "/tests/fixtures/knowledge/" + name;
}

std::string Multipart(const std::vector<std::pair<std::string, std::string>>& files, const std::string& collection) {
  std::string body;
  const std::string delimiter = std::string("--") + kBoundary + "\r\n";
  body += delimiter;
  body += "Content-Disposition: form-data; name=\"collection\"\r\n\r\n";
  body += collection;
  body += "\r\n";
  for (const auto& [name, bytes] : files) {
    body += delimiter;
    body += "Content-Disposition: form-data; name=\"file\"; filename=\"";
    body += name;
    body += "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    body += bytes;
    body += "\r\n";
  }
  body += std::string("--") + kBoundary + "--\r\n";
  return body;
}

class KnowledgeE2e : public testing::SharedServerTest<KnowledgeE2e> {
 public:
  static std::vector<std::string> Flags() {
    return {"--set", "auth.bootstrap_admin_password=secret:admin/password", "--set",
            "knowledge.max_upload_bytes=200000"};
  }
  static std::map<std::string, std::string> Environment() {
    return {{"SALESBOOST_SECRET_ADMIN_PASSWORD", kAdminPassword}};
  }

 protected:
  static std::string Admin() { return server().Login("admin", kAdminPassword); }
  static core::Result<client::HttpReply> Call(const std::string& token, const std::string& method,
                                              const std::string& target, const std::string& body = {},
                                              const std::string& content_type = "application/json") {
    return Fetch(server().endpoint(), method, target, body,
                 {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}}, std::chrono::seconds(20));
  }
  static json::array Search(const std::string& token, const json::object& query) {
    auto reply = Call(token, "POST", "/api/v1/knowledge/search", json::serialize(query));
    EXPECT_TRUE(reply && reply->status == 200) << (reply ? reply->body : reply.error().message);
    return reply && reply->status == 200 ? json::parse(reply->body).at("hits").as_array() : json::array{};
  }
};

TEST_F(KnowledgeE2e, TheDemoDocumentsAreSearchableAndTraineesCanSearchButNotUpload) {
  const auto trainee = server().DemoTraineeToken();
  json::array hits;
  // The demo documents are ingested just after the server starts listening.
  for (int i = 0; i < 100 && hits.empty(); ++i) {
    hits = Search(trainee, {{"query", "白金卡年费多少"}, {"language", "zh"}, {"k", 3}});
    if (hits.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].at("source").as_string(), "platinum-card-sheet.zh.md");
  EXPECT_GT(hits[0].at("score").as_double(), 0);
  EXPECT_EQ(hits[0].at("page").as_int64(), 1);
  // Beside the fused score, what each list saw: BM25 and its rank; no vectors without an embeddings provider.
  EXPECT_GE(hits[0].at("sparse_score").as_double(), hits.back().at("sparse_score").as_double());
  EXPECT_GT(hits.back().at("sparse_score").as_double(), 0);
  EXPECT_EQ(hits[0].at("sparse_rank").as_int64(), 1);
  EXPECT_TRUE(hits[0].at("dense_score").is_null());
  EXPECT_TRUE(hits[0].at("dense_rank").is_null());
  // A short question's particles do not decide the ranking: the README's example finds a fee section first.
  const auto fee = Search(trainee, {{"query", "年费可以减免吗"}, {"k", 3}});
  ASSERT_FALSE(fee.empty());
  EXPECT_NE(fee[0].at("heading").as_string().find("年费"), json::string::npos) << json::serialize(fee);
  const auto price = Search(trainee, {{"query", "how much does Lumen cost per store"}, {"k", 3}});
  ASSERT_FALSE(price.empty());
  EXPECT_EQ(price[0].at("source").as_string(), "lumen-product-sheet.en.md") << json::serialize(price);
  EXPECT_EQ(price[0].at("heading").as_string(), "Price") << json::serialize(price);
  EXPECT_EQ(hits[0].at("pages"), (json::array{1, 1}));
  EXPECT_EQ(hits[0].at("citation"), "platinum-card-sheet.zh.md") << "a Markdown file cites no pages";
  auto upload = Call(trainee, "POST", "/api/v1/knowledge/documents", Multipart({{"a.txt", "hello"}}, "x"),
                     std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_TRUE(upload);
  EXPECT_EQ(upload->status, 403);
  auto anonymous = Fetch(server().endpoint(), "POST", "/api/v1/knowledge/search", R"({"query":"x"})");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  for (const auto* bad : {R"({"query": 5})", R"({"query":"x","k":0})", "{not json", R"({"query":"x","k":51})"}) {
    auto reply = Call(trainee, "POST", "/api/v1/knowledge/search", bad);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad << " -> " << reply->body;
  }
}

TEST_F(KnowledgeE2e, AnAdminUploadsFollowsTheJobListsAndDeletesDocuments) {
  const auto admin = Admin();
  ASSERT_FALSE(admin.empty());
  const auto pdf = core::ReadWholeFile(FixturePath("digital.pdf"));
  const auto cut = core::ReadWholeFile(FixturePath("truncated.pdf"));
  ASSERT_TRUE(pdf && cut);
  auto upload = Call(admin, "POST", "/api/v1/knowledge/documents",
                     Multipart({{"digital.pdf", *pdf}, {"dir/truncated.pdf", *cut}}, "docs"),
                     std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_TRUE(upload);
  ASSERT_EQ(upload->status, 202) << upload->body;
  const std::string job_id(json::parse(upload->body).at("job_id").as_string());
  EXPECT_EQ(upload->Header("location").value_or(""), "/api/v1/knowledge/jobs/" + job_id);
  json::object job;
  for (int i = 0; i < 200; ++i) {
    auto reply = Call(admin, "GET", "/api/v1/knowledge/jobs/" + job_id);
    ASSERT_TRUE(reply && reply->status == 200) << (reply ? reply->body : reply.error().message);
    job = json::parse(reply->body).as_object();
    if (job.at("status") == "done" || job.at("status") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job.at("status"), "done") << json::serialize(job);
  EXPECT_DOUBLE_EQ(job.at("progress").as_double(), 1.0);
  const auto& files = job.at("files").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].at("status"), "indexed");
  EXPECT_EQ(files[0].at("route").at("complexity"), "MEDIUM");
  EXPECT_EQ(files[1].at("name"), "truncated.pdf");  // the path the client sent is dropped
  EXPECT_EQ(files[1].at("status"), "failed");
  EXPECT_NE(std::string(files[1].at("error").as_string()).find("PDF"), std::string::npos);

  auto list = Call(admin, "GET", "/api/v1/knowledge/documents?collection=docs");
  ASSERT_TRUE(list && list->status == 200);
  const auto documents = json::parse(list->body).at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  const std::string id(documents[0].at("id").as_string());
  auto one = Call(admin, "GET", "/api/v1/knowledge/documents/" + id);
  ASSERT_TRUE(one && one->status == 200);
  EXPECT_GT(json::parse(one->body).at("children").as_int64(), 0);
  auto hits = Search(admin, {{"query", "Dedicated manager"}, {"collection", "docs"}});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].at("source"), "digital.pdf");

  auto deleted = Call(admin, "DELETE", "/api/v1/knowledge/documents/" + id);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_TRUE(Search(admin, {{"query", "Dedicated manager"}, {"collection", "docs"}}).empty());
  auto gone = Call(admin, "GET", "/api/v1/knowledge/documents/" + id);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  auto missing_job = Call(admin, "GET", "/api/v1/knowledge/jobs/job_nope");
  ASSERT_TRUE(missing_job);
  EXPECT_EQ(missing_job->status, 404);
}

TEST_F(KnowledgeE2e, AHitCitesThePagesOfItsPassageAndThePageOfItsMatch) {
  const auto admin = Admin();
  ASSERT_FALSE(admin.empty());
  const auto pdf = core::ReadWholeFile(FixturePath("spanning.pdf"));
  ASSERT_TRUE(pdf);
  auto upload = Call(admin, "POST", "/api/v1/knowledge/documents", Multipart({{"spanning.pdf", *pdf}}, "pages"),
                     std::string("multipart/form-data; boundary=") + kBoundary);
  ASSERT_TRUE(upload);
  ASSERT_EQ(upload->status, 202) << upload->body;
  json::array hits;
  for (int i = 0; i < 200 && hits.empty(); ++i) {
    hits = Search(admin, {{"query", "replacement devices shipped within 48 hours"}, {"collection", "pages"}});
    if (hits.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].at("source"), "spanning.pdf");
  EXPECT_EQ(hits[0].at("page").as_int64(), 2);
  EXPECT_EQ(hits[0].at("pages"), (json::array{1, 2}));
  EXPECT_EQ(hits[0].at("citation"), "spanning.pdf, pp. 1-2");
}

// The probe's bombs uploaded to the real server: each fails alone in moments with its reason, and the
// file after them in the job, and the next job, are indexed.
TEST_F(KnowledgeE2e, UploadedBombsFailAloneAndTheQueueMovesOn) {
  const auto admin = Admin();
  ASSERT_FALSE(admin.empty());
  const std::string hostile = std::string(SALESBOOST_SOURCE_DIR) + "/tests/fixtures/hostile/";
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto* name : {"image_bomb_jbig2.pdf", "image_bomb_inline.pdf", "entity_quadratic.docx", "after.md"}) {
    const auto bytes = core::ReadWholeFile(hostile + name);
    ASSERT_TRUE(bytes) << name;
    files.emplace_back(name, *bytes);
  }
  auto wait_for = [&](const std::string& body) {
    auto upload = Call(admin, "POST", "/api/v1/knowledge/documents", body,
                       std::string("multipart/form-data; boundary=") + kBoundary);
    EXPECT_TRUE(upload && upload->status == 202) << (upload ? upload->body : upload.error().message);
    if (!upload || upload->status != 202) return json::object{};
    const std::string job_id(json::parse(upload->body).at("job_id").as_string());
    json::object job;
    for (int i = 0; i < 600; ++i) {  // 30 s: a safety net, not a target
      auto reply = Call(admin, "GET", "/api/v1/knowledge/jobs/" + job_id);
      if (!reply || reply->status != 200) break;
      job = json::parse(reply->body).as_object();
      if (job.at("status") == "done" || job.at("status") == "failed") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return job;
  };
  const auto job = wait_for(Multipart(files, "hostile"));
  ASSERT_EQ(job.at("status"), "done") << json::serialize(job);
  const auto& outcomes = job.at("files").as_array();
  ASSERT_EQ(outcomes.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(outcomes[i].at("status"), "failed") << json::serialize(outcomes[i]);
  }
  EXPECT_NE(std::string(outcomes[0].at("error").as_string()).find("declares 100000x100000 pixels"), std::string::npos);
  EXPECT_NE(std::string(outcomes[1].at("error").as_string()).find("an inline image"), std::string::npos);
  EXPECT_NE(std::string(outcomes[2].at("error").as_string()).find("declares a DTD"), std::string::npos);
  EXPECT_EQ(outcomes[3].at("status"), "indexed") << json::serialize(outcomes[3]);
  const auto next = wait_for(Multipart({{"next.md", "# Warranty\n\nTwo years on every device.\n"}}, "hostile"));
  ASSERT_EQ(next.at("status"), "done") << json::serialize(next);
  const auto hits = Search(admin, {{"query", "refund request approval ledger"}, {"collection", "hostile"}, {"k", 3}});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].at("source").as_string(), "after.md");
}

TEST_F(KnowledgeE2e, MalformedAndOversizedUploadsAreRefusedClearly) {
  const auto admin = Admin();
  const std::string type = std::string("multipart/form-data; boundary=") + kBoundary;
  const std::pair<std::string, std::string> bad[] = {
      {"not multipart at all", "application/json"},
      {"--" + std::string(kBoundary) + "\r\nno headers end", type},
      {Multipart({}, "docs"), type},                                       // no file part
      {Multipart({{"a.txt", "x"}}, "bad collection!"), type},              // invalid collection name
      {Multipart({{"", "x"}}, "docs"), type},                              // a file without a name
      {Multipart({{std::string("a\0.pdf.txt", 10), "x"}}, "docs"), type},  // a NUL cuts the name short
      {Multipart({{"a\x1b[2J.txt", "x"}}, "docs"), type},                  // a terminal escape
      {Multipart({{"a\tb.txt", "x"}}, "docs"), type},                      // a tab
      {Multipart({{"a\xe2\x80\xaetxt.exe", "x"}}, "docs"), type},          // right-to-left override
      {Multipart({{"a\xff\xfe.txt", "x"}}, "docs"), type},                 // not UTF-8
  };
  for (const auto& [body, content_type] : bad) {
    auto reply = Call(admin, "POST", "/api/v1/knowledge/documents", body, content_type);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << body.substr(0, 40) << " -> " << reply->body;
    EXPECT_NE(reply->body.find("\"error\""), std::string::npos);
  }
  auto nul =
      Call(admin, "POST", "/api/v1/knowledge/documents", Multipart({{std::string("a\0b.txt", 7), "x"}}, "d"), type);
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 400);
  EXPECT_NE(nul->body.find("control character (U+0000)"), std::string::npos) << nul->body;
  auto bad_utf8 = Call(admin, "POST", "/api/v1/knowledge/documents", Multipart({{"a\xff.txt", "x"}}, "d"), type);
  ASSERT_TRUE(bad_utf8);
  EXPECT_EQ(bad_utf8->status, 400);
  EXPECT_NE(bad_utf8->body.find("not valid UTF-8"), std::string::npos) << bad_utf8->body;
  auto big =
      Call(admin, "POST", "/api/v1/knowledge/documents", Multipart({{"big.txt", std::string(300000, 'a')}}, "d"), type);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(big->body.find("200000"), std::string::npos) << big->body;
}

TEST(KnowledgeCli, IngestPrintsATableAndSearchFindsWhatWasIngested) {
  testing::TempDir dir;
  const std::string data = "data.dir=" + (dir.path() / "data").string();
  const auto ingest = testing::RunCommand(
      {"ingest", FixturePath("sample.csv"), FixturePath("truncated.pdf"), "--collection", "cli", "--set", data});
  EXPECT_EQ(ingest.exit_code, 1) << ingest.err;  // one file failed
  EXPECT_NE(ingest.out.find("| sample.csv | indexed | LOW | csv |"), std::string::npos) << ingest.out;
  EXPECT_NE(ingest.out.find("truncated.pdf: failed (PDF: damaged or unreadable)"), std::string::npos) << ingest.out;
  const auto again = testing::RunCommand({"ingest", FixturePath("sample.csv"), "--collection", "cli", "--set", data});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find("| sample.csv | unchanged |"), std::string::npos) << again.out;
  const auto search = testing::RunCommand({"search", "Enterprise dedicated manager", "--k", "2", "--set", data});
  EXPECT_EQ(search.exit_code, 0) << search.err;
  EXPECT_NE(search.out.find("1. "), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("1. sample.csv"), std::string::npos) << search.out;
  EXPECT_NE(search.out.find("fused 0.0164 · BM25 "), std::string::npos) << search.out;
  EXPECT_NE(search.out.find(" #1 · cosine -"), std::string::npos) << search.out;
  const auto nothing = testing::RunCommand({"ingest", (dir.path() / "missing").string(), "--set", data});
  EXPECT_NE(nothing.exit_code, 0);
}

}  // namespace
}  // namespace salesboost
