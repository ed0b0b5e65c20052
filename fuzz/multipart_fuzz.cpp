// An upload's multipart/form-data body (api::ParseMultipart). The input's
// first line is the Content-Type header value, the rest the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/multipart.hpp"
#include "core/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto eol = input.find('\n');
  const std::string_view content_type = input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  auto parts = salesboost::api::ParseMultipart(content_type, body);
  if (!parts) return 0;
  std::size_t bytes = 0;
  for (const auto& part : *parts) {
    SB_CHECK(!part.name.empty());
    bytes += part.data.size();
  }
  SB_CHECK(bytes <= body.size());
  return 0;
}
