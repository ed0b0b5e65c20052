// Catalogue read endpoints (any signed-in user, own tenant):
//   GET /api/v1/courses
//   GET /api/v1/scenarios?course_id=ID
//   GET /api/v1/personas?scenario_id=ID
#pragma once

#include "catalog/catalog_repository.hpp"
#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

void AddCatalogRoutes(server::Router& router, const identity::AuthService& auth, catalog::CatalogRepository& catalog);

}  // namespace salesboost::api
