#include "api/assist_routes.hpp"

#include <boost/json/array.hpp>
#include <variant>

#include "api/auth_routes.hpp"
#include "api/json_body.hpp"

namespace salesboost::api {
namespace {

namespace json = boost::json;
using server::HttpRequest;
using server::HttpResponse;

constexpr std::size_t kMaxTextChars = 2000;

// The principal, if signed in and within the rate limit; the response to send otherwise.
boost::asio::awaitable<std::variant<identity::Principal, HttpResponse>> Admit(const identity::AuthService& auth,
                                                                              core::RateLimiter& limiter,
                                                                              const HttpRequest& request) {
  auto who = RequirePrincipal(auth, request);
  if (!who) co_return Unauthenticated(who.error(), request);
  auto decision = co_await limiter.Acquire(who->user_id);
  if (!decision) co_return ErrorReply(decision.error(), request);
  if (!decision->allowed) co_return RateLimited(*decision, "too many requests; retry later", request);
  co_return *who;
}

}  // namespace

void AddAssistRoutes(server::Router& router, const identity::AuthService& auth, conversation::Agents& agents,
                     core::RateLimiter& limiter) {
  router.Add("POST", "/api/v1/classify", [&](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    if (auto admitted = co_await Admit(auth, limiter, request); std::holds_alternative<HttpResponse>(admitted)) {
      co_return std::get<HttpResponse>(std::move(admitted));
    }
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
      co_return ErrorReply(core::Error{core::ErrorCode::kInvalidArgument, "model must be sales or customer"}, request);
    }
    co_return JsonResponse(200, out);
  });

  router.Add("POST", "/api/v1/assist", [&](HttpRequest request) -> boost::asio::awaitable<HttpResponse> {
    if (auto admitted = co_await Admit(auth, limiter, request); std::holds_alternative<HttpResponse>(admitted)) {
      co_return std::get<HttpResponse>(std::move(admitted));
    }
    auto body = ParseJsonObject(request);
    if (!body) co_return ErrorReply(body.error(), request);
    auto message = RequiredString(*body, "customer_message", kMaxTextChars);
    if (!message) co_return ErrorReply(message.error(), request);
    auto context = OptionalString(*body, "context", kMaxTextChars);
    if (!context) co_return ErrorReply(context.error(), request);
    auto assist = agents.assistant->Assist(std::move(*message), context->value_or(""));
    auto answer = co_await std::move(assist);
    if (!answer) co_return ErrorReply(answer.error(), request);
    json::array suggestions;
    for (const auto& s : answer->suggestions) {
      suggestions.push_back(json::object{{"text", s.text}, {"technique", s.technique}});
    }
    json::array knowledge;
    for (const auto& k : answer->knowledge) {
      knowledge.push_back(
          json::object{{"text", k.text}, {"source", k.source}, {"heading", k.heading}, {"score", k.score}});
    }
    co_return JsonResponse(200, json::object{{"language", answer->language},
                                             {"intent", json::object{{"label", answer->intent.label},
                                                                     {"confidence", answer->intent.confidence}}},
                                             {"suggestions", std::move(suggestions)},
                                             {"knowledge", std::move(knowledge)}});
  });
}

}  // namespace salesboost::api
