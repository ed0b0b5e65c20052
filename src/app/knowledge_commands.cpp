#include "app/knowledge_commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <optional>

#include "app/commands.hpp"
#include "app/knowledge_setup.hpp"
#include "app/wiring.hpp"
#include "core/id_generator.hpp"
#include "core/read_file.hpp"
#include "core/run_sync.hpp"
#include "core/system_clock.hpp"
#include "core/utf8.hpp"
#include "llm/provider.hpp"

namespace salesboost::app {
namespace {

namespace asio = boost::asio;

std::vector<std::filesystem::path> Files(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> inside;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file()) inside.push_back(entry.path());
      }
      std::sort(inside.begin(), inside.end());
      out.insert(out.end(), inside.begin(), inside.end());
    } else {
      out.emplace_back(path);
    }
  }
  return out;
}

// "BM25 5.73 #1", or "BM25 -" when that list missed the passage.
std::string ListScore(std::string_view list, double score, int rank, int precision) {
  if (rank == 0) return fmt::format("{} -", list);
  return fmt::format("{} {:.{}f} #{}", list, score, precision, rank);
}

std::string Clip(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

// Everything a knowledge command needs, in destruction-safe order.
struct Session {
  explicit Session(const AppConfig& c) : config(c) {}
  const AppConfig& config;
  asio::io_context io;
  core::BlockingPool store_pool{1};
  core::SystemClock clock;
  core::MetricsRegistry metrics;
  core::Logger logger = core::Logger::Stdout(core::LogLevel::kError);
  std::unique_ptr<core::IdGenerator> ids = core::MakeRandomIdGenerator();
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<llm::ProviderSet> providers;
  std::unique_ptr<KnowledgeRuntime> runtime;
  ~Session() {
    if (providers) providers->CloseIdle();
  }
};

std::unique_ptr<Session> Open(const AppConfig& config) {
  auto session = std::make_unique<Session>(config);
  session->store = OpenMigratedStoreOrReport(config, session->store_pool);
  if (!session->store) return nullptr;
  session->providers = std::make_unique<llm::ProviderSet>(
      ProviderConfigs(config), net::HttpClientOptions{.extra_ca_file = config.llm.extra_ca_file}, session->clock,
      session->metrics, session->logger);
  session->runtime = std::make_unique<KnowledgeRuntime>(config, *session->store, *session->providers, session->clock,
                                                        *session->ids, session->logger, &session->metrics);
  auto loaded = core::RunOn(session->io, session->runtime->base.Load());
  if (!loaded) {
    std::fprintf(stderr, "error: cannot load the knowledge base: %s\n", loaded.error().message.c_str());
    return nullptr;
  }
  return session;
}

}  // namespace

int RunIngest(const ConfigInput& input, const IngestFlags& flags) {
  auto config = LoadResolvedOrReport(input);
  if (!config) return kExitConfigError;
  const auto files = Files(flags.paths);
  if (files.empty()) {
    std::fprintf(stderr, "error: no files in the given paths\n");
    return kExitConfigError;
  }
  auto session = Open(*config);
  if (!session) return kExitFailure;
  auto& base = session->runtime->base;
  if (session->runtime->embedder) {
    auto added = core::RunOn(session->io, base.Backfill());
    if (!added) std::fprintf(stderr, "warning: embeddings unavailable: %s\n", added.error().message.c_str());
  }
  const bool tty = isatty(STDERR_FILENO) != 0;
  std::vector<knowledge::FileOutcome> outcomes;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& path = files[i];
    const std::string name = path.filename().string();
    auto progress = [&](int done, int total) {
      if (!tty) return;
      const int width = 24;
      const int filled = total > 0 ? width * done / total : width;
      std::fprintf(stderr, "\r[%zu/%zu] %-32s [%s%s] %d/%d pages", i + 1, files.size(), Clip(name, 32).c_str(),
                   std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total);
      std::fflush(stderr);
    };
    if (tty) {
      std::fprintf(stderr, "\r[%zu/%zu] %-32s reading…", i + 1, files.size(), Clip(name, 32).c_str());
      std::fflush(stderr);
    }
    auto bytes = core::ReadWholeFile(path);
    knowledge::FileOutcome outcome;
    if (!bytes) {
      outcome.name = name;
      outcome.status = "failed";
      outcome.error = "cannot read " + path.string();
    } else {
      knowledge::IngestRequest request{.tenant_id = "default",
                                       .collection = flags.collection,
                                       .type = flags.type,
                                       .file = {name, std::move(*bytes)}};
      outcome = core::RunOn(session->io, base.Ingest(std::move(request), progress));
    }
    if (tty) std::fprintf(stderr, "\r\033[K");
    fmt::print("{}: {}{}\n", path.string(), outcome.status, outcome.error.empty() ? "" : " (" + outcome.error + ")");
    for (const auto& reason : outcome.route.reasons) fmt::print("    {}\n", reason);
    outcomes.push_back(std::move(outcome));
  }
  fmt::print(
      "\n| file | status | complexity | extractor | pages | OCR pages | chunks (parents/children) | vectors | "
      "seconds |\n|---|---|---|---|---|---|---|---|---|\n");
  int failed = 0;
  for (const auto& o : outcomes) {
    failed += o.status == "failed" ? 1 : 0;
    fmt::print("| {} | {} | {} | {} | {} | {} | {}/{} | {} | {:.2f} |\n", o.name, o.status,
               o.route.format.empty() ? "-" : std::string(knowledge::ComplexityName(o.route.complexity)),
               o.route.extractor.empty() ? "-" : o.route.extractor, o.pages, o.ocr_pages, o.parents, o.children,
               o.vectors, o.seconds);
  }
  const auto stats = base.Stats();
  fmt::print("\n{} files, {} failed; the knowledge base now has {} documents, {} chunks, {} vectors\n", outcomes.size(),
             failed, stats.documents, stats.children, stats.vectors);
  return failed == 0 ? kExitOk : kExitFailure;
}

int RunSearch(const ConfigInput& input, const SearchFlags& flags) {
  auto config = LoadResolvedOrReport(input);
  if (!config) return kExitConfigError;
  if (flags.k < 1 || flags.k > 50) {
    std::fprintf(stderr, "error: --k must be from 1 to 50\n");
    return kExitConfigError;
  }
  auto session = Open(*config);
  if (!session) return kExitFailure;
  knowledge::SearchRequest request{.tenant_id = "default",
                                   .text = flags.query,
                                   .k = static_cast<std::size_t>(flags.k),
                                   .collections = {},
                                   .type = flags.type,
                                   .language = flags.language};
  if (!flags.collection.empty()) request.collections.push_back(flags.collection);
  auto hits = core::RunOn(session->io, session->runtime->base.Find(std::move(request)));
  if (!hits) {
    std::fprintf(stderr, "error: %s\n", hits.error().message.c_str());
    return kExitFailure;
  }
  if (hits->empty()) fmt::print("no match\n");
  int rank = 0;
  for (const auto& hit : *hits) {
    // A PDF passage cites its pages, and the page of the matching text when it spans several.
    const std::string match =
        hit.paged && hit.last_page > hit.first_page ? fmt::format(" (match on p. {})", hit.page) : std::string();
    fmt::print("{}. {}{}{}\n   fused {:.4f} · {} · {}\n", ++rank, hit.citation, match,
               hit.heading.empty() ? "" : " · " + hit.heading, hit.score,
               ListScore("BM25", hit.sparse_score, hit.sparse_rank, 2),
               ListScore("cosine", hit.dense_score, hit.dense_rank, 3));
    std::string text = Clip(hit.text, 300);
    std::replace(text.begin(), text.end(), '\n', ' ');
    fmt::print("   {}\n", text);
  }
  return kExitOk;
}

}  // namespace salesboost::app
