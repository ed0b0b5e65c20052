#include <gtest/gtest.h>
#include <sodium.h>

#include "core/manual_clock.hpp"
#include "identity/password_hasher.hpp"
#include "identity/token_service.hpp"
#include "identity/user_repository.hpp"

namespace salesboost::identity {
namespace {

using std::chrono::seconds;

const Principal kAlice{"u-1", "default", "alice", Role::kTrainee};
const std::string kKey(32, 'k');

std::chrono::system_clock::time_point Epoch(long s) { return std::chrono::system_clock::time_point(seconds(s)); }

TEST(TokenService, IssuedTokenVerifiesToTheSamePrincipal) {
  core::ManualClock clock(Epoch(1'800'000'000));
  TokenService tokens(kKey, seconds(1800), clock);
  const auto issued = tokens.Issue(kAlice);
  EXPECT_EQ(issued.expires_at, Epoch(1'800'001'800));
  auto verified = tokens.Verify(issued.token);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->user_id, "u-1");
  EXPECT_EQ(verified->tenant_id, "default");
  EXPECT_EQ(verified->username, "alice");
  EXPECT_EQ(verified->role, Role::kTrainee);
}

TEST(TokenService, ExpiredTokenIsRejected) {
  core::ManualClock clock(Epoch(1'800'000'000));
  TokenService tokens(kKey, seconds(60), clock);
  const auto issued = tokens.Issue(kAlice);
  clock.Advance(seconds(59));
  EXPECT_TRUE(tokens.Verify(issued.token));
  clock.Advance(seconds(1));
  auto expired = tokens.Verify(issued.token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, core::ErrorCode::kUnauthenticated);
}

TEST(TokenService, TamperedOrForeignTokensAreRejected) {
  core::ManualClock clock(Epoch(1'800'000'000));
  TokenService tokens(kKey, seconds(600), clock);
  TokenService other(std::string(32, 'z'), seconds(600), clock);
  const std::string token = tokens.Issue(kAlice).token;

  EXPECT_FALSE(other.Verify(token)) << "signed with another key";
  std::string flipped = token;
  flipped[flipped.find('.') + 5] ^= 1;  // change the payload
  EXPECT_FALSE(tokens.Verify(flipped));
  // An admin claim with the original signature.
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  const std::string forged_payload =
      R"({"sub":"u-1","tid":"default","name":"alice","role":"admin","iat":1,"exp":9999999999})";
  std::string encoded(sodium_base64_ENCODED_LEN(forged_payload.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(forged_payload.data()),
                    forged_payload.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  encoded.pop_back();
  EXPECT_FALSE(tokens.Verify(token.substr(0, dot1 + 1) + encoded + token.substr(dot2)));
  // alg "none" with no signature.
  EXPECT_FALSE(tokens.Verify("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + token.substr(dot1 + 1, dot2 - dot1 - 1) + "."));
  const std::vector<std::string> junk = {"", "a.b", "a.b.c.d", "....", std::string(5000, 'a')};
  for (const auto& j : junk) EXPECT_FALSE(tokens.Verify(j)) << j.substr(0, 20);
}

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  PasswordHasher hasher({.memory_kib = 64, .iterations = 1});
  auto hash = hasher.Hash("correct horse battery staple");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(hasher.Verify(*hash, "correct horse battery staple"));
  EXPECT_FALSE(hasher.Verify(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(hasher.Verify("not a hash", "anything"));
  auto again = hasher.Hash("correct horse battery staple");
  EXPECT_NE(*again, *hash) << "each hash has its own salt";
  EXPECT_FALSE(hasher.Hash(std::string(2000, 'p')));
}

TEST(PasswordHasher, GeneratedPasswordsAreLongAndDistinct) {
  const auto a = GeneratePassword();
  const auto b = GeneratePassword();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
}

TEST(Usernames, AreNormalisedAndValidated) {
  EXPECT_EQ(NormalizeUsername("Alice.Smith-2").value(), "alice.smith-2");
  EXPECT_FALSE(NormalizeUsername(""));
  EXPECT_FALSE(NormalizeUsername("has space"));
  EXPECT_FALSE(NormalizeUsername("名字"));
  EXPECT_FALSE(NormalizeUsername(std::string(65, 'a')));
}

}  // namespace
}  // namespace salesboost::identity
