// The offline turn pipeline on one core, without I/O or storage: the
// production TurnPipeline over the offline agents (classify the trainee's
// message, the act's stage transition, the customer's reply streamed as
// deltas, the coach with knowledge search, compliance of both sides, the
// evaluation, and the committed tail of events). Google Benchmark; results in
// docs/benchmarks.md.
//
//   build/release/bench/bench_turn_pipeline [--benchmark_filter=...]

#include <benchmark/benchmark.h>

#include "brain/agent_factory.hpp"
#include "brain/hybrid_act_classifier.hpp"
#include "brain/in_memory_knowledge.hpp"
#include "brain/models.hpp"
#include "catalog/course_file.hpp"
#include "catalog/demo_catalog.hpp"
#include "conversation/turn_pipeline.hpp"
#include "core/run_sync.hpp"

namespace {

using namespace salesboost;
namespace json = boost::json;

// Each iteration's message is made unique (a number appended), as real turns are: the conduct rules
// remember a thread's last few texts, and a benchmark repeating four texts would measure that memory.
std::string Unique(const std::string& text, std::size_t i) { return text + " " + std::to_string(i); }

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
    collections = catalog::CourseCollections(bundle->course);
  }
  json::object scenario;
  json::object persona;
  std::vector<std::string> collections;
  brain::HybridActClassifier classifier{*brain::LoadBuiltinModel("sales")};
  brain::InMemoryKnowledge knowledge{brain::DemoKnowledgeFiles()};
};

// Provisional events go nowhere: the benchmark measures the turn, not delivery.
class DiscardingEmitter final : public conversation::TurnEmitter {
 public:
  boost::asio::awaitable<core::Result<void>> Emit(std::vector<conversation::NewEvent> events) override {
    benchmark::DoNotOptimize(events.data());
    co_return core::Ok();
  }
};

void BM_OfflineTurn(benchmark::State& state) {
  Fixture f;
  brain::AgentOptions options;
  options.npc_delta_interval = std::chrono::milliseconds(0);
  auto agents = brain::MakeAgents(options);
  if (!agents) {
    state.SkipWithError(agents.error().message.c_str());
    return;
  }
  core::MetricsRegistry metrics;
  conversation::TurnPipeline pipeline({}, *agents, metrics);
  DiscardingEmitter emitter;
  conversation::Session session;
  conversation::ConversationState conversation;
  conversation.stage = conversation::Stage::kProductIntro;
  conversation.customer.revealed = {"follow-up"};
  conversation.customer.raised = {"price"};
  conversation.turns = 2;
  conversation.seed = 42;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    session.language = language;
    auto plan = pipeline.Begin(session, f.scenario, f.persona, conversation, "t", Unique(text, i));
    plan.context.collections = f.collections;
    const auto parts = core::RunSync(pipeline.Run(plan, emitter, std::chrono::steady_clock::now()));
    benchmark::DoNotOptimize(conversation::TurnPipeline::Conclude(plan, parts, conversation));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OfflineTurn);

void BM_Classify(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    benchmark::DoNotOptimize(f.classifier.Classify(Unique(text, i), language));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Classify);

void BM_KnowledgeSearch(benchmark::State& state) {
  Fixture f;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [language, text] = kMessages[i++ % kMessages.size()];
    benchmark::DoNotOptimize(
        f.knowledge.Find({.text = text, .language = language, .k = 2, .collections = f.collections}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KnowledgeSearch);

}  // namespace

BENCHMARK_MAIN();
