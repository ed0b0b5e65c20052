#include "knowledge/knowledge_base.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "knowledge/document_identity.hpp"

namespace salesboost::knowledge {
namespace {

namespace asio = boost::asio;

IndexedChunk ToIndexed(const Chunk& chunk, TermCounts terms) {
  return IndexedChunk{.id = chunk.id,
                      .parent_id = chunk.parent_id,
                      .page = chunk.page,
                      .page_end = chunk.page_end,
                      .heading_path = chunk.heading_path,
                      .text = chunk.text,
                      .terms = std::move(terms)};
}

}  // namespace

KnowledgeBase::KnowledgeBase(KnowledgeOptions options, Deps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      repository_(deps_.store),
      pipeline_(
          IngestOptions{.chunking = options_.chunking, .limits = options_.limits, .ocr_lanes = options_.ocr_lanes},
          IngestPipeline::Deps{.workers = deps_.workers,
                               .ocr = deps_.ocr,
                               .pdf = deps_.pdf,
                               .images = deps_.images,
                               .clock = deps_.clock}),
      dense_(DenseOptions{.file = options_.dense_file,
                          .embed_batch = options_.embed_batch,
                          .embed_budget = options_.embed_budget,
                          .query_embed_budget = options_.query_embed_budget},
             DenseVectors::Deps{.index = index_,
                                .embedder = deps_.embedder,
                                .vectors = deps_.vectors,
                                .workers = deps_.workers,
                                .logger = deps_.logger}),
      jobs_(IngestJobs::Deps{.repository = repository_,
                             .clock = deps_.clock,
                             .ids = deps_.ids,
                             .logger = deps_.logger,
                             .ingest = [this](IngestRequest request, IngestProgress progress) {
                               return Ingest(std::move(request), std::move(progress));
                             }}) {}

KnowledgeBase::~KnowledgeBase() = default;

std::string KnowledgeBase::Now() const { return core::IsoSeconds(deps_.clock.Now()); }

asio::awaitable<core::Result<void>> KnowledgeBase::Load() {
  if (auto failed = co_await repository_.FailUnfinishedJobs(Now()); !failed) co_return failed;
  auto documents = co_await repository_.LoadAll();
  if (!documents) co_return core::Fail(documents.error());
  for (auto& doc : *documents) index_.Put(std::move(doc.info), std::move(doc.parents), std::move(doc.children));
  if (deps_.vector_store == nullptr) dense_.Load();
  const auto stats = index_.Stats();
  deps_.logger.Info("knowledge_loaded", {{"documents", static_cast<std::int64_t>(stats.documents)},
                                         {"children", static_cast<std::int64_t>(stats.children)},
                                         {"vectors", static_cast<std::int64_t>(stats.vectors)}});
  co_return core::Ok();
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::Backfill() {
  if (deps_.vector_store == nullptr) co_return co_await dense_.Backfill();
  auto synced = co_await SyncRemote();
  if (!synced) co_return synced;
  if (options_.remote_lexical) {
    if (auto refreshed = co_await RefreshLexical(); !refreshed) co_return core::Fail(refreshed.error());
  }
  co_return synced;
}

asio::awaitable<core::Result<void>> KnowledgeBase::RefreshLexical() {
  if (deps_.vector_store == nullptr) co_return core::Ok();
  std::vector<VectorPoint> points;
  for (const auto& id : index_.DocumentIds()) {
    {
      std::lock_guard lock(remote_mutex_);
      if (pending_.contains(id)) continue;
    }
    for (auto& child : index_.PointsOf(id)) points.push_back(std::move(child.point));
  }
  co_return co_await deps_.vector_store->UpdateLexical(std::move(points));
}

std::size_t KnowledgeBase::PendingRemote() const {
  std::lock_guard lock(remote_mutex_);
  return pending_.size();
}

asio::awaitable<core::Result<void>> KnowledgeBase::PrepareRemote() {
  {
    std::lock_guard lock(remote_mutex_);
    if (remote_ready_) co_return core::Ok();
  }
  std::size_t dimensions = 0;
  if (deps_.embedder != nullptr) {
    // The embeddings' size, from the model itself.
    std::vector<std::string> probe{"dimensions"};
    auto vectors = co_await deps_.embedder->Embed(std::move(probe), options_.query_embed_budget);
    if (!vectors) co_return core::Fail(vectors.error());
    if (vectors->size() != 1 || vectors->front().empty()) {
      co_return core::Fail(core::ErrorCode::kInternal, "the embeddings provider returned no vector");
    }
    dimensions = vectors->front().size();
  }
  auto created = co_await deps_.vector_store->Prepare(dimensions);
  if (!created) co_return core::Fail(created.error());
  std::lock_guard lock(remote_mutex_);
  remote_ready_ = true;
  if (*created) {
    // A new collection: every document goes in.
    for (auto& id : index_.DocumentIds()) {
      auto points = index_.PointsOf(id);
      if (!points.empty()) pending_.emplace(std::move(id), points.front().point.tenant_id);
    }
  }
  co_return core::Ok();
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::PushDocument(std::string tenant_id, std::string document_id) {
  // One write of a document at a time: a later one waits for the running one, then writes the index as it is.
  while (true) {
    {
      std::lock_guard lock(remote_mutex_);
      if (writing_.insert(document_id).second) break;
    }
    asio::steady_timer wait(co_await asio::this_coro::executor, std::chrono::milliseconds(5));
    co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  // Released however the write ends (a destroyed coroutine frame included).
  struct Release {
    KnowledgeBase* self;
    const std::string& id;
    ~Release() {
      std::lock_guard lock(self->remote_mutex_);
      self->writing_.erase(id);
    }
  } release{this, document_id};
  co_return co_await WriteDocument(std::move(tenant_id), document_id);
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::WriteDocument(std::string tenant_id,
                                                                        std::string document_id) {
  auto ready = co_await PrepareRemote();
  if (!ready) co_return core::Fail(ready.error());
  auto children = index_.PointsOf(document_id);
  // The points of an earlier version have other keys: they go first.
  auto deleted = co_await deps_.vector_store->DeleteDocument(tenant_id, document_id);
  if (!deleted) co_return core::Fail(deleted.error());
  bool complete = true;
  std::size_t dense = 0;
  if (deps_.embedder != nullptr) {
    const std::size_t batch = std::max<std::size_t>(options_.embed_batch, 1);
    for (std::size_t begin = 0; begin < children.size() && complete; begin += batch) {
      const auto end = std::min(children.size(), begin + batch);
      std::vector<std::string> texts;
      texts.reserve(end - begin);
      for (std::size_t i = begin; i < end; ++i) texts.push_back(children[i].text);
      auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.embed_budget);
      if (!vectors || vectors->size() != end - begin) {
        // The points go in without dense vectors (the lexical list finds them); the document stays pending.
        deps_.logger.Warn("knowledge_embed_deferred",
                          {{"document_id", document_id},
                           {"error", vectors ? std::string("wrong number of vectors") : vectors.error().message}});
        complete = false;
        break;
      }
      for (std::size_t i = begin; i < end; ++i) children[i].point.dense = std::move((*vectors)[i - begin]);
      dense += end - begin;
    }
  }
  std::vector<VectorPoint> points;
  points.reserve(children.size());
  for (auto& child : children) points.push_back(std::move(child.point));
  auto written = co_await deps_.vector_store->Upsert(std::move(points));
  if (!written) co_return core::Fail(written.error());
  std::lock_guard lock(remote_mutex_);
  if (complete) {
    pending_.erase(document_id);
  } else {
    pending_.emplace(document_id, tenant_id);
  }
  co_return dense;
}

asio::awaitable<core::Result<std::size_t>> KnowledgeBase::SyncRemote() {
  auto ready = co_await PrepareRemote();
  if (!ready) co_return core::Fail(ready.error());
  std::map<std::string, std::string> todo;
  {
    std::lock_guard lock(remote_mutex_);
    todo = pending_;
  }
  std::size_t dense = 0;
  for (auto& [document_id, tenant_id] : todo) {
    auto pushed = co_await PushDocument(tenant_id, document_id);
    if (!pushed) co_return core::Fail(pushed.error());
    dense += *pushed;
  }
  co_return dense;
}

asio::awaitable<std::optional<std::vector<float>>> KnowledgeBase::RemoteQueryVector(std::string text) {
  if (deps_.embedder == nullptr || options_.dense_weight <= 0) co_return std::nullopt;
  std::vector<std::string> texts{std::move(text)};
  auto vectors = co_await deps_.embedder->Embed(std::move(texts), options_.query_embed_budget);
  if (!vectors || vectors->size() != 1) co_return std::nullopt;
  co_return std::move(vectors->front());
}

asio::awaitable<FileOutcome> KnowledgeBase::Ingest(IngestRequest request, IngestProgress progress) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  FileOutcome out;
  out.name = request.file.name;
  auto fail = [&](const core::Error& error) {
    out.status = "failed";
    out.error = error.message;
    out.seconds = elapsed();
    deps_.logger.Warn("knowledge_ingest_failed", {{"file", out.name}, {"error", error.message}});
    return out;
  };
  if (const auto problem = FileNameProblem(request.file.name); !problem.empty()) {
    co_return fail({core::ErrorCode::kInvalidArgument, problem});
  }
  out.document_id = DocumentId(request.tenant_id, request.collection, request.file.name);
  out.version = ContentVersion(request.file.bytes);
  // Unchanged, or the same content under another name: nothing to do.
  auto same = co_await repository_.WithVersion(request.tenant_id, request.collection, out.version);
  if (!same) co_return fail(same.error());
  std::string same_as;
  for (const auto& stored : *same) {
    out.route = stored.route;
    out.pages = stored.pages;
    same_as = stored.document_id == out.document_id ? std::string("=") : stored.name;
    if (same_as == "=") break;
  }
  if (!same_as.empty()) {
    out.status = same_as == "=" ? "unchanged" : "duplicate";
    if (same_as != "=") out.error = "same content as " + same_as;
    out.seconds = elapsed();
    co_return out;
  }
  const auto bytes = static_cast<std::int64_t>(request.file.bytes.size());
  auto prepare = pipeline_.Prepare(out.document_id, out.version, std::move(request.file), std::move(progress));
  auto preparation = co_await std::move(prepare);
  auto& prepared = preparation.document;
  out.route = prepared.route;
  out.pages = prepared.pages;
  out.ocr_pages = prepared.ocr_pages;
  out.ocr_engine = prepared.ocr_engine;
  if (preparation.error) co_return fail(*preparation.error);
  out.parents = prepared.chunks.parents.size();
  out.children = prepared.chunks.children.size();
  DocumentInfo info{.id = out.document_id,
                    .tenant_id = request.tenant_id,
                    .collection = request.collection,
                    .name = out.name,
                    .type = !request.type.empty() ? request.type : prepared.type,
                    .language = prepared.language,
                    .version = out.version,
                    .format = prepared.route.format};
  // The index's copy, taken before the chunks go to the store.
  std::vector<IndexedChunk> parents;
  std::vector<IndexedChunk> children;
  std::vector<std::uint64_t> keys;
  for (const auto& parent : prepared.chunks.parents) parents.push_back(ToIndexed(parent, {}));
  for (std::size_t i = 0; i < prepared.chunks.children.size(); ++i) {
    keys.push_back(ChunkKey(prepared.chunks.children[i].id));
    children.push_back(ToIndexed(prepared.chunks.children[i], prepared.terms[i]));
  }
  const Complexity complexity = prepared.route.complexity;
  const std::string extractor = prepared.route.extractor;
  auto commit = repository_.Replace(NewDocument{.info = info,
                                                .format = prepared.route.format,
                                                .bytes = bytes,
                                                .pages = out.pages,
                                                .route = std::move(prepared.route),
                                                .chunks = std::move(prepared.chunks),
                                                .terms = std::move(prepared.terms),
                                                .now = Now()});
  if (auto committed = co_await std::move(commit); !committed) co_return fail(committed.error());
  index_.Put(std::move(info), std::move(parents), std::move(children));
  if (deps_.vector_store != nullptr) {
    // This document's points, then any a failure left pending.
    auto pushed = co_await PushDocument(request.tenant_id, out.document_id);
    if (pushed) {
      out.vectors = *pushed;
      if (PendingRemote() > 0) {
        auto synced = co_await SyncRemote();
        if (!synced) deps_.logger.Warn("knowledge_remote_deferred", {{"error", synced.error().message}});
      }
    } else {
      {
        std::lock_guard lock(remote_mutex_);
        pending_.emplace(out.document_id, request.tenant_id);
      }
      deps_.logger.Warn("knowledge_remote_deferred", {{"file", out.name}, {"error", pushed.error().message}});
    }
  } else if (dense_.Enabled()) {
    // The new children's vectors (and any others missing); an embeddings outage leaves them for later.
    auto added = co_await dense_.Backfill();
    if (!added) deps_.logger.Warn("knowledge_embed_deferred", {{"file", out.name}, {"error", added.error().message}});
    if (const auto* dense = index_.Dense()) {
      out.vectors = static_cast<std::size_t>(
          std::count_if(keys.begin(), keys.end(), [dense](std::uint64_t key) { return dense->Contains(key); }));
    }
  }
  out.status = "indexed";
  out.seconds = elapsed();
  deps_.logger.Info("knowledge_ingested", {{"file", out.name},
                                           {"document_id", out.document_id},
                                           {"complexity", std::string(ComplexityName(complexity))},
                                           {"extractor", extractor},
                                           {"pages", out.pages},
                                           {"children", static_cast<std::int64_t>(out.children)},
                                           {"seconds", out.seconds}});
  co_return out;
}

asio::awaitable<core::Result<std::string>> KnowledgeBase::Submit(std::string tenant_id, std::string collection,
                                                                 std::string type, std::vector<SourceFile> files) {
  co_return co_await jobs_.Submit(std::move(tenant_id), std::move(collection), std::move(type), std::move(files));
}

asio::awaitable<core::Result<JobView>> KnowledgeBase::Job(std::string tenant_id, std::string job_id) {
  co_return co_await jobs_.Job(std::move(tenant_id), std::move(job_id));
}

asio::awaitable<core::Result<std::vector<DocumentRecord>>> KnowledgeBase::Documents(std::string tenant_id,
                                                                                    std::string collection) {
  co_return co_await repository_.List(std::move(tenant_id), std::move(collection));
}

asio::awaitable<core::Result<DocumentDetail>> KnowledgeBase::Document(std::string tenant_id, std::string document_id) {
  co_return co_await repository_.Get(std::move(tenant_id), std::move(document_id));
}

asio::awaitable<core::Result<void>> KnowledgeBase::Delete(std::string tenant_id, std::string document_id) {
  if (auto deleted = co_await repository_.Delete(tenant_id, document_id); !deleted) co_return deleted;
  index_.Remove(document_id);
  if (deps_.vector_store != nullptr) {
    auto removed = co_await PushDocument(tenant_id, document_id);
    if (!removed) {
      {
        std::lock_guard lock(remote_mutex_);
        pending_.emplace(document_id, tenant_id);
      }
      deps_.logger.Warn("knowledge_remote_deferred",
                        {{"document_id", document_id}, {"error", removed.error().message}});
    }
  } else {
    co_await dense_.Save();
  }
  deps_.logger.Info("knowledge_deleted", {{"document_id", document_id}});
  co_return core::Ok();
}

asio::awaitable<core::Result<std::vector<SearchHit>>> KnowledgeBase::Find(SearchRequest request) {
  SearchQuery query{.text = std::move(request.text),
                    .vector = std::nullopt,
                    .k = request.k,
                    .tenant_id = std::move(request.tenant_id),
                    .collections = std::move(request.collections),
                    .type = std::move(request.type),
                    .language = std::move(request.language),
                    .rrf_k = options_.rrf_k,
                    .sparse_weight = options_.sparse_weight,
                    .dense_weight = options_.dense_weight,
                    .candidates = std::max(options_.candidates, request.k)};
  if (deps_.vector_store == nullptr) {
    query.vector = co_await dense_.QueryVector(query.text);
    co_return index_.Search(query);
  }
  auto vector = co_await RemoteQueryVector(query.text);
  VectorQuery remote{.filter = {.tenant_id = query.tenant_id,
                                .collections = query.collections,
                                .type = query.type,
                                .language = query.language},
                     .dense = std::move(vector),
                     .sparse = options_.remote_lexical ? index_.QueryLexicalVector(query.text) : SparseVector{},
                     .limit = query.candidates};
  auto lists = co_await deps_.vector_store->Query(std::move(remote));
  if (lists) {
    if (!options_.remote_lexical) lists->sparse = index_.Retrieve(query).sparse;
    co_return index_.Fuse(query, *lists);
  }
  // The store is out of reach: the in-process BM25 list answers alone.
  deps_.logger.Warn("knowledge_search_degraded", {{"error", lists.error().message}});
  co_return index_.Search(query);
}

asio::awaitable<core::Result<std::vector<conversation::KnowledgeHit>>> KnowledgeBase::Search(
    conversation::KnowledgeQuery query) {
  if (query.collections.empty() || query.k <= 0) co_return std::vector<conversation::KnowledgeHit>{};
  SearchRequest request{.tenant_id = options_.agent_tenant,
                        .text = std::move(query.text),
                        .k = static_cast<std::size_t>(query.k),
                        .collections = std::move(query.collections),
                        .type = {},
                        .language = std::move(query.language)};
  auto hits = co_await Find(std::move(request));
  if (!hits) co_return core::Fail(hits.error());
  std::vector<conversation::KnowledgeHit> out;
  for (auto& hit : *hits) {
    out.push_back(conversation::KnowledgeHit{.text = std::move(hit.text),
                                             .source = std::move(hit.source),
                                             .collection = std::move(hit.collection),
                                             .heading = std::move(hit.heading),
                                             .type = std::move(hit.type),
                                             .score = hit.score,
                                             .lexical_score = hit.sparse_score,
                                             .page = hit.paged ? hit.page : 0,
                                             .first_page = hit.paged ? hit.first_page : 0,
                                             .last_page = hit.paged ? hit.last_page : 0,
                                             .citation = std::move(hit.citation)});
  }
  co_return out;
}

}  // namespace salesboost::knowledge
