// multipart/form-data (RFC 7578) bodies, as browsers and curl -F send them.
// Hand-written: Beast has no multipart parser and Debian ships no C++ one.
// Parts carry their form name, an optional file name and their bytes.
// Malformed bodies (no boundary, a part without headers or end) are
// invalid-argument errors.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace salesboost::api {

struct FormPart {
  std::string name;
  std::string filename;  // empty for plain fields
  std::string content_type;
  std::string data;
};

core::Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace salesboost::api
