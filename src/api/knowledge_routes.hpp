// Knowledge-base endpoints (own tenant):
//   POST   /api/v1/knowledge/documents   admin; multipart: one or more "file" parts,
//                                        optional "collection" and "type" fields; 202 {job_id}
//   GET    /api/v1/knowledge/jobs/{id}   admin; status, progress, one outcome per file
//   GET    /api/v1/knowledge/documents   admin; ?collection=NAME
//   GET    /api/v1/knowledge/documents/{id}     admin
//   DELETE /api/v1/knowledge/documents/{id}     admin; every chunk goes with it
//   POST   /api/v1/knowledge/search      any signed-in user; {query, k, collection, type, language}
#pragma once

#include "identity/auth_service.hpp"
#include "knowledge/knowledge_base.hpp"
#include "server/router.hpp"

namespace salesboost::api {

// `max_upload_bytes`: the upload route's body limit.
void AddKnowledgeRoutes(server::Router& router, identity::AuthService& auth, knowledge::KnowledgeBase& base,
                        std::int64_t max_upload_bytes);

}  // namespace salesboost::api
