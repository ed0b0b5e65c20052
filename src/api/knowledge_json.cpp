#include "api/knowledge_json.hpp"

#include <boost/json/array.hpp>

namespace salesboost::api {

namespace json = boost::json;

json::object RouteJson(const knowledge::Route& route) {
  json::array reasons;
  for (const auto& reason : route.reasons) reasons.emplace_back(reason);
  return {{"format", route.format},
          {"complexity", std::string(knowledge::ComplexityName(route.complexity))},
          {"extractor", route.extractor},
          {"reasons", std::move(reasons)}};
}

json::object FileOutcomeJson(const knowledge::FileOutcome& outcome) {
  json::object out{
      {"name", outcome.name},           {"status", outcome.status},          {"document_id", outcome.document_id},
      {"version", outcome.version},     {"route", RouteJson(outcome.route)}, {"pages", outcome.pages},
      {"ocr_pages", outcome.ocr_pages}, {"parents", outcome.parents},        {"children", outcome.children},
      {"vectors", outcome.vectors},     {"seconds", outcome.seconds}};
  if (!outcome.ocr_engine.empty()) out["ocr_engine"] = outcome.ocr_engine;
  if (!outcome.error.empty()) out["error"] = outcome.error;
  return out;
}

json::object JobJson(const knowledge::JobView& job) {
  json::array list;
  std::size_t finished = 0;
  for (const auto& file : job.files) {
    json::object f{{"name", file.name}, {"pages_done", file.pages_done}, {"pages_total", file.pages_total}};
    if (file.outcome) {
      f = FileOutcomeJson(*file.outcome);
      ++finished;
    }
    list.emplace_back(std::move(f));
  }
  // Finished files count whole; the current one by its pages.
  double progress = static_cast<double>(finished);
  for (const auto& file : job.files) {
    if (!file.outcome && file.pages_total > 0) progress += static_cast<double>(file.pages_done) / file.pages_total;
  }
  progress = job.files.empty() ? 1.0 : progress / static_cast<double>(job.files.size());
  return {{"id", job.id},
          {"collection", job.collection},
          {"status", job.status},
          {"files_done", finished},
          {"files_total", job.files.size()},
          {"progress", progress},
          {"files", std::move(list)},
          {"created_at", job.created_at},
          {"updated_at", job.updated_at}};
}

json::object DocumentJson(const knowledge::DocumentRecord& document) {
  return {{"id", document.id},
          {"collection", document.collection},
          {"name", document.name},
          {"type", document.type},
          {"format", document.format},
          {"language", document.language},
          {"version", document.version},
          {"bytes", document.bytes},
          {"pages", document.pages},
          {"route", document.route ? json::value(RouteJson(*document.route)) : json::value()},
          {"created_at", document.created_at},
          {"updated_at", document.updated_at}};
}

json::object DocumentDetailJson(const knowledge::DocumentDetail& detail) {
  auto out = DocumentJson(detail.document);
  out["parents"] = detail.parents;
  out["children"] = detail.children;
  return out;
}

json::object HitJson(const knowledge::SearchHit& hit) {
  // A list that missed the passage has no score and no rank for it: null, not 0.
  const auto in_list = [](int rank, auto value) { return rank > 0 ? json::value(value) : json::value(); };
  return {{"chunk_id", hit.chunk_id},
          {"document_id", hit.document_id},
          {"source", hit.source},
          {"collection", hit.collection},
          {"type", hit.type},
          {"heading", hit.heading},
          {"page", hit.page},
          {"text", hit.text},
          {"score", hit.score},
          {"sparse_score", in_list(hit.sparse_rank, hit.sparse_score)},
          {"dense_score", in_list(hit.dense_rank, hit.dense_score)},
          {"sparse_rank", in_list(hit.sparse_rank, hit.sparse_rank)},
          {"dense_rank", in_list(hit.dense_rank, hit.dense_rank)}};
}

}  // namespace salesboost::api
