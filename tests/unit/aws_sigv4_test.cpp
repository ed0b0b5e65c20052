#include "infra/aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace salesboost {
namespace {

const std::filesystem::path kVectors = std::filesystem::path(SALESBOOST_SOURCE_DIR) / "tests" / "data" / "aws-sigv4";

std::string Read(const std::string& name) {
  std::ifstream in(kVectors / name, std::ios::binary);
  EXPECT_TRUE(in) << "missing vector file " << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A .req file: "METHOD target HTTP/1.1", "Name:value" lines, an empty line, the body.
aws::SignableRequest ParseRequest(const std::string& text) {
  aws::SignableRequest request;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const auto space = line.find(' ');
  const auto last = line.rfind(' ');
  request.method = line.substr(0, space);
  const std::string target = line.substr(space + 1, last - space - 1);
  const auto question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  while (std::getline(in, line) && !line.empty()) {
    const auto colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  std::ostringstream body;
  body << in.rdbuf();
  request.body = body.str();
  return request;
}

const aws::Credentials kCredentials{.access_key_id = "AKIDEXAMPLE",
                                    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                    .session_token = {}};
const aws::SigningScope kScope{.amz_date = "20150830T123600Z", .region = "us-east-1", .service = "service"};

class SigV4Suite : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4Suite, AuthorizationMatchesThePublishedVector) {
  const auto request = ParseRequest(Read(GetParam() + ".req"));
  EXPECT_EQ(aws::AuthorizationHeader(request, kScope, kCredentials), Read(GetParam() + ".authz"));
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4Suite,
                         ::testing::Values("get-vanilla", "get-vanilla-query", "get-vanilla-query-order-key",
                                           "get-vanilla-query-unreserved", "post-vanilla", "post-x-www-form-urlencoded",
                                           "post-sts-header-before"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(SigV4, CanonicalRequestAndStringToSignMatchThePublishedVectors) {
  for (const std::string name : {"post-x-www-form-urlencoded", "get-vanilla-query-order-key"}) {
    const auto request = ParseRequest(Read(name + ".req"));
    const std::string canonical = aws::CanonicalRequest(request);
    EXPECT_EQ(canonical, Read(name + ".creq")) << name;
    EXPECT_EQ(aws::StringToSign(canonical, kScope), Read(name + ".sts")) << name;
  }
}

TEST(SigV4, SignAddsDateTokenAndAChangedBodyChangesTheSignature) {
  aws::SignableRequest request{.method = "POST",
                               .path = "/",
                               .query = {},
                               .headers = {{"Host", "secretsmanager.eu-west-1.amazonaws.com"}},
                               .body = R"({"SecretId":"a"})"};
  auto with_token = kCredentials;
  with_token.session_token = "session";
  const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));  // 2015-08-30T12:36:00Z
  auto signed_request = request;
  aws::Sign(signed_request, "eu-west-1", "secretsmanager", with_token, at);
  std::map<std::string, std::string> headers(signed_request.headers.begin(), signed_request.headers.end());
  EXPECT_EQ(headers["X-Amz-Date"], "20150830T123600Z");
  EXPECT_EQ(headers["X-Amz-Security-Token"], "session");
  aws::ParsedAuthorization parsed;
  ASSERT_TRUE(aws::ParseAuthorization(headers["Authorization"], parsed));
  EXPECT_EQ(parsed.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed.region, "eu-west-1");
  EXPECT_EQ(parsed.service, "secretsmanager");
  EXPECT_EQ(parsed.signed_headers, (std::vector<std::string>{"host", "x-amz-date", "x-amz-security-token"}));

  auto tampered = request;
  tampered.body = R"({"SecretId":"b"})";
  aws::Sign(tampered, "eu-west-1", "secretsmanager", with_token, at);
  aws::ParsedAuthorization other;
  ASSERT_TRUE(aws::ParseAuthorization(tampered.headers.back().second, other));
  EXPECT_NE(parsed.signature, other.signature);
  EXPECT_FALSE(aws::ParseAuthorization("Bearer x", other));
}

}  // namespace
}  // namespace salesboost
