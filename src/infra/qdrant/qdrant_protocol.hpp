// The JSON of Qdrant's REST API (v1.16, the Query API) that
// QdrantVectorStore speaks: request bodies built from the VectorStore port's
// values and responses decoded into them. Points carry two named vectors,
// "dense" (Cosine) and "sparse" (dot product, IDF applied by the server), and
// the payload fields the filters use. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "knowledge/index/vector_store.hpp"

namespace salesboost::infra::qdrant {

inline constexpr std::string_view kDenseVector = "dense";
inline constexpr std::string_view kSparseVector = "sparse";
// The payload fields, each with a keyword index; tenant_id is the tenant key.
inline constexpr std::string_view kTenantField = "tenant_id";
inline constexpr std::string_view kDocumentField = "document_id";
inline constexpr std::string_view kCollectionField = "collection";
inline constexpr std::string_view kTypeField = "type";
inline constexpr std::string_view kLanguageField = "language";

// PUT /collections/{c}: named vectors "dense" (`dimensions`, Cosine; none
// when 0) and "sparse" (modifier idf).
std::string CreateCollectionBody(std::size_t dimensions);
// PUT /collections/{c}/index: one body per payload field.
std::vector<std::string> PayloadIndexBodies();
// GET /collections/{c}: the size of the "dense" vector (0: none). kInternal
// when the body is not a collection description.
core::Result<std::size_t> ParseDenseSize(std::string_view body);

// PUT /collections/{c}/points
std::string UpsertBody(std::span<const knowledge::VectorPoint> points);
// PUT /collections/{c}/points/vectors: the points' lexical vectors only.
std::string UpdateLexicalBody(std::span<const knowledge::VectorPoint> points);
// POST /collections/{c}/points/delete: every point of one document.
std::string DeleteDocumentBody(std::string_view tenant_id, std::string_view document_id);

// POST /collections/{c}/points/query/batch: the dense search (when the query
// has a vector) then the lexical one (when it has terms), both filtered.
std::string QueryBatchBody(const knowledge::VectorQuery& query);
// The answer to QueryBatchBody(query): each list sorted by score, then key.
core::Result<knowledge::RankedLists> ParseQueryBatch(std::string_view body, const knowledge::VectorQuery& query);

// An error answer's message ({"status": {"error": "..."}}), else the body's start.
std::string ErrorMessage(std::string_view body);

}  // namespace salesboost::infra::qdrant
