#include "brain/llm_npc.hpp"

#include "brain/npc_prompt.hpp"
#include "llm/fallback_counter.hpp"

namespace salesboost::brain {
namespace asio = boost::asio;
using conversation::DeltaSink;
using conversation::NpcReply;
using conversation::TurnContext;

namespace {

// Passes the provider's text on piece by piece, unless the text so far plus
// the piece would make the compliance check BLOCK: then it stops the call.
class GuardedSink final : public llm::TokenSink {
 public:
  GuardedSink(DeltaSink& out, conversation::ComplianceChecker& guard, std::string language)
      : out_(out), guard_(guard), language_(std::move(language)) {}

  asio::awaitable<bool> Token(std::string text) override {
    std::string candidate = sent_ + text;
    auto report = co_await guard_.Check(candidate, language_);
    if (report && report->level == "BLOCK") {
      cut_ = true;
      co_return false;
    }
    sent_ = std::move(candidate);
    co_await out_.Delta(std::move(text));
    co_return true;
  }

  bool Cut() const { return cut_; }
  bool Sent() const { return !sent_.empty(); }

 private:
  DeltaSink& out_;
  conversation::ComplianceChecker& guard_;
  std::string language_;
  std::string sent_;
  bool cut_ = false;
};

}  // namespace

LlmNpc::LlmNpc(LlmNpcOptions options, std::vector<llm::ChatProvider*> chain,
               std::unique_ptr<conversation::NpcAgent> offline, conversation::ComplianceChecker& guard,
               conversation::KnowledgeSearch* knowledge, core::MetricsRegistry& metrics)
    : options_(options),
      chain_(std::move(chain)),
      offline_(std::move(offline)),
      guard_(guard),
      knowledge_(knowledge),
      fallbacks_(llm::FallbackCounter(metrics)) {}

asio::awaitable<core::Result<NpcReply>> LlmNpc::Reply(const TurnContext& turn, DeltaSink& sink) {
  const auto deadline = std::chrono::steady_clock::now() + options_.budget;
  const NpcReply decided = OfflineNpc::Decide(turn);
  std::vector<conversation::KnowledgeHit> facts;
  if (knowledge_ != nullptr && options_.facts > 0) {
    auto search = knowledge_->Search({.text = turn.text,
                                      .language = turn.session.language,
                                      .k = options_.facts * 3,
                                      .collections = turn.collections});
    auto hits = co_await std::move(search);
    if (hits) {
      for (auto& hit : *hits) {
        if (conversation::IsCustomerFacing(hit) && static_cast<int>(facts.size()) < options_.facts)
          facts.push_back(std::move(hit));
      }
    }
  }
  const auto request = BuildNpcPrompt(turn, decided, facts, options_.history_turns);
  for (auto* provider : chain_) {
    GuardedSink guarded(sink, guard_, turn.session.language);
    auto result = co_await provider->Stream(request, guarded, deadline);
    if (result && !result->text.empty()) {
      NpcReply reply = decided;
      reply.text = result->text;
      reply.intent.clear();  // what the worded reply means is classified from its text
      reply.engine = provider->Name();
      co_return reply;
    }
    std::string reason = guarded.Cut() ? "compliance"
                         : result      ? "empty_reply"
                                       : std::string(core::ErrorCodeName(result.error().error.code));
    if (guarded.Sent()) co_await sink.Reset(guarded.Cut() ? "compliance" : "provider_failed");
    fallbacks_.With({"npc", provider->Name(), reason}).Inc();
  }
  auto reply = co_await offline_->Reply(turn, sink);
  if (reply) reply->engine = "offline";
  co_return reply;
}

}  // namespace salesboost::brain
