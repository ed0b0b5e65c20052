#include <gtest/gtest.h>

#include <string>

#include "api/openapi_document.hpp"
#include "api/openapi_routes.hpp"

namespace salesboost::api {
namespace {

constexpr std::string_view kDocument = R"json({
  "openapi": "3.1.0",
  "info": {"title": "Shop <API>", "version": "2.0", "description": "Sells `things`."},
  "tags": [{"name": "orders", "description": "Orders"}],
  "paths": {
    "/orders/{id}": {
      "get": {
        "tags": ["orders"], "summary": "An order", "operationId": "getOrder",
        "description": "Never <script>alert(1)</script> here.",
        "security": [{"bearerAuth": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}],
        "responses": {
          "200": {"description": "The order", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Order": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "string"}, "lines": {"type": "array", "items": {"type": "object",
                  "properties": {"sku": {"type": "string", "description": "stock unit"}}}}}}
    },
    "responses": {"NotFound": {"description": "No such order"}}
  }
})json";

TEST(ApiPage, ListsEachOperationWithItsParametersAndAnswers) {
  const auto page = RenderApiPage(kDocument);
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_TRUE(page->starts_with("<!DOCTYPE html>"));
  EXPECT_NE(page->find("<title>Shop &lt;API&gt;</title>"), std::string::npos);
  EXPECT_NE(page->find("id=\"op-getOrder\""), std::string::npos);
  EXPECT_NE(page->find("<code>/orders/{id}</code>"), std::string::npos);
  EXPECT_NE(page->find("<td><code>id</code></td><td>path</td><td>string</td><td>yes</td>"), std::string::npos);
  EXPECT_NE(page->find("<a href=\"#schema-Order\">Order</a>"), std::string::npos);
  EXPECT_NE(page->find("<td>404</td><td>No such order</td>"), std::string::npos);  // through its $ref
  EXPECT_NE(page->find("<code>lines[].sku</code>"), std::string::npos);            // nested fields listed
  EXPECT_NE(page->find("Authentication: <code>bearerAuth</code>"), std::string::npos);
  EXPECT_NE(page->find("Sells <code>things</code>."), std::string::npos);
}

TEST(ApiPage, EscapesTheDocumentsText) {
  const auto page = RenderApiPage(kDocument);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->find("<script"), std::string::npos);
  EXPECT_NE(page->find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(ApiPage, RefusesWhatIsNotAnOpenApiDocument) {
  EXPECT_FALSE(RenderApiPage("not json").has_value());
  EXPECT_FALSE(RenderApiPage("[1, 2]").has_value());
  EXPECT_FALSE(RenderApiPage(R"({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}})").has_value());
}

TEST(ApiPage, RendersTheBuiltInDocument) {
  const auto page = RenderApiPage(OpenApiDocument());
  ASSERT_TRUE(page.has_value()) << page.error().message;
  EXPECT_NE(page->find("id=\"op-login\""), std::string::npos);
  EXPECT_NE(page->find("id=\"schema-Error\""), std::string::npos);
}

}  // namespace
}  // namespace salesboost::api
