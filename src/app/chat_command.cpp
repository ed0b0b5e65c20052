#include "app/chat_command.hpp"

#include <fmt/format.h>

#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "app/commands.hpp"
#include "client/api_client.hpp"
#include "client/session_client.hpp"

namespace salesboost::app {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr milliseconds kTurnTimeout{120000};

core::Result<client::Endpoint> ParseServer(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("--server {} is not a URL", url));
  if (parsed->scheme() != "http") {
    return core::Fail(core::ErrorCode::kInvalidArgument, "the chat client speaks http:// only");
  }
  if (parsed->host().empty())
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("no host in --server {}", url));
  const auto port = parsed->has_port() ? parsed->port_number() : std::uint16_t{80};
  if (port == 0) return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("bad port in --server {}", url));
  return client::Endpoint{.host = std::string(parsed->host()), .port = port};
}

std::optional<std::string> ReadLine(std::FILE* in) {
  std::string line;
  int c = 0;
  while ((c = std::fgetc(in)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  if (c == EOF && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string Str(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

class Chat {
 public:
  Chat(client::Endpoint endpoint, std::FILE* in, std::FILE* out) : api_(std::move(endpoint)), in_(in), out_(out) {}

  core::Result<void> Login(const std::string& username, const std::string& password) {
    return api_.Login(username, password);
  }

  core::Result<std::string> ChooseScenario(const std::string& language) {
    auto courses = api_.Call("GET", "/api/v1/courses");
    if (!courses) return core::Fail(courses.error());
    std::vector<std::pair<std::string, std::string>> choices;  // id, title
    for (const auto& course : courses->as_object().at("courses").as_array()) {
      auto scenarios =
          api_.Call("GET", fmt::format("/api/v1/scenarios?course_id={}", Str(course.as_object().if_contains("id"))));
      if (!scenarios) return core::Fail(scenarios.error());
      for (const auto& s : scenarios->as_object().at("scenarios").as_array()) {
        const auto& scenario = s.as_object();
        const auto* title = scenario.if_contains("title");
        std::string text = title != nullptr && title->is_object() ? Str(title->as_object().if_contains(language)) : "";
        choices.emplace_back(Str(scenario.if_contains("id")), text);
      }
    }
    if (choices.empty()) return core::Fail(core::ErrorCode::kNotFound, "the server has no scenario");
    for (std::size_t i = 0; i < choices.size(); ++i) {
      fmt::print(out_, "  {}. {} ({})\n", i + 1, choices[i].second, choices[i].first);
    }
    for (;;) {
      fmt::print(out_, "scenario [1-{}]: ", choices.size());
      std::fflush(out_);
      auto line = ReadLine(in_);
      if (!line) return core::Fail(core::ErrorCode::kInvalidArgument, "no scenario chosen");
      std::size_t n = 0;
      const auto [ptr, ec] = std::from_chars(line->data(), line->data() + line->size(), n);
      if (ec == std::errc() && n >= 1 && n <= choices.size()) return choices[n - 1].first;
    }
  }

  int Converse(const std::string& scenario, const std::string& language) {
    auto created = api_.StartSession({.scenario_id = scenario, .language = language, .seed = std::nullopt});
    if (!created) return Fail(created.error());
    const std::string session_id = *created;
    auto socket = client::SessionClient::Connect(api_.endpoint(), api_.token());
    if (!socket) return Fail(socket.error());
    session_ = std::move(*socket);
    if (auto sent = session_->Join(session_id); !sent) return Fail(sent.error());
    if (auto shown = ShowUntil("session.ready"); !shown) return Fail(shown.error());
    fmt::print(out_, "Type your message; /end ends the session and shows the report.\n");
    for (int turn = 1; !ended_; ++turn) {
      fmt::print(out_, "\nyou> ");
      std::fflush(out_);
      auto line = ReadLine(in_);
      const bool end = !line || *line == "/end";
      if (!end && line->empty()) continue;
      auto sent = end ? session_->End() : session_->SendTurn(fmt::format("{}-{}", session_id, turn), *line);
      if (!sent) return Fail(sent.error());
      auto shown = ShowUntil(end ? "report.ready" : "turn.done");
      if (!shown) return Fail(shown.error());
    }
    return kExitOk;
  }

  int Fail(const core::Error& error) {
    fmt::print(stderr, "chat: {}\n", error.message);
    return kExitFailure;
  }

 private:
  // Prints events until one of `type` (or the session's report) arrives.
  core::Result<void> ShowUntil(std::string_view type) {
    for (;;) {
      auto event = session_->Next(kTurnTimeout);
      if (!event) return core::Fail(event.error());
      const std::string& kind = event->type;
      Show(kind, event->body);
      if (kind == type || kind == "report.ready" || (kind == "error" && type != "session.ready")) return core::Ok();
      if (event->IsError()) return core::Fail(core::ErrorCode::kUnavailable, event->String("message"));
    }
  }

  void Show(const std::string& kind, const json::object& m) {
    if (kind == "session.ready") {
      const auto& scenario = m.at("scenario").as_object();
      const auto& persona = m.at("persona").as_object();
      fmt::print(out_, "\n{}\n{}\nGoal: {}\nYou are talking to {} ({}).\n", Str(scenario.if_contains("title")),
                 Str(scenario.if_contains("background")), Str(scenario.if_contains("goal")),
                 Str(persona.if_contains("name")), Str(persona.if_contains("title")));
    } else if (kind == "npc.delta") {
      if (!streaming_) fmt::print(out_, "customer> ");
      streaming_ = true;
      fmt::print(out_, "{}", Str(m.if_contains("text")));
      std::fflush(out_);
    } else if (kind == "npc.done") {
      streaming_ = false;
      fmt::print(out_, "\n{}", std::exchange(held_tip_, {}));
    } else if (kind == "coach.tip") {
      // A tip that arrives while the reply streams is shown after it.
      auto tip =
          fmt::format("  coach [{} · {}]: {}\n  e.g. \"{}\"\n", Str(m.if_contains("tip_type")),
                      Str(m.if_contains("technique")), Str(m.if_contains("text")), Str(m.if_contains("example")));
      if (streaming_) {
        held_tip_ = std::move(tip);
      } else {
        fmt::print(out_, "{}", tip);
      }
    } else if (kind == "stage.changed") {
      fmt::print(out_, "  stage: {} -> {}\n", Str(m.if_contains("from")), Str(m.if_contains("to")));
    } else if (kind == "mood") {
      fmt::print(out_, "  mood: {:.2f} ({:+.2f}, {})\n", m.at("value").to_number<double>(),
                 m.at("delta").to_number<double>(), Str(m.if_contains("cause")));
    } else if (kind == "turn.scored") {
      std::string line;
      for (const auto& [dimension, score] : m.at("scores").as_object()) {
        line += fmt::format(" {} {:.0f}", std::string(dimension), score.to_number<double>());
      }
      fmt::print(out_, "  scores:{}\n", line);
    } else if (kind == "turn.aborted") {
      streaming_ = false;
      held_tip_.clear();
      fmt::print(out_, "\n  (the turn was aborted: {}; send it again)\n", Str(m.if_contains("reason")));
    } else if (kind == "session.ended") {
      ended_ = true;
      fmt::print(out_, "\nSession ended: {}\n", Str(m.if_contains("reason")));
    } else if (kind == "report.ready") {
      ended_ = true;
      ShowReport(m.at("report").as_object());
    } else if (kind == "compliance.flagged") {
      fmt::print(out_, "  compliance {} ({}): {} \"{}\"\n", Str(m.if_contains("level")), Str(m.if_contains("side")),
                 Str(m.if_contains("rule")), Str(m.if_contains("excerpt")));
    } else if (kind == "error") {
      fmt::print(out_, "  error {}: {}\n", Str(m.if_contains("code")), Str(m.if_contains("message")));
    }
  }

  void ShowReport(const json::object& report) {
    const auto* overall = report.if_contains("overall");
    fmt::print(
        out_, "\nReport: {} turns, final stage {}, overall {}\n", report.at("turns").as_int64(),
        Str(report.if_contains("final_stage")),
        overall != nullptr && overall->is_number() ? fmt::format("{:.1f}/10", overall->to_number<double>()) : "-");
    for (const auto& [dimension, score] : report.at("dimensions").as_object()) {
      fmt::print(out_, "  {:<15} {:.1f}\n", std::string(dimension), score.to_number<double>());
    }
    for (const char* list : {"strengths", "improvements"}) {
      for (const auto& item : report.at(list).as_array()) {
        const auto& entry = item.as_object();
        fmt::print(out_, "  {} {}: {} (\"{}\")\n", list, Str(entry.if_contains("dimension")),
                   Str(entry.if_contains("reason")), Str(entry.if_contains("quote")));
      }
    }
    for (const auto& item : report.at("violations").as_array()) {
      const auto& entry = item.as_object();
      fmt::print(out_, "  violation ({} {}): {} in \"{}\"\n", Str(entry.if_contains("side")),
                 Str(entry.if_contains("level")), Str(entry.if_contains("rule")), Str(entry.if_contains("quote")));
    }
  }

  client::ApiClient api_;
  std::FILE* in_;
  std::FILE* out_;
  std::unique_ptr<client::SessionClient> session_;
  bool streaming_ = false;
  std::string held_tip_;
  bool ended_ = false;
};

}  // namespace

int RunChat(const ChatFlags& flags, std::FILE* in, std::FILE* out) {
  if (flags.language != "en" && flags.language != "zh") {
    fmt::print(stderr, "chat: --language must be en or zh\n");
    return kExitConfigError;
  }
  auto endpoint = ParseServer(flags.server);
  if (!endpoint) {
    fmt::print(stderr, "chat: {}\n", endpoint.error().message);
    return kExitConfigError;
  }
  std::string password;
  if (flags.password_file) {
    std::ifstream file(*flags.password_file);
    if (!file || !std::getline(file, password)) {
      fmt::print(stderr, "chat: cannot read a password from {}\n", *flags.password_file);
      return kExitConfigError;
    }
  } else if (const char* env = std::getenv("SALESBOOST_PASSWORD"); env != nullptr) {
    password = env;
  } else {
    fmt::print(out, "password for {}: ", flags.username);
    std::fflush(out);
    password = ReadLine(in).value_or("");
  }
  Chat chat(*endpoint, in, out);
  if (auto logged_in = chat.Login(flags.username, password); !logged_in) return chat.Fail(logged_in.error());
  std::string scenario;
  if (flags.scenario) {
    scenario = *flags.scenario;
  } else {
    auto chosen = chat.ChooseScenario(flags.language);
    if (!chosen) return chat.Fail(chosen.error());
    scenario = *chosen;
  }
  return chat.Converse(scenario, flags.language);
}

}  // namespace salesboost::app
