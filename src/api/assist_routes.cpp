#include "api/assist_routes.hpp"

#include <boost/json/array.hpp>
#include <optional>

#include "api/auth_routes.hpp"
#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "catalog/course_file.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

constexpr std::size_t kMaxTextChars = 2000;

// The response to send instead when the caller is over the rate limit (429)
// or the limiter cannot be asked.
boost::asio::awaitable<std::optional<HttpResponse>> OverLimit(core::RateLimiter& limiter, std::string user_id,
                                                              const HttpRequest& request) {
  auto decision = co_await limiter.Acquire(std::move(user_id));
  if (!decision) co_return ErrorReply(decision.error(), request);
  if (!decision->allowed) co_return RateLimited(*decision, "too many requests; retry later", request);
  co_return std::nullopt;
}

// What assist may search: the collections of `course_id` (see
// catalog::CourseCollections) or the one `collection`; exactly one of them
// must be given. kNotFound for an unknown course.
boost::asio::awaitable<core::Result<std::vector<std::string>>> Collections(catalog::CatalogRepository& catalog,
                                                                           std::string tenant_id,
                                                                           std::optional<std::string> course_id,
                                                                           std::optional<std::string> collection) {
  if (course_id.has_value() == collection.has_value()) {
    co_return core::Fail(core::ErrorCode::kInvalidArgument, "give exactly one of course_id and collection");
  }
  if (collection) co_return std::vector<std::string>{std::move(*collection)};
  auto course = co_await catalog.Course(std::move(tenant_id), std::move(*course_id));
  if (!course) co_return core::Fail(course.error());
  co_return catalog::CourseCollections(*course);
}

}  // namespace

void AddAssistRoutes(server::Router& router, identity::AuthService& auth, conversation::Agents& agents,
                     catalog::CatalogRepository& catalog, core::RateLimiter& limiter) {
  router.Add(
      "POST", "/api/v1/classify",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        if (auto refused = co_await OverLimit(limiter, who.user_id, request)) co_return std::move(*refused);
        auto body = ParseJsonObject(request);
        if (!body) co_return ErrorReply(body.error(), request);
        auto model = RequiredString(*body, "model", 16);
        if (!model) co_return ErrorReply(model.error(), request);
        auto text = RequiredString(*body, "text", kMaxTextChars);
        if (!text) co_return ErrorReply(text.error(), request);
        json::object out{{"model", *model}};
        if (*model == "sales") {
          const auto act = agents.classifier->Classify(*text, "");
          out["label"] = act.label;
          out["confidence"] = act.confidence;
        } else if (*model == "customer") {
          const auto intent = agents.intents->Classify(*text);
          out["label"] = intent.label;
          out["confidence"] = intent.confidence;
        } else {
          co_return ErrorReply(core::Error{core::ErrorCode::kInvalidArgument, "model must be sales or customer"},
                               request);
        }
        co_return JsonResponse(200, out);
      }));

  router.Add(
      "POST", "/api/v1/assist",
      Authenticated(auth, [&](HttpRequest request, identity::Principal who) -> boost::asio::awaitable<HttpResponse> {
        if (auto refused = co_await OverLimit(limiter, who.user_id, request)) co_return std::move(*refused);
        auto body = ParseJsonObject(request);
        if (!body) co_return ErrorReply(body.error(), request);
        auto message = RequiredString(*body, "customer_message", kMaxTextChars);
        if (!message) co_return ErrorReply(message.error(), request);
        auto context = OptionalString(*body, "context", kMaxTextChars);
        if (!context) co_return ErrorReply(context.error(), request);
        auto course_id = OptionalString(*body, "course_id", 64);
        if (!course_id) co_return ErrorReply(course_id.error(), request);
        auto collection = OptionalString(*body, "collection", 64);
        if (!collection) co_return ErrorReply(collection.error(), request);
        auto scope = Collections(catalog, who.tenant_id, std::move(*course_id), std::move(*collection));
        auto collections = co_await std::move(scope);
        if (!collections) co_return ErrorReply(collections.error(), request);
        auto assist = agents.assistant->Assist(conversation::AssistRequest{.customer_message = std::move(*message),
                                                                           .context = context->value_or(""),
                                                                           .collections = std::move(*collections)});
        auto answer = co_await std::move(assist);
        if (!answer) co_return ErrorReply(answer.error(), request);
        json::array suggestions;
        for (const auto& s : answer->suggestions) {
          suggestions.push_back(json::object{{"text", s.text}, {"technique", s.technique}});
        }
        json::array knowledge;
        for (const auto& k : answer->knowledge) {
          knowledge.push_back(json::object{{"text", k.text},
                                           {"source", k.source},
                                           {"collection", k.collection},
                                           {"heading", k.heading},
                                           {"page", k.page},
                                           {"citation", k.citation},
                                           {"score", k.score}});
        }
        co_return JsonResponse(200, json::object{{"language", answer->language},
                                                 {"intent", json::object{{"label", answer->intent.label},
                                                                         {"confidence", answer->intent.confidence}}},
                                                 {"suggestions", std::move(suggestions)},
                                                 {"knowledge", std::move(knowledge)}});
      }));
}

}  // namespace salesboost::api
