// User administration and the audit log, for administrators:
//   GET    /api/v1/users                   users of the caller's tenant
//   POST   /api/v1/users                   {"username","password"?,"display_name"?,"role"?} -> 201; a
//                                          password is generated (and returned once) when none is given
//   POST   /api/v1/users/{id}/password     {"password"?}: reset; the user's tokens stop working
//   DELETE /api/v1/users/{id}              tokens revoked, sessions and reports kept; not oneself
//   GET    /api/v1/audit?limit=&before=    the audit log, newest first
#pragma once

#include "identity/auth_service.hpp"
#include "server/router.hpp"

namespace salesboost::api {

void AddUserRoutes(server::Router& router, identity::AuthService& auth);

}  // namespace salesboost::api
