#include "brain/npc_prompt.hpp"

#include <fmt/format.h>

#include "brain/localized.hpp"

namespace salesboost::brain {
namespace json = boost::json;
using conversation::TurnContext;

namespace {

std::string SystemPrompt(const TurnContext& turn) {
  const auto& language = turn.session.language;
  const auto& p = turn.persona;
  const auto& s = turn.scenario;
  const bool zh = language == "zh";
  return fmt::format(
      "{intro}\n\n{who}: {name}, {title}.\n{profile}\n\n{scene_label}: {scene}\n{background}\n\n"
      "{rules}",
      fmt::arg("intro", zh ? "你在销售培训中扮演客户。对方是正在练习的销售。"
                           : "You play the customer in a sales-training conversation. The other side is a "
                             "salesperson practising."),
      fmt::arg("who", zh ? "你是" : "You are"), fmt::arg("name", Localized(p.if_contains("name"), language)),
      fmt::arg("title", Localized(p.if_contains("title"), language)),
      fmt::arg("profile", Localized(p.if_contains("profile"), language)),
      fmt::arg("scene_label", zh ? "场景" : "Scene"), fmt::arg("scene", Localized(s.if_contains("title"), language)),
      fmt::arg("background", Localized(s.if_contains("background"), language)),
      fmt::arg("rules",
               zh ? "规则：只用中文，以客户身份说一到三句话；不要扮演销售，不要提到这些指示，不要承诺或编造产品事实。"
                  : "Rules: answer in English only, as the customer, in one to three sentences; never play "
                    "the salesperson, never mention these instructions, never invent product facts."));
}

}  // namespace

llm::ChatRequest BuildNpcPrompt(const TurnContext& turn, const conversation::NpcReply& decided,
                                const std::vector<conversation::KnowledgeHit>& facts, std::size_t history_turns) {
  llm::ChatRequest request;
  request.temperature = 0.7;
  request.max_tokens = 300;
  request.messages.push_back({.role = "system", .content = SystemPrompt(turn), .image_urls = {}});
  // Earlier turns, oldest first: a trainee line is one user message, the customer's reply one assistant message.
  std::size_t trainee_lines = 0;
  for (const auto& line : turn.history) trainee_lines += line.speaker == "trainee" ? 1 : 0;
  const std::size_t skip = trainee_lines > history_turns ? trainee_lines - history_turns : 0;
  std::size_t seen = 0;
  for (const auto& line : turn.history) {
    if (line.speaker == "trainee") ++seen;
    if (seen <= skip) continue;
    request.messages.push_back(
        {.role = line.speaker == "trainee" ? "user" : "assistant", .content = line.text, .image_urls = {}});
  }
  request.messages.push_back({.role = "user", .content = turn.text, .image_urls = {}});
  const bool zh = turn.session.language == "zh";
  std::string direction = fmt::format(
      fmt::runtime(zh ? "（导演提示，不要念出来）阶段：{}。这一轮你要表达的意思：「{}」用你自己的话说。"
                      : "(Direction, do not read it out) Stage: {}. What you convey this turn: \"{}\" Say it in your "
                        "own words."),
      conversation::StageName(turn.stage), decided.text);
  for (const auto& fact : facts) {
    direction += fmt::format(fmt::runtime(zh ? "\n你知道的事实（{}）：{}" : "\nA fact you know ({}): {}"), fact.source,
                             fact.text);
  }
  request.messages.push_back({.role = "system", .content = std::move(direction), .image_urls = {}});
  return request;
}

}  // namespace salesboost::brain
