#include "api/knowledge_routes.hpp"

#include <boost/json/array.hpp>

#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "api/knowledge_json.hpp"
#include "api/multipart.hpp"
#include "core/utf8.hpp"
#include "knowledge/document_identity.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

constexpr std::size_t kMaxFiles = 100;

// A collection or type name: 1-64 characters of [A-Za-z0-9_.-].
bool ValidName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

void AddKnowledgeRoutes(server::Router& router, identity::AuthService& auth, knowledge::KnowledgeBase& base,
                        std::int64_t max_upload_bytes) {
  router.Add(
      "POST", "/api/v1/knowledge/documents",
      Authenticated(
          auth, identity::Role::kAdmin,
          [&base](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
            auto parts = ParseMultipart(request.Header("content-type").value_or(""), request.body);
            if (!parts) co_return ErrorReply(parts.error(), request);
            std::string collection = "default";
            std::string type;
            std::vector<knowledge::SourceFile> files;
            for (auto& part : *parts) {
              if (part.name == "collection")
                collection = part.data;
              else if (part.name == "type")
                type = part.data;
              else if (part.name == "file") {
                // Only the last path segment of what the client calls the file.
                std::string name = part.filename.substr(part.filename.find_last_of("/\\") + 1);
                if (const auto problem = knowledge::FileNameProblem(name); !problem.empty()) {
                  co_return ErrorReply({core::ErrorCode::kInvalidArgument,
                                        "each file part needs a filename of 1 to 255 bytes of UTF-8 without "
                                        "control characters: " +
                                            problem},
                                       request);
                }
                files.push_back({std::move(name), std::move(part.data)});
              }
            }
            if (files.empty() || files.size() > kMaxFiles) {
              co_return ErrorReply({core::ErrorCode::kInvalidArgument, "send 1 to 100 parts named \"file\""}, request);
            }
            if (!ValidName(collection) || (!type.empty() && !ValidName(type))) {
              co_return ErrorReply({core::ErrorCode::kInvalidArgument,
                                    "collection and type: 1 to 64 characters of letters, digits, _ . -"},
                                   request);
            }
            json::array names;
            for (const auto& file : files) names.emplace_back(file.name);
            auto job = co_await base.Submit(admin.tenant_id, collection, type, std::move(files));
            if (!job) co_return ErrorReply(job.error(), request);
            auto response =
                JsonResponse(202, json::object{{"job_id", *job}, {"status", "queued"}, {"files", std::move(names)}});
            response.headers.emplace_back("Location", "/api/v1/knowledge/jobs/" + *job);
            co_return response;
          }),
      max_upload_bytes, BearerBeforeBody(auth, identity::Role::kAdmin));

  router.Add(
      "GET", "/api/v1/knowledge/jobs/{id}",
      Authenticated(auth, identity::Role::kAdmin,
                    [&base](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      auto job = co_await base.Job(admin.tenant_id, request.path_params.at("id"));
                      if (!job) co_return ErrorReply(job.error(), request);
                      co_return JsonResponse(200, JobJson(*job));
                    }));

  router.Add(
      "GET", "/api/v1/knowledge/documents",
      Authenticated(auth, identity::Role::kAdmin,
                    [&base](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      auto documents =
                          co_await base.Documents(admin.tenant_id, request.QueryParam("collection").value_or(""));
                      if (!documents) co_return ErrorReply(documents.error(), request);
                      json::array list;
                      for (const auto& document : *documents) list.emplace_back(DocumentJson(document));
                      co_return JsonResponse(200, json::object{{"documents", std::move(list)}});
                    }));

  router.Add(
      "GET", "/api/v1/knowledge/documents/{id}",
      Authenticated(auth, identity::Role::kAdmin,
                    [&base](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      auto document = co_await base.Document(admin.tenant_id, request.path_params.at("id"));
                      if (!document) co_return ErrorReply(document.error(), request);
                      co_return JsonResponse(200, DocumentDetailJson(*document));
                    }));

  router.Add(
      "DELETE", "/api/v1/knowledge/documents/{id}",
      Authenticated(auth, identity::Role::kAdmin,
                    [&base](HttpRequest request, identity::Principal admin) -> boost::asio::awaitable<HttpResponse> {
                      auto deleted = co_await base.Delete(admin.tenant_id, request.path_params.at("id"));
                      if (!deleted) co_return ErrorReply(deleted.error(), request);
                      co_return HttpResponse{
                          .status = 204, .content_type = "application/json", .body = {}, .headers = {}, .stream = {}};
                    }));

  router.Add(
      "POST", "/api/v1/knowledge/search",
      Authenticated(
          auth, [&base](HttpRequest request, identity::Principal principal) -> boost::asio::awaitable<HttpResponse> {
            auto body = ParseJsonObject(request);
            if (!body) co_return ErrorReply(body.error(), request);
            auto query = RequiredString(*body, "query", 2000);
            if (!query) co_return ErrorReply(query.error(), request);
            std::int64_t k = 5;
            if (const auto* value = body->if_contains("k")) {
              if (!value->is_int64() || value->get_int64() < 1 || value->get_int64() > 50) {
                co_return ErrorReply({core::ErrorCode::kInvalidArgument, "k must be an integer from 1 to 50"}, request);
              }
              k = value->get_int64();
            }
            knowledge::SearchRequest search{.tenant_id = principal.tenant_id,
                                            .text = std::move(*query),
                                            .k = static_cast<std::size_t>(k),
                                            .collections = {},
                                            .type = {},
                                            .language = {}};
            std::string collection;
            for (auto [key, field] : {std::pair<std::string_view, std::string*>{"collection", &collection},
                                      {"type", &search.type},
                                      {"language", &search.language}}) {
              auto value = OptionalString(*body, key, 64);
              if (!value) co_return ErrorReply(value.error(), request);
              if (*value) *field = std::move(**value);
            }
            if (!collection.empty()) search.collections.push_back(std::move(collection));
            auto hits = co_await base.Find(std::move(search));
            if (!hits) co_return ErrorReply(hits.error(), request);
            json::array list;
            for (const auto& hit : *hits) list.emplace_back(HitJson(hit));
            co_return JsonResponse(200, json::object{{"hits", std::move(list)}});
          }));
}

}  // namespace salesboost::api
