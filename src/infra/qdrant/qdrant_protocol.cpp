#include "infra/qdrant/qdrant_protocol.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <system_error>

namespace salesboost::infra::qdrant {
namespace {

namespace json = boost::json;
using knowledge::RankedLists;
using knowledge::ScoredKey;
using knowledge::SparseVector;
using knowledge::VectorFilter;
using knowledge::VectorPoint;
using knowledge::VectorQuery;

json::object Match(std::string_view field, std::string_view value) {
  return json::object{{"key", field}, {"match", json::object{{"value", value}}}};
}

json::object MatchAny(std::string_view field, const std::vector<std::string>& values) {
  json::array any;
  any.reserve(values.size());
  for (const auto& v : values) any.emplace_back(v);
  return json::object{{"key", field}, {"match", json::object{{"any", std::move(any)}}}};
}

json::object Filter(const VectorFilter& filter) {
  json::array must;
  must.reserve(4);
  must.emplace_back(Match(kTenantField, filter.tenant_id));
  if (!filter.collections.empty()) must.emplace_back(MatchAny(kCollectionField, filter.collections));
  if (!filter.type.empty()) must.emplace_back(Match(kTypeField, filter.type));
  // A language-neutral document ("") answers every language.
  if (!filter.language.empty()) must.emplace_back(MatchAny(kLanguageField, {filter.language, std::string()}));
  return json::object{{"must", std::move(must)}};
}

// Vectors are written by hand: each float in its shortest form that reads back the same (std::to_chars), where
// Boost.JSON would write it as a double with up to 17 digits (twice the bytes, and slower).
void AppendFloats(std::string& out, const std::vector<float>& values) {
  out += '[';
  char buffer[32];
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const float v = std::isfinite(values[i]) ? values[i] : 0.0F;
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
    out.append(buffer, end);
  }
  out += ']';
}

void AppendSparse(std::string& out, const SparseVector& sparse) {
  out += R"({"indices":[)";
  char buffer[16];
  for (std::size_t i = 0; i < sparse.indices.size(); ++i) {
    if (i > 0) out += ',';
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, sparse.indices[i]).ptr;
    out.append(buffer, end);
  }
  out += R"(],"values":)";
  AppendFloats(out, sparse.values);
  out += '}';
}

void AppendKey(std::string& out, std::uint64_t key) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, key).ptr;
  out.append(buffer, end);
}

core::Result<std::vector<ScoredKey>> ParsePoints(const json::value& response) {
  const auto* object = response.if_object();
  const auto* points = object != nullptr ? object->if_contains("points") : nullptr;
  if (points == nullptr || !points->is_array()) {
    return core::Fail(core::ErrorCode::kInternal, "qdrant: a query response without points");
  }
  std::vector<ScoredKey> out;
  out.reserve(points->get_array().size());
  for (const auto& point : points->get_array()) {
    const auto* p = point.if_object();
    const auto* id = p != nullptr ? p->if_contains("id") : nullptr;
    const auto* score = p != nullptr ? p->if_contains("score") : nullptr;
    std::error_code id_error;
    std::error_code score_error;
    const auto key = id != nullptr ? id->to_number<std::uint64_t>(id_error) : 0;
    const auto value = score != nullptr ? score->to_number<double>(score_error) : 0;
    if (id == nullptr || score == nullptr || id_error || score_error) {
      return core::Fail(core::ErrorCode::kInternal, "qdrant: a point without a numeric id or score");
    }
    out.push_back({key, value});
  }
  std::sort(out.begin(), out.end(), [](const ScoredKey& a, const ScoredKey& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  return out;
}

}  // namespace

std::string CreateCollectionBody(std::size_t dimensions) {
  json::object vectors;
  if (dimensions > 0) {
    vectors[kDenseVector] = json::object{{"size", static_cast<std::uint64_t>(dimensions)}, {"distance", "Cosine"}};
  }
  json::object sparse;
  sparse[kSparseVector] = json::object{{"modifier", "idf"}};
  return json::serialize(json::object{{"vectors", std::move(vectors)}, {"sparse_vectors", std::move(sparse)}});
}

std::vector<std::string> PayloadIndexBodies() {
  std::vector<std::string> out;
  out.push_back(json::serialize(json::object{
      {"field_name", kTenantField}, {"field_schema", json::object{{"type", "keyword"}, {"is_tenant", true}}}}));
  for (const auto field : {kDocumentField, kCollectionField, kTypeField, kLanguageField}) {
    out.push_back(json::serialize(json::object{{"field_name", field}, {"field_schema", "keyword"}}));
  }
  return out;
}

core::Result<std::size_t> ParseDenseSize(std::string_view body) {
  std::error_code ec;
  const auto doc = json::parse(body, ec);
  const auto* root = ec ? nullptr : doc.if_object();
  const auto* result = root != nullptr ? root->if_contains("result") : nullptr;
  const auto* config = result != nullptr && result->is_object() ? result->get_object().if_contains("config") : nullptr;
  const auto* params = config != nullptr && config->is_object() ? config->get_object().if_contains("params") : nullptr;
  if (params == nullptr || !params->is_object()) {
    return core::Fail(core::ErrorCode::kInternal, "qdrant: a collection description without config.params");
  }
  const auto* vectors = params->get_object().if_contains("vectors");
  if (vectors == nullptr || !vectors->is_object()) return std::size_t{0};
  const auto* dense = vectors->get_object().if_contains(kDenseVector);
  if (dense == nullptr || !dense->is_object()) return std::size_t{0};
  const auto* size = dense->get_object().if_contains("size");
  const auto n = size != nullptr ? size->to_number<std::uint64_t>(ec) : 0;
  if (size == nullptr || ec) return core::Fail(core::ErrorCode::kInternal, "qdrant: a dense vector without a size");
  return static_cast<std::size_t>(n);
}

std::string UpsertBody(std::span<const VectorPoint> points) {
  std::string out = R"({"points":[)";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (i > 0) out += ',';
    out += R"({"id":)";
    AppendKey(out, p.key);
    out += R"(,"vector":{)";
    if (p.dense) {
      out += '"';
      out += kDenseVector;
      out += R"(":)";
      AppendFloats(out, *p.dense);
    }
    if (!p.sparse.indices.empty()) {
      if (p.dense) out += ',';
      out += '"';
      out += kSparseVector;
      out += R"(":)";
      AppendSparse(out, p.sparse);
    }
    out += R"(},"payload":)";
    out += json::serialize(json::object{{kTenantField, p.tenant_id},
                                        {kDocumentField, p.document_id},
                                        {kCollectionField, p.collection},
                                        {kTypeField, p.type},
                                        {kLanguageField, p.language}});
    out += '}';
  }
  out += "]}";
  return out;
}

std::string UpdateLexicalBody(std::span<const VectorPoint> points) {
  std::string out = R"({"points":[)";
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"id":)";
    AppendKey(out, points[i].key);
    out += R"(,"vector":{")";
    out += kSparseVector;
    out += R"(":)";
    AppendSparse(out, points[i].sparse);
    out += "}}";
  }
  out += "]}";
  return out;
}

std::string DeleteDocumentBody(std::string_view tenant_id, std::string_view document_id) {
  json::array must{Match(kTenantField, tenant_id), Match(kDocumentField, document_id)};
  return json::serialize(json::object{{"filter", json::object{{"must", std::move(must)}}}});
}

std::string QueryBatchBody(const VectorQuery& query) {
  // The part both searches share: filter, limit, no payload.
  std::string tail = R"(,"filter":)";
  tail += json::serialize(Filter(query.filter));
  tail += R"(,"limit":)";
  AppendKey(tail, std::max<std::size_t>(query.limit, 1));
  tail += R"(,"with_payload":false})";
  std::string out = R"({"searches":[)";
  if (query.dense) {
    out += R"({"query":)";
    AppendFloats(out, *query.dense);
    out += R"(,"using":")";
    out += kDenseVector;
    out += '"';
    out += tail;
  }
  if (!query.sparse.indices.empty()) {
    if (query.dense) out += ',';
    out += R"({"query":)";
    AppendSparse(out, query.sparse);
    out += R"(,"using":")";
    out += kSparseVector;
    out += '"';
    out += tail;
  }
  out += "]}";
  return out;
}

core::Result<RankedLists> ParseQueryBatch(std::string_view body, const VectorQuery& query) {
  // The parsed document lives only in this call: one arena, freed at once.
  unsigned char buffer[16384];
  json::monotonic_resource arena(buffer, sizeof buffer);
  std::error_code ec;
  const auto doc = json::parse(body, ec, &arena);
  const auto* root = ec ? nullptr : doc.if_object();
  const auto* result = root != nullptr ? root->if_contains("result") : nullptr;
  const std::size_t expected = (query.dense ? 1U : 0U) + (query.sparse.indices.empty() ? 0U : 1U);
  if (result == nullptr || !result->is_array() || result->get_array().size() != expected) {
    return core::Fail(core::ErrorCode::kInternal, "qdrant: a query batch response without one result per search");
  }
  const auto& results = result->get_array();
  RankedLists lists;
  std::size_t at = 0;
  if (query.dense) {
    auto dense = ParsePoints(results[at++]);
    if (!dense) return core::Fail(dense.error());
    lists.dense = std::move(*dense);
  }
  if (!query.sparse.indices.empty()) {
    auto sparse = ParsePoints(results[at]);
    if (!sparse) return core::Fail(sparse.error());
    lists.sparse = std::move(*sparse);
  }
  return lists;
}

std::string ErrorMessage(std::string_view body) {
  std::error_code ec;
  const auto doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    const auto* status = doc.get_object().if_contains("status");
    if (status != nullptr && status->is_object()) {
      const auto* error = status->get_object().if_contains("error");
      if (error != nullptr && error->is_string()) return std::string(error->get_string());
    }
  }
  return std::string(body.substr(0, 200));
}

}  // namespace salesboost::infra::qdrant
