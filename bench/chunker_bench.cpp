// Chunking throughput: the demo knowledge base (ten documents in Chinese and
// ten in English, product sheets, FAQs, playbooks, rules) chunked into
// parents and children with the default sizes, in MB of Markdown per second.
//
//   build/release/bench/bench_chunker
#include <benchmark/benchmark.h>

#include "brain/in_memory_knowledge.hpp"
#include "knowledge/text/chunker.hpp"

namespace {

using salesboost::knowledge::ChunkDocument;
using salesboost::knowledge::ExtractedDocument;

std::vector<ExtractedDocument> DemoDocuments(const std::string& language) {
  std::vector<ExtractedDocument> out;
  for (const auto& file : salesboost::brain::DemoKnowledgeFiles()) {
    if (!file.name.ends_with("." + language + ".md")) continue;
    out.push_back(ExtractedDocument{
        .id = std::string(file.name), .version = "1", .pages = {{.number = 1, .markdown = std::string(file.content)}}});
  }
  return out;
}

void Chunk(benchmark::State& state, const std::string& language) {
  const auto documents = DemoDocuments(language);
  std::size_t bytes = 0;
  for (const auto& d : documents) bytes += d.pages.front().markdown.size();
  std::size_t children = 0;
  for (auto _ : state) {
    for (const auto& d : documents) {
      auto chunks = ChunkDocument(d);
      children += chunks.children.size();
      benchmark::DoNotOptimize(chunks);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["children_per_pass"] = static_cast<double>(children) / static_cast<double>(state.iterations());
  state.counters["bytes_per_pass"] = static_cast<double>(bytes);
}

void BM_ChunkEnglish(benchmark::State& state) { Chunk(state, "en"); }
void BM_ChunkChinese(benchmark::State& state) { Chunk(state, "zh"); }
BENCHMARK(BM_ChunkEnglish);
BENCHMARK(BM_ChunkChinese);

}  // namespace

BENCHMARK_MAIN();
