#include "knowledge/document_repository.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

namespace salesboost::knowledge {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using storage::SqlValue;
using storage::Transaction;

json::array ToJsonArray(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// The stored routing decision (knowledge_documents.route and each job file's "route").
json::object RouteToStored(const Route& route) {
  return {{"format", route.format},
          {"complexity", std::string(ComplexityName(route.complexity))},
          {"extractor", route.extractor},
          {"reasons", ToJsonArray(route.reasons)}};
}

Route RouteFromStored(const json::value& value) {
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

// A finished job file (knowledge_jobs.files).
json::object OutcomeToStored(const FileOutcome& outcome) {
  json::object out{{"name", outcome.name},
                   {"status", outcome.status},
                   {"document_id", outcome.document_id},
                   {"version", outcome.version},
                   {"route", RouteToStored(outcome.route)},
                   {"pages", outcome.pages},
                   {"ocr_pages", outcome.ocr_pages},
                   {"parents", outcome.parents},
                   {"children", outcome.children},
                   {"vectors", outcome.vectors},
                   {"seconds", outcome.seconds}};
  if (!outcome.ocr_engine.empty()) out["ocr_engine"] = outcome.ocr_engine;
  if (!outcome.error.empty()) out["error"] = outcome.error;
  return out;
}

FileOutcome OutcomeFromStored(const json::object& o) {
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
  if (const auto* route = o.if_contains("route")) out.route = RouteFromStored(*route);
  out.pages = static_cast<int>(number("pages"));
  out.ocr_pages = static_cast<int>(number("ocr_pages"));
  out.ocr_engine = text("ocr_engine");
  out.parents = static_cast<std::size_t>(number("parents"));
  out.children = static_cast<std::size_t>(number("children"));
  out.vectors = static_cast<std::size_t>(number("vectors"));
  out.seconds = number("seconds");
  return out;
}

std::string HeadingPathToStored(const std::vector<std::string>& path) { return json::serialize(ToJsonArray(path)); }

std::vector<std::string> HeadingPathFromStored(const std::string& text) {
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

DocumentRecord DocumentFromRow(const storage::SqlRow& row) {
  boost::system::error_code ec;
  const auto route = json::parse(row.Text(9), ec);
  return DocumentRecord{.id = row.Text(0),
                        .collection = row.Text(1),
                        .name = row.Text(2),
                        .type = row.Text(3),
                        .format = row.Text(4),
                        .language = row.Text(5),
                        .version = row.Text(6),
                        .bytes = row.Int(7),
                        .pages = row.Int(8),
                        .route = ec ? std::nullopt : std::optional<Route>(RouteFromStored(route)),
                        .created_at = row.Text(10),
                        .updated_at = row.Text(11)};
}

}  // namespace

asio::awaitable<core::Result<std::vector<StoredDocument>>> DocumentRepository::LoadAll() {
  std::vector<StoredDocument> documents;
  storage::TransactionFn reader = [&](Transaction& tx) -> core::Result<void> {
    auto docs = tx.Query(
        "SELECT id, tenant_id, collection, name, type, language, version, format FROM knowledge_documents", {});
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
                                        .version = row.Text(6),
                                        .format = row.Text(7)},
                           {},
                           {}});
    }
    auto chunks = tx.Query(
        "SELECT id, document_id, parent_id, page, heading_path, text, terms, page_end FROM knowledge_chunks "
        "ORDER BY document_id, begin_offset",
        {});
    if (!chunks) return core::Fail(chunks.error());
    for (const auto& row : *chunks) {
      const auto found = slot.find(row.Text(1));
      if (found == slot.end()) continue;
      IndexedChunk chunk{.id = row.Text(0),
                         .parent_id = row.IsNull(2) ? std::string() : row.Text(2),
                         .page = static_cast<int>(row.Int(3)),
                         .page_end = static_cast<int>(row.Int(7)),
                         .heading_path = HeadingPathFromStored(row.Text(4)),
                         .text = row.Text(5),
                         .terms = row.IsNull(6) ? TermCounts{} : DecodeTerms(row.Text(6))};
      auto& doc = documents[found->second];
      (chunk.parent_id.empty() ? doc.parents : doc.children).push_back(std::move(chunk));
    }
    return core::Ok();
  };
  auto loaded = co_await store_.Read(std::move(reader));
  if (!loaded) co_return core::Fail(loaded.error());
  co_return documents;
}

asio::awaitable<core::Result<void>> DocumentRepository::FailUnfinishedJobs(std::string now) {
  co_return co_await store_.Transact([&](Transaction& tx) -> core::Result<void> {
    return Exec(tx,
                "UPDATE knowledge_jobs SET status = 'failed', updated_at = ? "
                "WHERE status IN ('queued', 'running')",
                {now});
  });
}

asio::awaitable<core::Result<std::vector<SameContent>>> DocumentRepository::WithVersion(std::string tenant_id,
                                                                                        std::string collection,
                                                                                        std::string version) {
  std::vector<SameContent> out;
  storage::TransactionFn reader = [&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query(
        "SELECT id, name, route, pages FROM knowledge_documents WHERE tenant_id = ? AND collection = ? "
        "AND version = ?",
        {tenant_id, collection, version});
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) {
      boost::system::error_code ec;
      out.push_back(SameContent{.document_id = row.Text(0),
                                .name = row.Text(1),
                                .route = RouteFromStored(json::parse(row.Text(2), ec)),
                                .pages = static_cast<int>(row.Int(3))});
    }
    return core::Ok();
  };
  auto read = co_await store_.Read(std::move(reader));
  if (!read) co_return core::Fail(read.error());
  co_return out;
}

asio::awaitable<core::Result<void>> DocumentRepository::Replace(NewDocument document) {
  const std::string route_json = json::serialize(RouteToStored(document.route));
  const auto& info = document.info;
  co_return co_await store_.Transact([&](Transaction& tx) -> core::Result<void> {
    if (auto done = Exec(tx, "DELETE FROM knowledge_chunks WHERE document_id = ?", {info.id}); !done) return done;
    auto existing = tx.Query("SELECT created_at FROM knowledge_documents WHERE id = ?", {info.id});
    if (!existing) return core::Fail(existing.error());
    const std::string created = existing->empty() ? document.now : existing->front().Text(0);
    if (auto done = Exec(tx, "DELETE FROM knowledge_documents WHERE id = ?", {info.id}); !done) return done;
    if (auto done =
            Exec(tx,
                 "INSERT INTO knowledge_documents (id, tenant_id, collection, name, type, format, language, "
                 "version, bytes, pages, route, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {info.id, info.tenant_id, info.collection, info.name, info.type, document.format, info.language,
                  info.version, document.bytes, document.pages, route_json, created, document.now});
        !done) {
      return done;
    }
    auto insert = [&](const Chunk& chunk, const TermCounts* terms) {
      return Exec(tx,
                  "INSERT INTO knowledge_chunks (id, document_id, parent_id, page, heading_path, begin_offset, "
                  "end_offset, tokens, text, terms, page_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {chunk.id, info.id, chunk.parent_id.empty() ? SqlValue(nullptr) : SqlValue(chunk.parent_id),
                   static_cast<std::int64_t>(chunk.page), HeadingPathToStored(chunk.heading_path),
                   static_cast<std::int64_t>(chunk.begin), static_cast<std::int64_t>(chunk.end),
                   static_cast<std::int64_t>(chunk.tokens), chunk.text,
                   terms == nullptr ? SqlValue(nullptr) : SqlValue(EncodeTerms(*terms)),
                   static_cast<std::int64_t>(chunk.page_end)});
    };
    for (const auto& parent : document.chunks.parents) {
      if (auto done = insert(parent, nullptr); !done) return done;
    }
    for (std::size_t i = 0; i < document.chunks.children.size(); ++i) {
      if (auto done = insert(document.chunks.children[i], &document.terms[i]); !done) return done;
    }
    return core::Ok();
  });
}

asio::awaitable<core::Result<std::vector<DocumentRecord>>> DocumentRepository::List(std::string tenant_id,
                                                                                    std::string collection) {
  std::vector<DocumentRecord> out;
  storage::TransactionFn reader = [&](Transaction& tx) -> core::Result<void> {
    const std::string sql =
        fmt::format("SELECT {} FROM knowledge_documents WHERE tenant_id = ?{} ORDER BY collection, name",
                    kDocumentColumns, collection.empty() ? "" : " AND collection = ?");
    std::vector<SqlValue> params{tenant_id};
    if (!collection.empty()) params.emplace_back(collection);
    auto rows = tx.Query(sql, params);
    if (!rows) return core::Fail(rows.error());
    for (const auto& row : *rows) out.push_back(DocumentFromRow(row));
    return core::Ok();
  };
  auto read = co_await store_.Read(std::move(reader));
  if (!read) co_return core::Fail(read.error());
  co_return out;
}

asio::awaitable<core::Result<DocumentDetail>> DocumentRepository::Get(std::string tenant_id, std::string document_id) {
  DocumentDetail out;
  storage::TransactionFn reader = [&](Transaction& tx) -> core::Result<void> {
    auto rows =
        tx.Query(fmt::format("SELECT {} FROM knowledge_documents WHERE tenant_id = ? AND id = ?", kDocumentColumns),
                 {tenant_id, document_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no document " + document_id);
    out.document = DocumentFromRow(rows->front());
    auto counts = tx.Query(
        "SELECT SUM(CASE WHEN parent_id IS NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END) FROM knowledge_chunks "
        "WHERE document_id = ?",
        {document_id});
    if (!counts) return core::Fail(counts.error());
    const auto& row = counts->front();
    out.parents = row.IsNull(0) ? 0 : row.Int(0);
    out.children = row.IsNull(1) ? 0 : row.Int(1);
    return core::Ok();
  };
  auto read = co_await store_.Read(std::move(reader));
  if (!read) co_return core::Fail(read.error());
  co_return out;
}

asio::awaitable<core::Result<void>> DocumentRepository::Delete(std::string tenant_id, std::string document_id) {
  co_return co_await store_.Transact([&](Transaction& tx) -> core::Result<void> {
    auto rows = tx.Query("SELECT 1 FROM knowledge_documents WHERE tenant_id = ? AND id = ?", {tenant_id, document_id});
    if (!rows) return core::Fail(rows.error());
    if (rows->empty()) return core::Fail(core::ErrorCode::kNotFound, "no document " + document_id);
    if (auto done = Exec(tx, "DELETE FROM knowledge_chunks WHERE document_id = ?", {document_id}); !done) return done;
    return Exec(tx, "DELETE FROM knowledge_documents WHERE id = ?", {document_id});
  });
}

asio::awaitable<core::Result<void>> DocumentRepository::SaveJob(JobView job) {
  json::array files;
  for (const auto& file : job.files) {
    files.emplace_back(file.outcome ? OutcomeToStored(*file.outcome) : json::object{{"name", file.name}});
  }
  const std::string files_json = json::serialize(files);
  co_return co_await store_.Transact([&](Transaction& tx) -> core::Result<void> {
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

asio::awaitable<core::Result<JobView>> DocumentRepository::FindJob(std::string tenant_id, std::string job_id) {
  JobView view;
  storage::TransactionFn reader = [&](Transaction& tx) -> core::Result<void> {
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
      auto outcome = OutcomeFromStored(file.get_object());
      entry.name = outcome.name;
      if (!outcome.status.empty()) {
        entry.pages_done = entry.pages_total = outcome.pages;
        entry.outcome = std::move(outcome);
      }
      view.files.push_back(std::move(entry));
    }
    return core::Ok();
  };
  auto read = co_await store_.Read(std::move(reader));
  if (!read) co_return core::Fail(read.error());
  co_return view;
}

}  // namespace salesboost::knowledge
