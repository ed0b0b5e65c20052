// Catalogue endpoints, own tenant. Reads (any signed-in user):
//   GET /api/v1/courses
//   GET /api/v1/scenarios?course_id=ID
//   GET /api/v1/personas?scenario_id=ID
//   GET /api/v1/scenarios/{id}/rubric[?language=zh|en]
//       without language: the stored rubric as an admin edits it (the generic
//       one, marked "generic": true, when the scenario has none); with it: the
//       trainee's view (conversation::RubricJson) in that language
// and the one catalogue write (administrators only):
//   PUT /api/v1/scenarios/{id}/rubric   body: a rubric (catalog/rubric.hpp);
//       400 invalid_argument with "details" naming each problem's JSON path.
//       Sessions whose scenario is loaded afterwards are scored with it.
#pragma once

#include "catalog/catalog_repository.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

void AddCatalogRoutes(server::Router& router, identity::AuthService& auth, catalog::CatalogRepository& catalog);

}  // namespace salesboost::api
