// Knowledge-base benchmarks, each against its peer in the same run:
//   pdf FILE         text extraction pages/s: PdfFile vs `pdftotext -layout`
//   ocr FILE         seconds per page: TesseractOcr vs the `tesseract` command
//   query            hybrid query latency (BM25 + HNSW, fusion, parent
//                    expansion) at --chunks child chunks of --dims-dimensional
//                    vectors, and recall@10 of HNSW against exact search
// Run with OMP_THREAD_LIMIT=1 (bench/knowledge.sh does).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <set>

#include "brain/in_memory_knowledge.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "infra/ocr/leptonica_image_decoder.hpp"
#include "infra/ocr/tesseract_ocr.hpp"
#include "infra/pdf/pdf_file.hpp"
#include "infra/vector/hnsw_vector_index.hpp"
#include "knowledge/index/knowledge_index.hpp"
#include "knowledge/text/pdf_layout.hpp"

namespace {

using namespace salesboost;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// This thread's CPU time in milliseconds: on a shared machine, what a query costs without the waits for a core.
double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1000 + static_cast<double>(now.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Seconds for one run of a shell command (its output discarded).
double TimeCommand(const std::string& command) {
  const auto start = Clock::now();
  if (std::system((command + " > /dev/null 2>&1").c_str()) != 0) {
    fmt::print(stderr, "failed: {}\n", command);
    std::exit(1);
  }
  return Seconds(Clock::now() - start);
}

// `headings`: also the page's headings, as ingestion reads each page (they share the page's words).
int Pdf(const std::string& file, int runs, bool headings) {
  const auto bytes = core::ReadWholeFile(file);
  if (!bytes) return 1;
  std::vector<double> ours;
  std::vector<double> peer;
  int pages = 0;
  std::size_t chars = 0;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    auto pdf = infra::PdfFile::Open(*bytes);
    if (!pdf) return 1;
    pages = pdf->Pages();
    chars = 0;
    for (int i = 0; i < pages; ++i) {
      chars += knowledge::AlignedTablesToMarkdown(pdf->PageText(i)).size();
      if (headings) chars += pdf->Headings(i).size();
    }
    ours.push_back(Seconds(Clock::now() - start));
    peer.push_back(TimeCommand("pdftotext -layout '" + file + "' -"));
  }
  const double o = Percentile(ours, 0.5);
  const double p = Percentile(peer, 0.5);
  fmt::print(
      "| PDF text{} ({} pages, {} bytes out) | {:.0f} pages/s | {:.0f} pages/s (pdftotext -layout) | {:.2f}x |\n",
      headings ? " and headings" : "", pages, chars, pages / o, pages / p, p / o);
  return 0;
}

int Ocr(const std::string& file, int runs, const std::string& languages) {
  const auto bytes = core::ReadWholeFile(file);
  if (!bytes) return 1;
  auto image = infra::DecodeImage(*bytes, 100'000'000);
  if (!image) return 1;
  core::BlockingPool pool(1);
  infra::TesseractOcr ocr(pool, languages);
  if (!ocr.RecognizeNow(*image)) return 1;  // engine loaded, as in a running server
  std::vector<double> ours;
  std::vector<double> peer;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    if (!ocr.RecognizeNow(*image)) return 1;
    ours.push_back(Seconds(Clock::now() - start));
    std::string command = "tesseract '";
    command.append(file).append("' - -l ").append(languages).append(" --psm 3");
    peer.push_back(TimeCommand(command));
  }
  const double o = Percentile(ours, 0.5);
  const double p = Percentile(peer, 0.5);
  fmt::print("| OCR, one page {}x{} | {:.2f} s/page | {:.2f} s/page (tesseract CLI) | {:.2f}x |\n", image->width,
             image->height, o, p, o / p);
  return 0;
}

// Child texts built from the demo documents' sentences, so term statistics look like real text.
std::vector<std::string> Sentences() {
  std::vector<std::string> out;
  for (const auto& file : brain::DemoKnowledgeFiles()) {
    for (auto& s : core::SplitSentences(file.content)) {
      if (s.size() > 20) out.push_back(std::move(s));
    }
  }
  return out;
}

// Low-rank vectors plus noise: closer to text embeddings than i.i.d. noise.
struct VectorModel {
  std::size_t dims;
  std::vector<std::vector<float>> basis;
  std::mt19937 random{42};
  VectorModel(std::size_t d, std::size_t rank) : dims(d) {
    std::normal_distribution<float> normal;
    for (std::size_t i = 0; i < rank; ++i) {
      basis.emplace_back(d);
      for (auto& x : basis.back()) x = normal(random);
    }
  }
  std::vector<float> Next() {
    std::normal_distribution<float> normal;
    std::vector<float> v(dims);
    for (const auto& b : basis) {
      const float w = normal(random);
      for (std::size_t i = 0; i < dims; ++i) v[i] += w * b[i];
    }
    for (auto& x : v) x += 0.5F * normal(random) * std::sqrt(static_cast<float>(basis.size()));
    infra::Normalize(v);
    return v;
  }
};

struct DenseOptions {
  std::size_t m = 16;
  std::size_t ef_construction = 200;
  infra::VectorEncoding encoding = infra::VectorEncoding::kInt8;
  std::vector<std::size_t> reranks{64};
};

int Query(std::size_t chunks, std::size_t dims, int queries, const std::vector<std::size_t>& efs,
          const DenseOptions& dense_options, const std::string& cache) {
  const auto sentences = Sentences();
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, sentences.size() - 1);
  VectorModel model(dims, 64);
  knowledge::KnowledgeIndex index;
  const infra::HnswOptions options{.dimensions = dims,
                                   .m = dense_options.m,
                                   .ef_construction = dense_options.ef_construction,
                                   .ef_search = efs[0],
                                   .encoding = dense_options.encoding,
                                   .rerank = dense_options.reranks[0]};
  auto dense = std::make_unique<infra::HnswVectorIndex>(options);
  // A graph saved by an earlier run with the same parameters (the vectors are regenerated identically).
  const bool cached = !cache.empty() && std::filesystem::exists(cache);
  if (cached) {
    const auto start = Clock::now();
    auto loaded = infra::HnswVectorIndex::Load(cache, options);
    if (!loaded) {
      fmt::print(stderr, "{}\n", loaded.error().message);
      return 1;
    }
    dense = std::move(*loaded);
    fmt::print(stderr, "loaded {} in {:.1f} s{}{}, M {}\n", cache, Seconds(Clock::now() - start),
               dense->Converted().empty() ? "" : ", converted ", dense->Converted(), dense->M());
  }
  std::vector<std::vector<float>> vectors;
  vectors.reserve(chunks);
  const auto build = Clock::now();
  constexpr std::size_t kPerDocument = 100;
  for (std::size_t d = 0; d * kPerDocument < chunks; ++d) {
    std::vector<knowledge::IndexedChunk> parents;
    std::vector<knowledge::IndexedChunk> children;
    for (std::size_t c = d * kPerDocument; c < std::min(chunks, (d + 1) * kPerDocument); ++c) {
      const std::string child_id = fmt::format("{:016x}", c * 2 + 1);
      const std::string parent_id = fmt::format("{:016x}", (c / 4) * 2 + 2);
      std::string text = sentences[pick(random)] + " " + sentences[pick(random)] + " " + sentences[pick(random)];
      if (c % 4 == 0) {
        parents.push_back(
            {.id = parent_id, .parent_id = {}, .page = 1, .heading_path = {"H"}, .text = text, .terms = {}});
      }
      children.push_back({.id = child_id,
                          .parent_id = parent_id,
                          .page = 1,
                          .heading_path = {},
                          .text = text,
                          .terms = knowledge::CountTerms(text)});
      vectors.push_back(model.Next());
      if (!cached && !dense->Add(c * 2 + 1, vectors.back())) return 1;
    }
    index.Put({.id = fmt::format("d{}", d),
               .tenant_id = "t",
               .collection = "c",
               .name = fmt::format("d{}.md", d),
               .type = "faq",
               .language = {},
               .version = "v"},
              std::move(parents), std::move(children));
  }
  const double build_s = Seconds(Clock::now() - build);
  if (!cache.empty() && !cached && !dense->Save(cache)) return 1;
  auto* graph = dense.get();
  index.SetDense(std::move(dense));
  for (const auto ef : efs) {
    for (const auto rerank : dense_options.reranks) {
      graph->SetEf(ef);
      graph->SetRerank(rerank);
      // Recall@10 of HNSW against exact search.
      std::size_t found = 0;
      const int recall_queries = 200;
      std::vector<std::vector<float>> query_vectors;
      query_vectors.reserve(static_cast<std::size_t>(std::max(queries, recall_queries)));
      for (int q = 0; q < std::max(queries, recall_queries); ++q) query_vectors.push_back(model.Next());
      std::vector<double> exact_ms;
      for (int q = 0; q < recall_queries; ++q) {
        const auto& v = query_vectors[static_cast<std::size_t>(q)];
        const auto start = Clock::now();
        std::vector<std::pair<float, std::uint64_t>> exact;
        exact.reserve(chunks);
        for (std::size_t i = 0; i < chunks; ++i)
          exact.emplace_back(-infra::Dot(v.data(), vectors[i].data(), dims), i * 2 + 1);
        std::partial_sort(exact.begin(), exact.begin() + 10, exact.end());
        exact_ms.push_back(Seconds(Clock::now() - start) * 1000);
        std::set<std::uint64_t> truth;
        for (int i = 0; i < 10; ++i) truth.insert(exact[static_cast<std::size_t>(i)].second);
        for (const auto& hit : graph->Search(v, 10, {})) found += truth.count(hit.key);
      }
      // Hybrid queries: text from the corpus' sentences, vector from the model.
      std::vector<double> hybrid_ms;
      std::vector<double> hybrid_cpu_ms;
      std::vector<double> dense_ms;
      std::vector<double> dense_cpu_ms;
      std::vector<double> sparse_ms;
      for (int q = 0; q < queries; ++q) {
        const std::string text = sentences[pick(random)].substr(0, 60);
        knowledge::SearchQuery query;
        query.text = text;
        query.vector = query_vectors[static_cast<std::size_t>(q)];
        query.k = 5;
        query.tenant_id = "t";
        auto start = Clock::now();
        double cpu = ThreadCpuMs();
        auto hits = index.Search(query);
        hybrid_cpu_ms.push_back(ThreadCpuMs() - cpu);
        hybrid_ms.push_back(Seconds(Clock::now() - start) * 1000);
        start = Clock::now();
        cpu = ThreadCpuMs();
        graph->Search(query_vectors[static_cast<std::size_t>(q)], 50, {});
        dense_cpu_ms.push_back(ThreadCpuMs() - cpu);
        dense_ms.push_back(Seconds(Clock::now() - start) * 1000);
        query.vector.reset();
        start = Clock::now();
        hits = index.Search(query);
        sparse_ms.push_back(Seconds(Clock::now() - start) * 1000);
      }
      fmt::print(
          "| {} chunks x {} dims (build {:.0f} s{}, M {}, {}, ef {}, rerank {}) | hybrid p50 {:.3f} / p99 {:.3f} ms | "
          "BM25 "
          "only p50 {:.3f} / p99 {:.3f} ms | HNSW top-50 p50 {:.3f} / p99 {:.3f} ms | exact top-10 p50 {:.2f} ms | "
          "recall@10 {:.3f} | CPU time: hybrid p50 {:.3f} / p99 {:.3f} ms, HNSW top-50 p50 {:.3f} / p99 {:.3f} ms |\n",
          chunks, dims, build_s, cached ? " from cache" : "", graph->M(),
          dense_options.encoding == infra::VectorEncoding::kInt8 ? "int8" : "float32", ef, rerank,
          Percentile(hybrid_ms, 0.5), Percentile(hybrid_ms, 0.99), Percentile(sparse_ms, 0.5),
          Percentile(sparse_ms, 0.99), Percentile(dense_ms, 0.5), Percentile(dense_ms, 0.99), Percentile(exact_ms, 0.5),
          static_cast<double>(found) / (recall_queries * 10.0), Percentile(hybrid_cpu_ms, 0.5),
          Percentile(hybrid_cpu_ms, 0.99), Percentile(dense_cpu_ms, 0.5), Percentile(dense_cpu_ms, 0.99));
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"knowledge-base benchmarks"};
  app.require_subcommand(1);
  std::string file;
  int runs = 5;
  auto* pdf = app.add_subcommand("pdf", "PDF text vs pdftotext");
  pdf->add_option("file", file)->required();
  pdf->add_option("--runs", runs);
  bool headings = false;
  pdf->add_flag("--headings", headings, "also read each page's headings, as ingestion does");
  auto* ocr = app.add_subcommand("ocr", "OCR vs the tesseract command");
  std::string languages = "chi_sim+eng";
  ocr->add_option("file", file)->required();
  ocr->add_option("--runs", runs);
  ocr->add_option("--languages", languages);
  auto* query = app.add_subcommand("query", "hybrid query latency and HNSW recall");
  std::size_t chunks = 10000;
  std::size_t dims = 1024;
  int queries = 1000;
  std::vector<std::size_t> efs{128};
  std::string cache;
  DenseOptions dense;
  std::string encoding = "int8";
  query->add_option("--chunks", chunks);
  query->add_option("--dims", dims);
  query->add_option("--queries", queries);
  query->add_option("--ef", efs, "HNSW ef values to measure (the graph is built once)");
  query->add_option("--cache", cache, "save the built graph here, or load it when present");
  query->add_option("--ef-construction", dense.ef_construction);
  query->add_option("--m", dense.m, "HNSW links per node (a cached graph keeps its own)");
  query->add_option("--encoding", encoding, "vectors the graph searches: int8 or float32")
      ->check(CLI::IsMember({"int8", "float32"}));
  query->add_option("--rerank", dense.reranks, "int8: candidates re-ranked by float (0 = all ef of them)");
  CLI11_PARSE(app, argc, argv);
  dense.encoding = encoding == "int8" ? infra::VectorEncoding::kInt8 : infra::VectorEncoding::kFloat32;
  if (*pdf) return Pdf(file, runs, headings);
  if (*ocr) return Ocr(file, runs, languages);
  return Query(chunks, dims, queries, efs, dense, cache);
}
