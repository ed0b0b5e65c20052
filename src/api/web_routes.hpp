// WebRoutes: the web console, served from the binary: GET / (the page) and
// GET /assets/{file} (its script and style sheet). Every answer carries a
// Content-Security-Policy that allows only the console's own files (no inline
// script or style, no other origin) and an ETag; the page is revalidated on
// every load, a file linked with its hash (?v=) is cached for a year.
#pragma once

#include <vector>

#include "api/web_assets.hpp"
#include "server/router.hpp"

namespace salesboost::api {

void AddWebRoutes(server::Router& router, const std::vector<WebAsset>& assets);

}  // namespace salesboost::api
