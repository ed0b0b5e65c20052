// The offline turn pipeline on one core, without I/O or storage: classify the
// trainee's message, let the customer decide its reply, split it into deltas,
// coach (with knowledge search), check compliance of both sides and score.
// Google Benchmark; results in docs/benchmarks.md.
//
//   build/release/bench/bench_turn_pipeline [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include "app/run_sync.hpp"
#include "brain/heuristic_evaluator.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/in_memory_knowledge.hpp"
#include "brain/models.hpp"
#include "brain/offline_coach.hpp"
#include "brain/offline_npc.hpp"
#include "brain/rule_compliance.hpp"
#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"

namespace {

using namespace salesboost;
namespace json = boost::json;

const std::vector<std::pair<std::string, std::string>> kMessages = {
    {"en", "How do you follow up with customers who visit your stores today?"},
    {"en", "I understand your concern. Most stores pay back the cost within three months."},
    {"zh", "我们的系统会自动提醒跟进，不会漏掉客户。"},
    {"zh", "要不要先在一家店试用？"},
};

struct Fixture {
  Fixture() {
    auto bundle = catalog::ParseCourseFile(*core::FindEmbeddedFile(catalog::DemoCourseFiles(), "crm-essentials.json"));
    scenario = bundle->scenarios.front().document;
    persona = bundle->personas.front().document;
  }
  json::object scenario;
  json::object persona;
  brain::HybridActClassifier classifier{*brain::LoadBuiltinModel("sales")};
  brain::InMemoryKnowledge knowledge{brain::DemoKnowledgeFiles()};
  brain::OfflineCoach coach{knowledge};
  brain::RuleCompliance compliance{{}};
};

void BM_OfflineTurn(benchmark::State& state) {
  Fixture f;
  conversation::Session session;
  conversation::CustomerState customer;
  customer.revealed = {"follow-up"};
  customer.raised = {"price"};
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    session.language = language;
    conversation::TurnContext turn{.session = session,
                                   .scenario = f.scenario,
                                   .persona = f.persona,
                                   .stage = conversation::Stage::kProductIntro,
                                   .customer = customer,
                                   .history = {},
                                   .turn_id = "t",
                                   .text = text,
                                   .act = f.classifier.Classify(text, language),
                                   .turn_index = 3,
                                   .seed = 42};
    auto reply = brain::OfflineNpc::Decide(turn);
    benchmark::DoNotOptimize(brain::SplitDeltas(reply.text));
    benchmark::DoNotOptimize(app::RunSync(f.coach.Advise(turn)));
    benchmark::DoNotOptimize(f.compliance.Evaluate(text));
    benchmark::DoNotOptimize(f.compliance.Evaluate(reply.text));
    benchmark::DoNotOptimize(brain::HeuristicEvaluator::Evaluate(turn));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OfflineTurn);

void BM_Classify(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    benchmark::DoNotOptimize(f.classifier.Classify(text, language));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Classify);

void BM_KnowledgeSearch(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    benchmark::DoNotOptimize(f.knowledge.Find(text, language, 2));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KnowledgeSearch);

}  // namespace

BENCHMARK_MAIN();
