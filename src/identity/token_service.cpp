#include "identity/token_service.hpp"

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/check.hpp"

namespace salesboost::identity {
namespace {

namespace json = boost::json;
constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::size_t kMaxTokenBytes = 4096;

std::string Base64Url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string Sign(std::string_view key, std::string_view signing_input) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signing_input.data()),
                                signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof(mac));
}

core::Error Rejected() { return core::Error{core::ErrorCode::kUnauthenticated, "invalid or expired token"}; }

std::int64_t Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

TokenService::TokenService(std::string key, std::chrono::seconds ttl, const core::Clock& clock)
    : key_(std::move(key)), ttl_(ttl), clock_(clock) {
  SB_CHECK(key_.size() >= 32);
  SB_CHECK(sodium_init() >= 0);
}

IssuedToken TokenService::Issue(const Principal& principal) const {
  const auto now = clock_.Now();
  const auto expires = now + ttl_;
  const json::object claims{{"sub", principal.user_id},     {"tid", principal.tenant_id},
                            {"name", principal.username},   {"role", RoleName(principal.role)},
                            {"iat", Seconds(now)},          {"exp", Seconds(expires)},
                            {"tv", principal.token_version}};
  std::string input = Base64Url(kHeader) + "." + Base64Url(json::serialize(claims));
  const std::string signature = Base64Url(Sign(key_, input));
  input.append(".").append(signature);
  return IssuedToken{std::move(input), expires};
}

core::Result<Principal> TokenService::Verify(std::string_view token) const {
  if (token.size() > kMaxTokenBytes) return core::Fail(Rejected());
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return core::Fail(Rejected());
  }
  const auto header = FromBase64Url(token.substr(0, first));
  const auto payload = FromBase64Url(token.substr(first + 1, second - first - 1));
  const auto signature = FromBase64Url(token.substr(second + 1));
  if (!header || !payload || !signature || signature->size() != crypto_auth_hmacsha256_BYTES) {
    return core::Fail(Rejected());
  }
  boost::system::error_code ec;
  const auto header_json = json::parse(*header, ec);
  if (ec || !header_json.is_object()) return core::Fail(Rejected());
  const auto* alg = header_json.as_object().if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "HS256") return core::Fail(Rejected());

  const std::string expected = Sign(key_, token.substr(0, second));
  if (sodium_memcmp(expected.data(), signature->data(), expected.size()) != 0) return core::Fail(Rejected());

  const auto claims_json = json::parse(*payload, ec);
  if (ec || !claims_json.is_object()) return core::Fail(Rejected());
  const auto& claims = claims_json.as_object();
  const auto* sub = claims.if_contains("sub");
  const auto* tid = claims.if_contains("tid");
  const auto* name = claims.if_contains("name");
  const auto* role = claims.if_contains("role");
  const auto* exp = claims.if_contains("exp");
  if (sub == nullptr || !sub->is_string() || tid == nullptr || !tid->is_string() || name == nullptr ||
      !name->is_string() || role == nullptr || !role->is_string() || exp == nullptr || !exp->is_int64()) {
    return core::Fail(Rejected());
  }
  const auto parsed_role = ParseRole(role->get_string());
  if (!parsed_role || exp->get_int64() <= Seconds(clock_.Now())) return core::Fail(Rejected());
  const auto* version = claims.if_contains("tv");  // tokens issued before revocation existed carry none
  if (version != nullptr && !version->is_int64()) return core::Fail(Rejected());
  return Principal{.user_id = std::string(sub->get_string()),
                   .tenant_id = std::string(tid->get_string()),
                   .username = std::string(name->get_string()),
                   .role = *parsed_role,
                   .token_version = version != nullptr ? version->get_int64() : 0};
}

}  // namespace salesboost::identity
