// The API's description against the real binary: /openapi.json serves the
// document of the source tree, /docs renders it, and the document has one
// operation per route the server serves, and no other.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/server_process.hpp"
#include "support/shared_server_test.hpp"

namespace salesboost {
namespace {

namespace json = boost::json;
using client::Fetch;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::value SourceDocument() { return json::parse(ReadFile(SALESBOOST_SOURCE_DIR "/src/api/openapi.json")); }

// "METHOD /path" for each operation of the document.
std::set<std::string> DocumentOperations(const json::value& document) {
  std::set<std::string> out;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!operation.is_object() || method == "parameters") continue;
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.insert(upper + " " + std::string(path));
    }
  }
  return out;
}

std::string Listed(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += "\n  " + item;
  return out;
}

class OpenApiE2e : public testing::SharedServerTest<OpenApiE2e> {
 public:
  static std::vector<std::string> Flags() { return {}; }
};

TEST_F(OpenApiE2e, ServesTheDocumentOfTheSourceTreeWithoutAToken) {
  auto reply = Fetch(server().endpoint(), "GET", "/openapi.json");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-type"), "application/json");
  boost::system::error_code ec;
  const auto served = json::parse(reply->body, ec);
  ASSERT_FALSE(ec) << "not JSON: " << ec.message();
  ASSERT_TRUE(served.is_object());
  const auto& version = served.at("openapi").as_string();
  EXPECT_TRUE(version.starts_with("3.1.")) << version;
  EXPECT_EQ(served, SourceDocument()) << "the binary embeds another document than src/api/openapi.json";
  // The document's version is the server's.
  auto version_reply = Fetch(server().endpoint(), "GET", "/api/v1/version");
  ASSERT_TRUE(version_reply) << version_reply.error().message;
  EXPECT_EQ(served.at("info").at("version"), json::parse(version_reply->body).at("version"));
}

TEST_F(OpenApiE2e, DocsPageIsHtmlListingEveryOperation) {
  auto reply = Fetch(server().endpoint(), "GET", "/docs");
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(reply->Header("content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'");
  const std::string& page = reply->body;
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
  EXPECT_EQ(page.find("href=\"http"), std::string::npos);
  // Each operation has its section, with its path and its answers.
  const auto document = SourceDocument();
  std::size_t operations = 0;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      const std::string id(operation.at("operationId").as_string());
      const auto section = page.find("id=\"op-" + id + "\"");
      ASSERT_NE(section, std::string::npos) << "no section for " << id;
      const auto end = page.find("</section>", section);
      const std::string body = page.substr(section, end - section);
      std::string escaped_path(path);
      EXPECT_NE(body.find("<code>" + escaped_path + "</code>"), std::string::npos) << id;
      for (const auto& [status, response] : operation.at("responses").as_object()) {
        EXPECT_NE(body.find("<td>" + std::string(status) + "</td>"), std::string::npos) << id << " " << status;
      }
      ++operations;
    }
  }
  EXPECT_GE(operations, 30U);
  // The error envelope is described once, with its fields.
  EXPECT_NE(page.find("id=\"schema-Error\""), std::string::npos);
}

// The routes the real binary serves (`serve --list-routes` builds the router as
// `serve` does, then prints it) against the operations of the document, both ways.
TEST(OpenApiRoutes, EveryRouteHasAnOperationAndEveryOperationARoute) {
  testing::TempDir dir;
  const auto listed = testing::RunCommand(
      {"serve", "--port", "0", "--list-routes", "--set", "data.dir=" + (dir.path() / "data").string()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::set<std::string> routes;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() != '{') routes.insert(line);  // the rest are JSON log lines
  }
  ASSERT_TRUE(routes.contains("GET /healthz")) << listed.out;
  ASSERT_TRUE(routes.contains("GET /ws")) << listed.out;

  const auto operations = DocumentOperations(SourceDocument());
  std::set<std::string> undocumented;
  for (const auto& route : routes) {
    if (!operations.contains(route)) undocumented.insert(route);
  }
  std::set<std::string> unserved;
  for (const auto& operation : operations) {
    if (!routes.contains(operation)) unserved.insert(operation);
  }
  EXPECT_TRUE(undocumented.empty()) << "routes without an operation in src/api/openapi.json:" << Listed(undocumented);
  EXPECT_TRUE(unserved.empty()) << "operations in src/api/openapi.json without a route:" << Listed(unserved);
}

}  // namespace
}  // namespace salesboost
