// The brain's endpoints for any signed-in user, both under one per-user rate
// limit (429 rate_limited with Retry-After):
//   POST /api/v1/classify {"model": "sales"|"customer", "text"}
//        -> {"model", "label", "confidence"}
//   POST /api/v1/assist   {"customer_message", "context"?, "course_id" | "collection"}
//        -> {"language", "intent": {label, confidence}, "suggestions": [{text, technique}],
//            "knowledge": [{text, source, collection, heading, score}]}
//        searching only the course's knowledge collections, or the one collection named.
#pragma once

#include "catalog/catalog_repository.hpp"
#include "conversation/agents.hpp"
#include "core/rate_limiter.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

void AddAssistRoutes(server::Router& router, identity::AuthService& auth, conversation::Agents& agents,
                     catalog::CatalogRepository& catalog, core::RateLimiter& limiter);

}  // namespace salesboost::api
