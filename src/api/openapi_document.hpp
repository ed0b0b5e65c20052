// The OpenAPI 3.1 description of the API, src/api/openapi.json, compiled into
// the binary (cmake/EmbedFiles.cmake). Edit that file when a route changes:
// tests compare it with the router's routes and validate it against the OAS
// 3.1 schema.
#pragma once

#include <string_view>
#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::api {

// The embedded files (one: openapi.json).
const std::vector<core::EmbeddedFile>& OpenApiFiles();

// The document's bytes, as in the source tree.
std::string_view OpenApiDocument();

}  // namespace salesboost::api
