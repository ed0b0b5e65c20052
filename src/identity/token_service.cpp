#include "identity/token_service.hpp"

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/check.hpp"

namespace salesboost::identity {
namespace {

namespace json = boost::json;
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

constexpr std::size_t kMinKeyBytes = 32;

TokenService::TokenService(std::string key, std::chrono::seconds ttl, const core::Clock& clock,
                           std::optional<std::chrono::seconds> previous_key_overlap)
    : ttl_(ttl), overlap_(previous_key_overlap.value_or(ttl)), clock_(clock) {
  SB_CHECK(key.size() >= kMinKeyBytes);
  SB_CHECK(sodium_init() >= 0);
  current_.id = KeyId(key);
  current_.secret = std::move(key);
}

std::string TokenService::KeyId(std::string_view key) {
  constexpr std::string_view kContext = "salesboost jwt kid\n";
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_hash_sha256_final(&state, digest);
  return Base64Url(std::string_view(reinterpret_cast<const char*>(digest), 12));
}

std::string TokenService::CurrentKeyId() const {
  std::lock_guard lock(mutex_);
  return current_.id;
}

core::Result<bool> TokenService::Rotate(std::string key) {
  if (key.size() < kMinKeyBytes) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "a signing key must be at least 32 bytes");
  }
  std::lock_guard lock(mutex_);
  if (key == current_.secret) return false;
  previous_ = std::move(current_);
  previous_until_ = clock_.Now() + overlap_;
  current_.id = KeyId(key);
  current_.secret = std::move(key);
  return true;
}

IssuedToken TokenService::Issue(const Principal& principal) const {
  const auto now = clock_.Now();
  const auto expires = now + ttl_;
  Key key;
  {
    std::lock_guard lock(mutex_);
    key = current_;
  }
  const json::object header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.id}};
  const json::object claims{{"sub", principal.user_id},     {"tid", principal.tenant_id},
                            {"name", principal.username},   {"role", RoleName(principal.role)},
                            {"iat", Seconds(now)},          {"exp", Seconds(expires)},
                            {"tv", principal.token_version}};
  std::string input = Base64Url(json::serialize(header)) + "." + Base64Url(json::serialize(claims));
  const std::string signature = Base64Url(Sign(key.secret, input));
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

  const auto* kid = header_json.as_object().if_contains("kid");
  if (kid != nullptr && !kid->is_string()) return core::Fail(Rejected());
  // The keys that may have signed it: by kid, or (no kid) the current and the previous one.
  std::string candidates[2];
  std::size_t count = 0;
  {
    std::lock_guard lock(mutex_);
    const bool previous_valid = previous_.has_value() && clock_.Now() < previous_until_;
    if (kid == nullptr || kid->get_string() == current_.id) candidates[count++] = current_.secret;
    if (previous_valid && (kid == nullptr || kid->get_string() == previous_->id)) {
      candidates[count++] = previous_->secret;
    }
  }
  if (count == 0) {
    if (on_unknown_kid_) on_unknown_kid_();
    return core::Fail(Rejected());
  }
  bool signed_by_known_key = false;
  for (std::size_t i = 0; i < count && !signed_by_known_key; ++i) {
    const std::string expected = Sign(candidates[i], token.substr(0, second));
    signed_by_known_key = sodium_memcmp(expected.data(), signature->data(), expected.size()) == 0;
  }
  if (!signed_by_known_key) return core::Fail(Rejected());

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
