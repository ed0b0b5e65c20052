#include "api/openapi_routes.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "api/openapi_document.hpp"
#include "core/check.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

constexpr std::string_view kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};

constexpr std::string_view kStyle = R"css(
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1d1f21;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ccd;padding-bottom:.2rem;margin-top:2.5rem}
section.op{border:1px solid #dde;border-radius:6px;padding:.3rem 1rem .8rem;margin:1rem 0}
h3{font-size:1.05rem;margin:.6rem 0}h4{margin:.8rem 0 .3rem;font-size:.95rem}
code{background:#f3f3f7;padding:0 .25rem;border-radius:3px}
.method{display:inline-block;min-width:4.2rem;text-align:center;color:#fff;border-radius:4px;padding:.05rem .4rem;
font-family:monospace;font-size:.9rem}
.get{background:#2b7bb9}.post{background:#2f9e44}.put{background:#c77c02}.delete{background:#c92a2a}
.patch{background:#7048e8}.head,.options,.trace{background:#666}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #dde;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f6fa}.auth{color:#555;font-size:.92rem}nav li{margin:.1rem 0}
)css";

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Escaped text with `code` spans; blank lines start a new paragraph (for Prose).
std::string Inline(std::string_view text) {
  const std::string escaped = Escape(text);
  std::string out;
  bool in_code = false;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '`') {
      out += in_code ? "</code>" : "<code>";
      in_code = !in_code;
    } else if (escaped.compare(i, 2, "\n\n") == 0 && !in_code) {
      out += "</p><p>";
      ++i;
    } else {
      out += escaped[i];
    }
  }
  if (in_code) out += "</code>";
  return out;
}

std::string Prose(std::string_view text) { return "<p>" + Inline(text) + "</p>"; }

std::string_view StringOr(const json::object& object, std::string_view key, std::string_view fallback = "") {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string_view(value->get_string()) : fallback;
}

// The last segment of a local reference: "#/components/schemas/Session" -> "Session".
std::string_view RefName(std::string_view ref) { return ref.substr(ref.rfind('/') + 1); }

// The value at JSON pointer `pointer` ("/components/schemas/Session") under `root`; nullptr when absent.
const json::value* AtPointer(const json::value& root, std::string_view pointer) {
  const json::value* node = &root;
  while (!pointer.empty() && node != nullptr) {
    if (pointer.front() != '/') return nullptr;
    pointer.remove_prefix(1);
    const auto end = std::min(pointer.find('/'), pointer.size());
    std::string token(pointer.substr(0, end));
    pointer.remove_prefix(end);
    for (std::size_t at = 0; (at = token.find('~', at)) != std::string::npos; ++at) {
      if (at + 1 < token.size()) token.replace(at, 2, token[at + 1] == '1' ? "/" : "~");
    }
    if (node->is_object()) {
      node = node->get_object().if_contains(token);
    } else if (node->is_array()) {
      const auto& array = node->get_array();
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      node = ec == std::errc() && ptr == token.data() + token.size() && index < array.size() ? &array[index] : nullptr;
    } else {
      return nullptr;
    }
  }
  return node;
}

// `node` with its local $ref followed (a few levels at most); nullptr when one does not resolve.
const json::object* Resolved(const json::value& document, const json::value& node) {
  const json::value* current = &node;
  for (int depth = 0; depth < 8 && current != nullptr && current->is_object(); ++depth) {
    const auto* ref = current->get_object().if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return &current->get_object();
    const std::string_view pointer = ref->get_string();
    if (!pointer.starts_with("#/")) return nullptr;
    current = AtPointer(document, pointer.substr(1));
  }
  return nullptr;
}

std::string Scalar(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  return json::serialize(value);
}

std::string SchemaSummary(const json::value& schema);

std::string Joined(const json::array& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += SchemaSummary(part);
  }
  return out;
}

// A schema in a few words, as HTML: a link for a reference, else its type and values.
std::string SchemaSummary(const json::value& schema) {
  if (!schema.is_object()) return schema.is_bool() && schema.get_bool() ? "any" : "nothing";
  const auto& s = schema.get_object();
  if (const auto* ref = s.if_contains("$ref"); ref != nullptr && ref->is_string()) {
    const auto name = Escape(RefName(ref->get_string()));
    return "<a href=\"#schema-" + name + "\">" + name + "</a>";
  }
  if (const auto* all = s.if_contains("allOf"); all != nullptr && all->is_array()) {
    // An error reference narrowed to some codes: "Error (code: a, b)".
    std::string out;
    std::string codes;
    for (const auto& part : all->get_array()) {
      const auto* narrowed = AtPointer(part, "/properties/error/properties/code/enum");
      if (narrowed != nullptr && narrowed->is_array()) {
        for (const auto& code : narrowed->get_array()) codes += (codes.empty() ? "" : ", ") + Escape(Scalar(code));
      } else {
        out += (out.empty() ? "" : " and ") + SchemaSummary(part);
      }
    }
    return codes.empty() ? out : out + " (code: " + codes + ")";
  }
  for (std::string_view key : {"oneOf", "anyOf"}) {
    if (const auto* alternatives = s.if_contains(key); alternatives != nullptr && alternatives->is_array()) {
      const auto* properties = s.if_contains("properties");
      std::string out = properties != nullptr && properties->is_object() ? "object; " : "";
      out += Joined(alternatives->get_array(), " or ");
      return out;
    }
  }
  std::string type;
  if (const auto* t = s.if_contains("type")) {
    if (t->is_string()) {
      type = t->get_string();
    } else if (t->is_array()) {
      for (const auto& each : t->get_array()) type += (type.empty() ? "" : " or ") + Scalar(each);
    }
  }
  if (type == "array") {
    const auto* items = s.if_contains("items");
    return "array of " + (items != nullptr ? SchemaSummary(*items) : std::string("any"));
  }
  std::string out = Escape(type.empty() ? "any" : type);
  if (const auto* format = s.if_contains("format"); format != nullptr && format->is_string()) {
    out += " (" + Escape(format->get_string()) + ")";
  }
  if (const auto* constant = s.if_contains("const")) out += " = <code>" + Escape(Scalar(*constant)) + "</code>";
  if (const auto* values = s.if_contains("enum"); values != nullptr && values->is_array()) {
    std::string list;
    for (const auto& value : values->get_array()) {
      list += (list.empty() ? "" : " | ") + std::string("<code>") + Escape(Scalar(value)) + "</code>";
    }
    out += ": " + list;
  }
  return out;
}

// Bounds and defaults of a schema: "1-64 long", "min 1", "default 20", "pattern ...".
std::string Constraints(const json::object& s) {
  std::string out;
  const auto add = [&out](std::string text) { out += (out.empty() ? "" : "; ") + std::move(text); };
  static constexpr std::pair<std::string_view, std::string_view> kBounds[] = {
      {"minLength", "min length"},   {"maxLength", "max length"}, {"minimum", "min"},
      {"exclusiveMinimum", "above"}, {"maximum", "max"},          {"minItems", "min items"},
      {"maxItems", "max items"},     {"pattern", "pattern"},      {"default", "default"}};
  for (const auto& [key, label] : kBounds) {
    if (const auto* value = s.if_contains(key))
      add(std::string(label) + " <code>" + Escape(Scalar(*value)) + "</code>");
  }
  return out;
}

bool IsRequired(const json::object& schema, std::string_view name) {
  const auto* required = schema.if_contains("required");
  if (required == nullptr || !required->is_array()) return false;
  for (const auto& each : required->get_array()) {
    if (each.is_string() && each.get_string() == name) return true;
  }
  return false;
}

// The rows of an object schema's properties; the fields of an inline object, or of
// an array's inline object items, follow their parent as "parent.field" / "parent[].field".
void PropertyRows(const json::object& schema, const std::string& prefix, int depth, std::string& out) {
  const auto* properties = schema.if_contains("properties");
  if (properties == nullptr || !properties->is_object()) return;
  for (const auto& [name, property] : properties->get_object()) {
    const json::object empty;
    const auto& p = property.is_object() ? property.get_object() : empty;
    const std::string field = prefix + std::string(name);
    out += "<tr><td><code>" + Escape(field) + "</code></td><td>" + SchemaSummary(property) + "</td><td>" +
           (IsRequired(schema, name) ? "yes" : "") + "</td><td>" + Constraints(p) + "</td><td>" +
           Inline(StringOr(p, "description")) + "</td></tr>";
    if (depth >= 4 || p.contains("$ref")) continue;
    if (p.contains("properties")) {
      PropertyRows(p, field + ".", depth + 1, out);
    } else if (const auto* items = p.if_contains("items");
               items != nullptr && items->is_object() && !items->get_object().contains("$ref")) {
      PropertyRows(items->get_object(), field + "[].", depth + 1, out);
    }
  }
}

// The properties of an object schema as a table (nothing when it has none).
std::string PropertiesTable(const json::object& schema) {
  const auto* properties = schema.if_contains("properties");
  if (properties == nullptr || !properties->is_object() || properties->get_object().empty()) return {};
  std::string out = "<table><tr><th>field</th><th>type</th><th>required</th><th>bounds</th><th>description</th></tr>";
  PropertyRows(schema, "", 0, out);
  return out + "</table>";
}

std::string Security(const json::value& document, const json::object& operation) {
  const json::value* security = operation.if_contains("security");
  if (security == nullptr) security = document.get_object().if_contains("security");
  if (security == nullptr || !security->is_array() || security->get_array().empty()) return "none";
  std::string out;
  for (const auto& requirement : security->get_array()) {
    if (!requirement.is_object()) continue;
    std::string names;
    for (const auto& [name, scopes] : requirement.get_object()) {
      names += (names.empty() ? "" : " and ") + std::string("<code>") + Escape(name) + "</code>";
    }
    out += (out.empty() ? "" : " or ") + (names.empty() ? std::string("none") : names);
  }
  return out;
}

std::string Parameters(const json::value& document, const json::object& operation) {
  const auto* parameters = operation.if_contains("parameters");
  if (parameters == nullptr || !parameters->is_array() || parameters->get_array().empty()) return {};
  std::string out =
      "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>required</th><th>bounds</th>"
      "<th>description</th></tr>";
  for (const auto& each : parameters->get_array()) {
    const auto* p = Resolved(document, each);
    if (p == nullptr) continue;
    const json::object empty;
    const auto* schema = p->if_contains("schema");
    const auto& s = schema != nullptr && schema->is_object() ? schema->get_object() : empty;
    const auto* required = p->if_contains("required");
    out += "<tr><td><code>" + Escape(StringOr(*p, "name")) + "</code></td><td>" + Escape(StringOr(*p, "in")) +
           "</td><td>" + (schema != nullptr ? SchemaSummary(*schema) : std::string("any")) + "</td><td>" +
           (required != nullptr && required->is_bool() && required->get_bool() ? "yes" : "") + "</td><td>" +
           Constraints(s) + "</td><td>" + Inline(StringOr(*p, "description")) + "</td></tr>";
  }
  return out + "</table>";
}

// "application/json: Session" for each media type of a body or response.
std::string Contents(const json::object& holder) {
  const auto* content = holder.if_contains("content");
  if (content == nullptr || !content->is_object()) return {};
  std::string out;
  for (const auto& [type, media] : content->get_object()) {
    const auto* schema = media.is_object() ? media.get_object().if_contains("schema") : nullptr;
    out += (out.empty() ? "" : "<br>") + std::string("<code>") + Escape(type) + "</code>" +
           (schema != nullptr ? ": " + SchemaSummary(*schema) : std::string());
  }
  return out;
}

std::string Body(const json::value& document, const json::object& operation) {
  const auto* reference = operation.if_contains("requestBody");
  if (reference == nullptr) return {};
  const auto* body = Resolved(document, *reference);
  if (body == nullptr) return {};
  const auto* required = body->if_contains("required");
  const bool must = required != nullptr && required->is_bool() && required->get_bool();
  std::string out =
      std::string("<h4>Request body") + (must ? "" : " (optional)") + "</h4><p>" + Contents(*body) + "</p>";
  if (const auto description = StringOr(*body, "description"); !description.empty()) out += Prose(description);
  return out;
}

std::string Responses(const json::value& document, const json::object& operation) {
  const auto* responses = operation.if_contains("responses");
  if (responses == nullptr || !responses->is_object()) return {};
  std::string out =
      "<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th><th>headers</th></tr>";
  for (const auto& [status, each] : responses->get_object()) {
    const auto* response = Resolved(document, each);
    if (response == nullptr) continue;
    std::string headers;
    if (const auto* h = response->if_contains("headers"); h != nullptr && h->is_object()) {
      for (const auto& [name, header] : h->get_object()) {
        headers += (headers.empty() ? "" : ", ") + std::string("<code>") + Escape(name) + "</code>";
      }
    }
    out += "<tr><td>" + Escape(status) + "</td><td>" + Inline(StringOr(*response, "description")) + "</td><td>" +
           Contents(*response) + "</td><td>" + headers + "</td></tr>";
  }
  return out + "</table>";
}

std::string Operation(const json::value& document, std::string_view path, std::string_view method,
                      const json::object& operation) {
  const std::string id(StringOr(operation, "operationId", path));
  std::string upper(method);
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  std::string out = "<section class=\"op\" id=\"op-" + Escape(id) + "\"><h3><span class=\"method " +
                    std::string(method) + "\">" + upper + "</span> <code>" + Escape(path) + "</code> " +
                    Escape(StringOr(operation, "summary")) + "</h3>";
  if (const auto description = StringOr(operation, "description"); !description.empty()) out += Prose(description);
  out += "<p class=\"auth\">Authentication: " + Security(document, operation) + "</p>";
  out += Parameters(document, operation);
  out += Body(document, operation);
  out += Responses(document, operation);
  return out + "</section>";
}

struct OperationRef {
  std::string_view path;
  std::string_view method;
  const json::object* operation;
};

}  // namespace

std::string_view OpenApiDocument() {
  const auto document = core::FindEmbeddedFile(OpenApiFiles(), "openapi.json");
  SB_CHECK(document.has_value());
  return *document;
}

core::Result<std::string> RenderApiPage(std::string_view text) {
  boost::system::error_code ec;
  const auto parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return core::Fail(core::ErrorCode::kInvalidArgument, "not a JSON object");
  const auto& document = parsed.get_object();
  const auto* info = document.if_contains("info");
  const auto* paths = document.if_contains("paths");
  if (info == nullptr || !info->is_object() || paths == nullptr || !paths->is_object()) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the document needs an info object and a paths object");
  }
  // Operations by tag, in the order the document lists its tags, then any other tag.
  std::vector<std::string> tags;
  std::vector<std::string> descriptions;
  if (const auto* listed = document.if_contains("tags"); listed != nullptr && listed->is_array()) {
    for (const auto& tag : listed->get_array()) {
      if (!tag.is_object()) continue;
      tags.emplace_back(StringOr(tag.get_object(), "name"));
      descriptions.emplace_back(StringOr(tag.get_object(), "description"));
    }
  }
  std::vector<std::vector<OperationRef>> by_tag(tags.size());
  for (const auto& [path, item] : paths->get_object()) {
    if (!item.is_object()) continue;
    for (auto method : kMethods) {
      const auto* operation = item.get_object().if_contains(method);
      if (operation == nullptr || !operation->is_object()) continue;
      std::string tag = "other";
      if (const auto* t = operation->get_object().if_contains("tags");
          t != nullptr && t->is_array() && !t->get_array().empty() && t->get_array()[0].is_string()) {
        tag = t->get_array()[0].get_string();
      }
      auto at = std::find(tags.begin(), tags.end(), tag);
      if (at == tags.end()) {
        tags.push_back(tag);
        descriptions.emplace_back();
        by_tag.emplace_back();
        at = tags.end() - 1;
      }
      by_tag[static_cast<std::size_t>(at - tags.begin())].push_back({path, method, &operation->get_object()});
    }
  }

  const auto& i = info->get_object();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Escape(StringOr(i, "title", "API")) +
      "</title><style>" + std::string(kStyle) + "</style></head><body><h1>" + Escape(StringOr(i, "title", "API")) +
      "</h1><p>Version " + Escape(StringOr(i, "version")) + " · OpenAPI " + Escape(StringOr(document, "openapi")) +
      " · the document: <a href=\"/openapi.json\">/openapi.json</a></p>" + Prose(StringOr(i, "description"));
  out += "<nav><h2>Operations</h2><ul>";
  for (std::size_t t = 0; t < tags.size(); ++t) {
    if (by_tag[t].empty()) continue;
    out += "<li><a href=\"#tag-" + Escape(tags[t]) + "\">" + Escape(tags[t]) + "</a><ul>";
    for (const auto& op : by_tag[t]) {
      std::string upper(op.method);
      for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
      out += "<li><a href=\"#op-" + Escape(StringOr(*op.operation, "operationId", op.path)) + "\">" + upper + " " +
             Escape(op.path) + "</a> " + Escape(StringOr(*op.operation, "summary")) + "</li>";
    }
    out += "</ul></li>";
  }
  out += "<li><a href=\"#schemas\">schemas</a></li></ul></nav>";
  for (std::size_t t = 0; t < tags.size(); ++t) {
    if (by_tag[t].empty()) continue;
    out += "<h2 id=\"tag-" + Escape(tags[t]) + "\">" + Escape(tags[t]) + "</h2>";
    if (!descriptions[t].empty()) out += Prose(descriptions[t]);
    for (const auto& op : by_tag[t]) out += Operation(parsed, op.path, op.method, *op.operation);
  }
  out += "<h2 id=\"schemas\">Schemas</h2>";
  if (const auto* schemas = AtPointer(parsed, "/components/schemas"); schemas != nullptr && schemas->is_object()) {
    for (const auto& [name, schema] : schemas->get_object()) {
      out += "<section class=\"op\" id=\"schema-" + Escape(name) + "\"><h3>" + Escape(name) + "</h3>";
      if (!schema.is_object()) {
        out += "</section>";
        continue;
      }
      const auto& s = schema.get_object();
      if (const auto description = StringOr(s, "description"); !description.empty()) out += Prose(description);
      out += "<p>" + SchemaSummary(schema) + "</p>" + PropertiesTable(s) + "</section>";
    }
  }
  return out + "</body></html>\n";
}

void AddOpenApiRoutes(server::Router& router) {
  auto page = RenderApiPage(OpenApiDocument());
  SB_CHECK(page.has_value());
  auto html = std::make_shared<const std::string>(std::move(*page));

  router.Add("GET", "/openapi.json", [](HttpRequest) -> boost::asio::awaitable<HttpResponse> {
    co_return HttpResponse::Json(200, std::string(OpenApiDocument()));
  });

  router.Add("GET", "/docs", [html](HttpRequest) -> boost::asio::awaitable<HttpResponse> {
    auto response = HttpResponse::Text(200, "text/html; charset=utf-8", *html);
    // Nothing runs and nothing loads: the page's own <style> is all it uses.
    response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    co_return response;
  });
}

}  // namespace salesboost::api
