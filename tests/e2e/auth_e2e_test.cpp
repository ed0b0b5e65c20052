// Logging in against the real server: the demo trainee, users made by
// `salesboost user add`, wrong credentials and malformed bodies.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

using client::Fetch;
namespace json = boost::json;

class AuthE2e : public testing::SharedServerTest<AuthE2e> {
 public:
  static std::vector<std::string> Flags() { return {}; }
};

core::Result<client::HttpReply> Login(const testing::ServerProcess& server, const std::string& username,
                                      const std::string& password) {
  return Fetch(server.endpoint(), "POST", "/api/v1/auth/login",
               json::serialize(json::object{{"username", username}, {"password", password}}),
               {{"Content-Type", "application/json"}});
}

TEST_F(AuthE2e, DemoTraineeLogsInAndTheTokenIdentifiesThem) {
  const auto password = server().DemoTraineePassword();
  ASSERT_EQ(password.size(), 20u);
  auto login = Login(server(), "trainee", password);
  ASSERT_TRUE(login) << login.error().message;
  ASSERT_EQ(login->status, 200) << login->body;
  const auto body = json::parse(login->body);
  EXPECT_EQ(body.at("token_type").as_string(), "Bearer");
  EXPECT_EQ(body.at("user").at("role").as_string(), "trainee");
  const std::string token(body.at("token").as_string());

  auto me = Fetch(server().endpoint(), "GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(json::parse(me->body).at("username").as_string(), "trainee");
}

TEST_F(AuthE2e, WrongPasswordAndUnknownUserGetTheSame401) {
  auto wrong = Login(server(), "trainee", "not-the-password");
  auto unknown = Login(server(), "nobody", "not-the-password");
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(json::parse(wrong->body).at("error").at("message"), json::parse(unknown->body).at("error").at("message"));
  EXPECT_EQ(wrong->Header("www-authenticate"), "Bearer");
}

TEST_F(AuthE2e, BadTokensAreRejected) {
  const std::vector<std::string> headers = {"", "Bearer", "Bearer abc.def.ghi", "Basic dHJhaW5lZTp4"};
  for (const auto& header : headers) {
    auto me = Fetch(server().endpoint(), "GET", "/api/v1/auth/me", "", {{"Authorization", header}});
    ASSERT_TRUE(me);
    EXPECT_EQ(me->status, 401) << header;
    EXPECT_EQ(json::parse(me->body).at("error").at("code").as_string(), "unauthenticated");
  }
}

TEST_F(AuthE2e, MalformedLoginBodiesGet400) {
  const std::vector<std::string> bodies = {"",
                                           "not json",
                                           "[]",
                                           R"({"username":"trainee"})",
                                           R"({"username":5,"password":"x"})",
                                           "{\"username\":\"\xff\",\"password\":\"x\"}"};
  for (const auto& body : bodies) {
    auto reply = Fetch(server().endpoint(), "POST", "/api/v1/auth/login", body);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << body << " -> " << reply->body;
    EXPECT_EQ(json::parse(reply->body).at("error").at("code").as_string(), "invalid_argument");
  }
}

TEST(AuthE2eCli, UserAddCreatesAUserWhoCanLogIn) {
  testing::TempDir dir;
  const std::string data = "data.dir=" + dir.path().string();
  const std::vector<std::string> cheap = {"--set", "auth.password_hash_memory_kib=64", "--set",
                                          "auth.password_hash_iterations=1"};
  auto args = std::vector<std::string>{"user", "add", "coach.li", "--admin", "--set", data};
  args.insert(args.end(), cheap.begin(), cheap.end());
  const auto created = testing::RunCommand(args);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("created admin \"coach.li\""), std::string::npos) << created.out;
  const auto at = created.out.find("password: ");
  ASSERT_NE(at, std::string::npos);
  const std::string password = created.out.substr(at + 10, 20);

  const auto duplicate = testing::RunCommand(args);
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_NE(duplicate.err.find("already exists"), std::string::npos) << duplicate.err;

  auto server = testing::ServerProcess::Start({"--set", data});
  auto login = Login(*server, "Coach.Li", password);
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_EQ(json::parse(login->body).at("user").at("role").as_string(), "admin");
}

TEST(AuthE2eCli, UserListPasswdAndDeleteManageAccounts) {
  testing::TempDir dir;
  const std::vector<std::string> common = {"--set", "data.dir=" + dir.path().string(),
                                           "--set", "auth.password_hash_memory_kib=64",
                                           "--set", "auth.password_hash_iterations=1"};
  auto run = [&](std::vector<std::string> args, const std::string& stdin_text = {}) {
    args.insert(args.end(), common.begin(), common.end());
    return testing::RunCommand(args, {}, {}, stdin_text);
  };
  const auto weak = run({"user", "add", "dora", "--password-file", "-"}, "password123\n");
  EXPECT_EQ(weak.exit_code, 2) << weak.out;
  EXPECT_NE(weak.err.find("too common"), std::string::npos) << weak.err;
  ASSERT_EQ(run({"user", "add", "dora", "--password-file", "-"}, "dora's own passphrase\n").exit_code, 0);
  ASSERT_EQ(run({"user", "add", "eve"}).exit_code, 0);

  const auto listed = run({"user", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("dora"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("eve"), std::string::npos) << listed.out;

  auto server = testing::ServerProcess::Start(common);
  const auto before = server->Login("dora", "dora's own passphrase");
  ASSERT_FALSE(before.empty());
  const auto changed = run({"user", "passwd", "dora"});
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.out.find("earlier tokens no longer work"), std::string::npos) << changed.out;
  const std::string generated = changed.out.substr(changed.out.find("password: ") + 10, 20);
  auto me = client::Fetch(server->endpoint(), "GET", "/api/v1/auth/me", {}, {{"Authorization", "Bearer " + before}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
  EXPECT_FALSE(server->Login("dora", generated).empty());

  const auto deleted = run({"user", "delete", "eve"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_NE(deleted.out.find("deleted \"eve\""), std::string::npos) << deleted.out;
  EXPECT_EQ(run({"user", "list"}).out.find("eve"), std::string::npos);
  const auto missing = run({"user", "delete", "eve"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no user \"eve\""), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace salesboost
