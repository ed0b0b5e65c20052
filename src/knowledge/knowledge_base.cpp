#include "knowledge/knowledge_base.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "core/clock.hpp"

namespace salesboost::knowledge {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using storage::SqlValue;
using storage::Transaction;

std::string Fnv16(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", hash);
}

json::array ToJsonArray(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

json::object RouteJson(const Route& route) {
  return {{"format", route.format},
          {"complexity", std::string(ComplexityName(route.complexity))},
          {"extractor", route.extractor},
          {"reasons", ToJsonArray(route.reasons)}};
}

Route RouteFromJson(const json::value& value) {
  Route route;
  if (!value.is_object()) return route;
  const auto& o = value.get_object();
  auto text = [&](std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  route.format = text("format");
  route.extractor = text("extractor");
  const auto complexity = text("complexity");
  route.complexity = complexity == "MEDIUM"    ? Complexity::kMedium
                     : complexity == "HIGH"    ? Complexity::kHigh
                     : complexity == "EXTREME" ? Complexity::kExtreme
                                               : Complexity::kLow;
  if (const auto* reasons = o.if_contains("reasons"); reasons != nullptr && reasons->is_array()) {
    for (const auto& r : reasons->get_array()) {
      if (r.is_string()) route.reasons.emplace_back(r.get_string());
    }
  }
  return route;
}

FileOutcome OutcomeFromJson(const json::object& o) {
  FileOutcome out;
  auto text = [&](std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto number = [&](std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? v->to_number<double>() : 0.0;
  };
  out.name = text("name");
  out.status = text("status");
  out.error = text("error");
  out.document_id = text("document_id");
  out.version = text("version");
  if (const auto* route = o.if_contains("route")) out.route = RouteFromJson(*route);
  out.pages = static_cast<int>(number("pages"));
  out.ocr_pages = static_cast<int>(number("ocr_pages"));
  out.ocr_engine = text("ocr_engine");
  out.parents = static_cast<std::size_t>(number("parents"));
  out.children = static_cast<std::size_t>(number("children"));
  out.vectors = static_cast<std::size_t>(number("vectors"));
  out.seconds = number("seconds");
  return out;
}

std::string HeadingPathJson(const std::vector<std::string>& path) { return json::serialize(ToJsonArray(path)); }

std::vector<std::string> HeadingPathFromJson(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  const auto value = json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

core::Result<void> Exec(Transaction& tx, std::string_view sql, const std::vector<SqlValue>& params) {
  auto done = tx.Execute(sql, params);
  if (!done) return core::Fail(done.error());
  return core::Ok();
}

constexpr std::string_view kDocumentColumns =
    "id, collection, name, type, format, language, version, bytes, pages, route, created_at, updated_at";

json::object DocumentJson(const storage::SqlRow& row) {
  boost::system::error_code ec;
  auto route = json::parse(row.Text(9), ec);
  return {{"id", row.Text(0)},          {"collection", row.Text(1)},
          {"name", row.Text(2)},        {"type", row.Text(3)},
          {"format", row.Text(4)},      {"language", row.Text(5)},
          {"version", row.Text(6)},     {"bytes", row.Int(7)},
          {"pages", row.Int(8)},        {"route", ec ? json::value() : std::move(route)},
          {"created_at", row.Text(10)}, {"updated_at", row.Text(11)}};
}

}  // namespace

std::string DocumentId(const std::string& tenant_id, const std::string& collection, const std::string& name) {
  return "doc_" + Fnv16(tenant_id + '\0' + collection + '\0' + name);
}

std::string ContentVersion(std::string_view bytes) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (const auto byte : hash) out += fmt::format("{:02x}", byte);
  return out;
}

json::object FileOutcome::ToJson() const {
  json::object out{{"name", name},           {"status", status},          {"document_id", document_id},
                   {"version", version},     {"route", RouteJson(route)}, {"pages", pages},
                   {"ocr_pages", ocr_pages}, {"parents", parents},        {"children", children},
                   {"vectors", vectors},     {"seconds", seconds}};
  if (!ocr_engine.empty()) out["ocr_engine"] = ocr_engine;
  if (!error.empty()) out["error"] = error;
  return out;
}

json::object JobView::ToJson() const {
  json::array list;
  std::size_t finished = 0;
  for (const auto& file : files) {
    json::object f{{"name", file.name}, {"pages_done", file.pages_done}, {"pages_total", file.pages_total}};
    if (file.outcome) {
      f = file.outcome->ToJson();
      ++finished;
    }
    list.emplace_back(std::move(f));
  }
  // Finished files count whole; the current one by its pages.
  double progress = static_cast<double>(finished);
  for (const auto& file : files) {
    if (!file.outcome && file.pages_total > 0) progress += static_cast<double>(file.pages_done) / file.pages_total;
  }
  progress = files.empty() ? 1.0 : progress / static_cast<double>(files.size());
  return {{"id", id},
          {"collection", collection},
          {"status", status},
          {"files_done", finished},
          {"files_total", files.size()},
          {"progress", progress},
          {"files", std::move(list)},
          {"created_at", created_at},
          {"updated_at", updated_at}};
}

struct KnowledgeBase::JobState {
  JobView view;
  std::string type;
  std::vector<SourceFile> sources;  // dropped once the job ends
};

KnowledgeBase::KnowledgeBase(KnowledgeOptions options, Deps deps)
    : options_(std::move(options)), deps_(std::move(deps)) {}

KnowledgeBase::~KnowledgeBase() = default;

std::string KnowledgeBase::Now() const { return core::IsoSeconds(deps_.clock.Now()); }

asio::awaitable<core::Result<void>> KnowledgeBase::Load() {
  struct Loaded {
    DocumentInfo info;
    std::vector<IndexedChunk> parents;
    std::vector<IndexedChunk> children;
  };
  std::vector<Loaded> documents;
  const std::string now = Now();
  auto loaded = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    if (auto done = Exec(tx,
                         "UPDATE knowledge_jobs SET status = 'failed', updated_at = ? "
                         "WHERE status IN ('queued', 'running')",
                         {now});
        !done) {
      return done;
    }
    auto docs =
        tx.Query("SELECT id, tenant_id, collection, name, type, language, version FROM knowledge_documents", {});
    if (!docs) return core::Fail(docs.error());
    std::map<std::string, std::size_t> slot;
    for (const auto& row : *docs) {
      slot[row.Text(0)] = documents.size();
      documents.push_back({DocumentInfo{.id = row.Text(0),
                                        .tenant_id = row.Text(1),
                                        .collection = row.Text(2),
                                        .name = row.Text(3),
                                        .type = row.Text(4),
                                        .language = row.Text(5),
                                        .version = row.Text(6)},
                           {},
                           {}});
    }
    auto chunks = tx.Query(
        "SELECT id, document_id, parent_id, page, heading_path, text, terms FROM knowledge_chunks "
        "ORDER BY document_id, begin_offset",
        {});
    if (!chunks) return core::Fail(chunks.error());
    for (const auto& row : *chunks) {
      const auto found = slot.find(row.Text(1));
      if (found == slot.end()) continue;
      IndexedChunk chunk{.id = row.Text(0),
                         .parent_id = row.IsNull(2) ? std::string() : row.Text(2),
                         .page = static_cast<int>(row.Int(3)),
                         .heading_path = HeadingPathFromJson(row.Text(4)),
                         .text = row.Text(5),
                         .terms = row.IsNull(6) ? TermCounts{} : DecodeTerms(row.Text(6))};
      auto& doc = documents[found->second];
      (chunk.parent_id.empty() ? doc.parents : doc.children).push_back(std::move(chunk));
    }
    return core::Ok();
  });
  if (!loaded) co_return loaded;
  for (auto& doc : documents) index_.Put(std::move(doc.info), std::move(doc.parents), std::move(doc.children));
  if (deps_.embedder != nullptr && !options_.dense_file.empty()) {
    // The saved graph is used only when it was built from the same model.
    std::ifstream meta(options_.dense_file.string() + ".meta");
    std::string model;
    std::size_t dimensions = 0;
    if (std::getline(meta, model) && meta >> dimensions && model == deps_.embedder->Model() && dimensions > 0) {
      auto dense = deps_.vectors.Load(options_.dense_file, dimensions);
      if (dense) {
        for (const auto key : (*dense)->Keys()) {
          if (!index_.HasChild(key)) (*dense)->Remove(key);  // chunks deleted after the last save
        }
        index_.SetDense(std::move(*dense));
      } else {
        deps_.logger.Warn("knowledge_dense_reset", {{"error", dense.error().message}});
      }
    }
  }
  const auto stats = index_.Stats();
  deps_.logger.Info("knowledge_loaded", {{"documents", static_cast<std::int64_t>(stats.documents)},
                                         {"children", static_cast<std::int64_t>(stats.children)},
                                         {"vectors", static_cast<std::int64_t>(stats.vectors)}});
  co_return core::Ok();
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::AddVectors(
    std::vector<std::pair<std::uint64_t, std::string>> todo) {
  std::size_t added = 0;
  for (std::size_t start = 0; start < todo.size(); start += options_.embed_batch) {
    const auto end = std::min(todo.size(), start + options_.embed_batch);
    std::vector<std::string> texts;
    for (std::size_t i = start; i < end; ++i) texts.push_back(todo[i].second);
    auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.embed_budget);
    if (!vectors) co_return core::Fail(vectors.error());
    if (vectors->size() != end - start || vectors->front().empty()) {
      co_return core::Fail(core::ErrorCode::kUnavailable, "embeddings: wrong number or size of vectors");
    }
    if (index_.Dense() == nullptr) index_.SetDense(deps_.vectors.Create(vectors->front().size()));
    // Graph inserts cost milliseconds each: on the workers, not the I/O thread.
    auto insert = [&]() -> core::Result<void> {
      for (std::size_t i = start; i < end; ++i) {
        if (!index_.HasChild(todo[i].first)) continue;  // deleted meanwhile
        if (auto done = index_.Dense()->Add(todo[i].first, std::move((*vectors)[i - start])); !done) return done;
        ++added;
      }
      return core::Ok();
    };
    if (auto inserted = co_await deps_.workers.Run(insert); !inserted) co_return core::Fail(inserted.error());
  }
  co_return added;
}

asio::awaitable<void> KnowledgeBase::SaveDense() {
  auto* dense = index_.Dense();
  if (dense == nullptr || options_.dense_file.empty() || deps_.embedder == nullptr) co_return;
  const std::string model = deps_.embedder->Model();
  auto save = [this, dense, &model]() -> core::Result<void> {
    std::lock_guard lock(dense_mutex_);
    std::filesystem::create_directories(options_.dense_file.parent_path());
    if (auto done = dense->Save(options_.dense_file); !done) return done;
    std::ofstream meta(options_.dense_file.string() + ".meta", std::ios::trunc);
    meta << model << '\n' << dense->Dimensions() << '\n';
    if (!meta) return core::Fail(core::ErrorCode::kUnavailable, "cannot write the dense index's metadata");
    return core::Ok();
  };
  auto saved = co_await deps_.workers.Run(save);
  if (!saved) deps_.logger.Warn("knowledge_dense_save_failed", {{"error", saved.error().message}});
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::Backfill() {
  if (deps_.embedder == nullptr) co_return std::size_t{0};
  auto todo = index_.MissingVectors();
  if (todo.empty()) co_return std::size_t{0};
  auto added = co_await AddVectors(std::move(todo));
  co_await SaveDense();
  if (added) deps_.logger.Info("knowledge_vectors_added", {{"count", static_cast<std::int64_t>(*added)}});
  co_return added;
}

asio::awaitable<FileOutcome> KnowledgeBase::Ingest(IngestRequest request, IngestProgress progress) {
  const auto started = std::chrono::steady_clock::now();
  FileOutcome out;
  out.name = request.file.name;
  auto fail = [&](const core::Error& error) {
    out.status = "failed";
    out.error = error.message;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    deps_.logger.Warn("knowledge_ingest_failed", {{"file", out.name}, {"error", error.message}});
    return out;
  };
  if (request.file.name.empty() || request.file.name.size() > 255) {
    co_return fail({core::ErrorCode::kInvalidArgument, "a file name of 1 to 255 bytes is required"});
  }
  out.document_id = DocumentId(request.tenant_id, request.collection, request.file.name);
  out.version = ContentVersion(request.file.bytes);
  // Unchanged, or the same content under another name: nothing to do.
  std::string same_as;
  auto seen = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT id, name, route, pages FROM knowledge_documents WHERE tenant_id = ? AND collection = ? "
        "AND version = ?",
        {request.tenant_id, request.collection, out.version});
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) {
      boost::system::error_code ec;
      out.route = RouteFromJson(json::parse(row.Text(2), ec));
      out.pages = static_cast<int>(row.Int(3));
      same_as = row.Text(0) == out.document_id ? std::string("=") : row.Text(1);
      if (same_as == "=") break;
    }
    return core::Ok();
  });
  if (!seen) co_return fail(seen.error());
  if (!same_as.empty()) {
    out.status = same_as == "=" ? "unchanged" : "duplicate";
    if (same_as != "=") out.error = "same content as " + same_as;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    co_return out;
  }
  // The router opens PDFs and images once and hands them to the extractor.
  const DocumentReaders readers{.pdf = deps_.pdf, .images = deps_.images};
  auto route_file = [&] { return RouteFile(request.file, options_.limits, readers); };
  auto routed = co_await deps_.workers.Run(route_file);
  if (!routed) co_return fail(routed.error());
  auto route = std::make_optional(routed->route);
  out.route = *route;
  const ExtractDeps extract_deps{
      .workers = deps_.workers, .ocr = deps_.ocr, .limits = options_.limits, .ocr_lanes = options_.ocr_lanes};
  const std::string name = request.file.name;
  const auto bytes = static_cast<std::int64_t>(request.file.bytes.size());
  auto extract = Extract(std::move(request.file), std::move(*routed), extract_deps, progress);
  auto extraction = co_await std::move(extract);
  if (!extraction) co_return fail(extraction.error());
  out.pages = static_cast<int>(extraction->pages.size());
  out.ocr_pages = extraction->ocr_pages;
  out.ocr_engine = extraction->ocr_engine;
  // What extraction found joins the routing reasons kept with the document.
  if (!extraction->encoding.empty()) route->reasons.push_back("text encoding " + extraction->encoding);
  if (extraction->ocr_pages > 0) {
    route->reasons.push_back(fmt::format("{} page{} OCRed by {}, mean confidence {:.0f}", extraction->ocr_pages,
                                         extraction->ocr_pages == 1 ? "" : "s", extraction->ocr_engine,
                                         extraction->ocr_confidence));
  }
  out.route = *route;
  struct Prepared {
    Chunks chunks;
    std::vector<TermCounts> terms;
    std::string language;
  };
  ExtractedDocument document{.id = out.document_id, .version = out.version, .pages = std::move(extraction->pages)};
  auto prepared = co_await deps_.workers.Run([&] {
    Prepared p;
    p.chunks = ChunkDocument(document, options_.chunking);
    p.terms.reserve(p.chunks.children.size());
    for (const auto& child : p.chunks.children) {
      const std::string heading = child.heading_path.empty() ? std::string() : child.heading_path.back();
      p.terms.push_back(CountTerms(heading + "\n" + child.text));
    }
    p.language = name.ends_with(".zh.md") ? "zh" : name.ends_with(".en.md") ? "en" : DetectLanguage(document.Text());
    return p;
  });
  if (prepared.chunks.children.empty()) {
    co_return fail({core::ErrorCode::kInvalidArgument, "no text found (empty document or unreadable scan)"});
  }
  out.parents = prepared.chunks.parents.size();
  out.children = prepared.chunks.children.size();
  const std::string now = Now();
  const std::string type = !request.type.empty() ? request.type : extraction->type;
  const std::string route_json = json::serialize(RouteJson(*route));
  auto committed = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    if (auto done = Exec(tx, "DELETE FROM knowledge_chunks WHERE document_id = ?", {out.document_id}); !done) {
      return done;
    }
    auto existing = tx.Query("SELECT created_at FROM knowledge_documents WHERE id = ?", {out.document_id});
    if (!existing) return core::Fail(existing.error());
    const std::string created = existing->empty() ? now : existing->front().Text(0);
    if (auto done = Exec(tx, "DELETE FROM knowledge_documents WHERE id = ?", {out.document_id}); !done) return done;
    if (auto done =
            Exec(tx,
                 "INSERT INTO knowledge_documents (id, tenant_id, collection, name, type, format, language, "
                 "version, bytes, pages, route, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {out.document_id, request.tenant_id, request.collection, name, type, route->format, prepared.language,
                  out.version, bytes, static_cast<std::int64_t>(out.pages), route_json, created, now});
        !done) {
      return done;
    }
    auto insert = [&](const Chunk& chunk, const TermCounts* terms) {
      return Exec(tx,
                  "INSERT INTO knowledge_chunks (id, document_id, parent_id, page, heading_path, begin_offset, "
                  "end_offset, tokens, text, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {chunk.id, out.document_id, chunk.parent_id.empty() ? SqlValue(nullptr) : SqlValue(chunk.parent_id),
                   static_cast<std::int64_t>(chunk.page), HeadingPathJson(chunk.heading_path),
                   static_cast<std::int64_t>(chunk.begin), static_cast<std::int64_t>(chunk.end),
                   static_cast<std::int64_t>(chunk.tokens), chunk.text,
                   terms == nullptr ? SqlValue(nullptr) : SqlValue(EncodeTerms(*terms))});
    };
    for (const auto& parent : prepared.chunks.parents) {
      if (auto done = insert(parent, nullptr); !done) return done;
    }
    for (std::size_t i = 0; i < prepared.chunks.children.size(); ++i) {
      if (auto done = insert(prepared.chunks.children[i], &prepared.terms[i]); !done) return done;
    }
    return core::Ok();
  });
  if (!committed) co_return fail(committed.error());
  auto to_indexed = [](Chunk& chunk, TermCounts terms) {
    return IndexedChunk{.id = std::move(chunk.id),
                        .parent_id = std::move(chunk.parent_id),
                        .page = chunk.page,
                        .heading_path = std::move(chunk.heading_path),
                        .text = std::move(chunk.text),
                        .terms = std::move(terms)};
  };
  std::vector<IndexedChunk> parents;
  std::vector<IndexedChunk> children;
  std::vector<std::uint64_t> keys;
  for (auto& parent : prepared.chunks.parents) parents.push_back(to_indexed(parent, {}));
  for (std::size_t i = 0; i < prepared.chunks.children.size(); ++i) {
    keys.push_back(ChunkKey(prepared.chunks.children[i].id));
    children.push_back(to_indexed(prepared.chunks.children[i], std::move(prepared.terms[i])));
  }
  index_.Put(DocumentInfo{.id = out.document_id,
                          .tenant_id = request.tenant_id,
                          .collection = request.collection,
                          .name = name,
                          .type = type,
                          .language = prepared.language,
                          .version = out.version},
             std::move(parents), std::move(children));
  if (deps_.embedder != nullptr) {
    // The new children's vectors (and any others missing); an embeddings outage leaves them for later.
    auto added = co_await Backfill();
    if (!added) deps_.logger.Warn("knowledge_embed_deferred", {{"file", out.name}, {"error", added.error().message}});
    if (const auto* dense = index_.Dense()) {
      out.vectors = static_cast<std::size_t>(
          std::count_if(keys.begin(), keys.end(), [dense](std::uint64_t key) { return dense->Contains(key); }));
    }
  }
  out.status = "indexed";
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  deps_.logger.Info("knowledge_ingested", {{"file", out.name},
                                           {"document_id", out.document_id},
                                           {"complexity", std::string(ComplexityName(route->complexity))},
                                           {"extractor", route->extractor},
                                           {"pages", out.pages},
                                           {"children", static_cast<std::int64_t>(out.children)},
                                           {"seconds", out.seconds}});
  co_return out;
}

asio::awaitable<core::Result<void>> KnowledgeBase::SaveJob(const JobView& job) {
  json::array files;
  for (const auto& file : job.files) {
    files.emplace_back(file.outcome ? file.outcome->ToJson() : json::object{{"name", file.name}});
  }
  const std::string files_json = json::serialize(files);
  co_return co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    auto updated = tx.Execute("UPDATE knowledge_jobs SET status = ?, files = ?, updated_at = ? WHERE id = ?",
                              {job.status, files_json, job.updated_at, job.id});
    if (!updated) return core::Fail(updated.error());
    if (*updated > 0) return core::Ok();
    return Exec(tx,
                "INSERT INTO knowledge_jobs (id, tenant_id, collection, status, files, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                {job.id, job.tenant_id, job.collection, job.status, files_json, job.created_at, job.updated_at});
  });
}

asio::awaitable<core::Result<std::string>> KnowledgeBase::Submit(std::string tenant_id, std::string collection,
                                                                 std::string type, std::vector<SourceFile> files) {
  if (files.empty()) co_return core::Fail(core::ErrorCode::kInvalidArgument, "no files");
  auto job = std::make_shared<JobState>();
  job->view.id = "job_" + deps_.ids.Next();
  job->view.tenant_id = std::move(tenant_id);
  job->view.collection = std::move(collection);
  job->view.status = "queued";
  job->view.created_at = job->view.updated_at = Now();
  for (const auto& file : files)
    job->view.files.push_back(JobFile{.name = file.name, .pages_done = 0, .pages_total = 0, .outcome = std::nullopt});
  job->type = std::move(type);
  job->sources = std::move(files);
  if (auto saved = co_await SaveJob(job->view); !saved) co_return core::Fail(saved.error());
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    jobs_[job->view.id] = job;
    queue_.push_back(job);
    start = !std::exchange(running_, true);
  }
  if (start) asio::co_spawn(co_await asio::this_coro::executor, RunJobs(), asio::detached);
  co_return job->view.id;
}

asio::awaitable<void> KnowledgeBase::RunJobs() {
  while (true) {
    std::shared_ptr<JobState> job;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        running_ = false;
        co_return;
      }
      job = queue_.front();
      queue_.pop_front();
      job->view.status = "running";
    }
    bool all_failed = true;
    for (std::size_t i = 0; i < job->sources.size(); ++i) {
      IngestRequest request{.tenant_id = job->view.tenant_id,
                            .collection = job->view.collection,
                            .type = job->type,
                            .file = std::move(job->sources[i])};
      auto progress = [this, job, i](int done, int total) {
        std::lock_guard lock(mutex_);
        job->view.files[i].pages_done = done;
        job->view.files[i].pages_total = total;
      };
      auto outcome = co_await Ingest(std::move(request), progress);
      all_failed = all_failed && outcome.status == "failed";
      JobView snapshot;
      {
        std::lock_guard lock(mutex_);
        job->view.files[i].outcome = std::move(outcome);
        job->view.updated_at = Now();
        if (i + 1 == job->sources.size()) job->view.status = all_failed ? "failed" : "done";
        snapshot = job->view;
      }
      if (auto saved = co_await SaveJob(snapshot); !saved) {
        deps_.logger.Error("knowledge_job_save_failed", {{"job", snapshot.id}, {"error", saved.error().message}});
      }
    }
    std::lock_guard lock(mutex_);
    job->sources.clear();
    // Finished jobs are read from the store from now on.
    jobs_.erase(job->view.id);
  }
}

asio::awaitable<core::Result<JobView>> KnowledgeBase::Job(std::string tenant_id, std::string job_id) {
  {
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(job_id);
    if (found != jobs_.end() && found->second->view.tenant_id == tenant_id) co_return found->second->view;
  }
  JobView view;
  auto read = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT id, collection, status, files, created_at, updated_at FROM knowledge_jobs "
        "WHERE tenant_id = ? AND id = ?",
        {tenant_id, job_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no job " + job_id);
    const auto& row = rows->front();
    view.id = row.Text(0);
    view.tenant_id = tenant_id;
    view.collection = row.Text(1);
    view.status = row.Text(2);
    view.created_at = row.Text(4);
    view.updated_at = row.Text(5);
    boost::system::error_code ec;
    const auto files = json::parse(row.Text(3), ec);
    if (ec || !files.is_array()) return core::Fail(core::ErrorCode::kInternal, "stored job is corrupt");
    for (const auto& file : files.get_array()) {
      if (!file.is_object()) continue;
      JobFile entry;
      auto outcome = OutcomeFromJson(file.get_object());
      entry.name = outcome.name;
      if (!outcome.status.empty()) {
        entry.pages_done = entry.pages_total = outcome.pages;
        entry.outcome = std::move(outcome);
      }
      view.files.push_back(std::move(entry));
    }
    return core::Ok();
  });
  if (!read) co_return core::Fail(read.error());
  co_return view;
}

asio::awaitable<core::Result<std::vector<json::object>>> KnowledgeBase::Documents(std::string tenant_id,
                                                                                  std::string collection) {
  std::vector<json::object> out;
  auto read = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    const std::string sql =
        fmt::format("SELECT {} FROM knowledge_documents WHERE tenant_id = ?{} ORDER BY collection, name",
                    kDocumentColumns, collection.empty() ? "" : " AND collection = ?");
    std::vector<SqlValue> params{tenant_id};
    if (!collection.empty()) params.emplace_back(collection);
    auto rows = tx.Query(sql, params);
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) out.push_back(DocumentJson(row));
    return core::Ok();
  });
  if (!read) co_return core::Fail(read.error());
  co_return out;
}

asio::awaitable<core::Result<json::object>> KnowledgeBase::Document(std::string tenant_id, std::string document_id) {
  json::object out;
  auto read = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    auto rows =
        tx.Query(fmt::format("SELECT {} FROM knowledge_documents WHERE tenant_id = ? AND id = ?", kDocumentColumns),
                 {tenant_id, document_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no document " + document_id);
    out = DocumentJson(rows->front());
    auto counts = tx.Query(
        "SELECT SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) FROM knowledge_chunks "
        "WHERE document_id = ?",
        {document_id});
    if (!counts) return core::Fail(counts.error());
    const auto& row = counts->front();
    out["parents"] = row.IsNull(0) ? 0 : row.Int(0);
    out["children"] = row.IsNull(1) ? 0 : row.Int(1);
    return core::Ok();
  });
  if (!read) co_return core::Fail(read.error());
  co_return out;
}

asio::awaitable<core::Result<void>> KnowledgeBase::Delete(std::string tenant_id, std::string document_id) {
  auto deleted = co_await deps_.store.Transact([&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT 1 FROM knowledge_documents WHERE tenant_id = ? AND id = ?", {tenant_id, document_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no document " + document_id);
    if (auto done = Exec(tx, "DELETE FROM knowledge_chunks WHERE document_id = ?", {document_id}); !done) return done;
    return Exec(tx, "DELETE FROM knowledge_documents WHERE id = ?", {document_id});
  });
  if (!deleted) co_return deleted;
  index_.Remove(document_id);
  co_await SaveDense();
  deps_.logger.Info("knowledge_deleted", {{"document_id", document_id}});
  co_return core::Ok();
}

asio::awaitable<core::Result<std::vector<SearchHit>>> KnowledgeBase::Find(SearchRequest request) {
  SearchQuery query{.text = std::move(request.text),
                    .vector = std::nullopt,
                    .k = request.k,
                    .tenant_id = std::move(request.tenant_id),
                    .collection = std::move(request.collection),
                    .type = std::move(request.type),
                    .language = std::move(request.language),
                    .rrf_k = options_.rrf_k,
                    .sparse_weight = options_.sparse_weight,
                    .dense_weight = options_.dense_weight,
                    .candidates = std::max(options_.candidates, request.k)};
  if (deps_.embedder != nullptr && index_.Dense() != nullptr) {
    std::vector<std::string> texts{query.text};
    auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.query_embed_budget);
    if (vectors && vectors->size() == 1) query.vector = std::move(vectors->front());
  }
  co_return index_.Search(query);
}

asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> KnowledgeBase::Search(std::string query,
                                                                                             std::string language,
                                                                                             int k) {
  SearchRequest request{.tenant_id = options_.agent_tenant,
                        .text = std::move(query),
                        .k = static_cast<std::size_t>(std::max(k, 0)),
                        .collection = {},
                        .type = {},
                        .language = std::move(language)};
  auto hits = co_await Find(std::move(request));
  if (!hits) co_return core::Fail(hits.error());
  std::vector<conversation::KnowledgeHit> out;
  for (auto& hit : *hits) {
    out.push_back(conversation::KnowledgeHit{.text = std::move(hit.text),
                                             .source = std::move(hit.source),
                                             .heading = std::move(hit.heading),
                                             .type = std::move(hit.type),
                                             .score = hit.score,
                                             .lexical_score = hit.sparse_score,
                                             .page = hit.page});
  }
  co_return out;
}

}  // namespace salesboost::knowledge
