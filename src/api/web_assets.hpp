// WebAssets: the web console's files (index.html, app.js, app.css), bundled
// by web/build.mjs and compiled into the binary at build time.
#pragma once

#include <string_view>
#include <vector>

namespace salesboost::api {

struct WebAsset {
  std::string_view name;          // "app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view hash;          // of the content: the ETag, and the ?v= that index.html links with
  std::string_view content;
};

const std::vector<WebAsset>& WebAssets();

}  // namespace salesboost::api
