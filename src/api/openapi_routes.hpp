// The API's own description, without authentication:
//   GET /openapi.json  the OpenAPI 3.1 document built into the binary (application/json)
//   GET /docs          a reference page generated from it (text/html): every
//                      operation by tag with its parameters, body and answers,
//                      then the schemas. No script and nothing fetched: the CSS is in the page.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "server/router.hpp"

namespace salesboost::api {

// The HTML reference page of an OpenAPI 3.1 `document` (JSON text);
// kInvalidArgument when it is not a JSON object with `info` and `paths`.
core::Result<std::string> RenderApiPage(std::string_view document);

// Adds GET /openapi.json and GET /docs. The page is rendered once, here; the
// embedded document must render (a document that does not is a build defect,
// and the server stops).
void AddOpenApiRoutes(server::Router& router);

}  // namespace salesboost::api
