#include "app/chat_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>
#include <utility>

#include "app/commands.hpp"
#include "client/api_client.hpp"
#include "client/line_reader.hpp"
#include "client/session_client.hpp"
#include "core/utf8.hpp"

namespace salesboost::app {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

using Clock = std::chrono::steady_clock;

constexpr milliseconds kReadyTimeout{120000};
// How long one wait for a server event lasts before typed lines are looked at;
// the socket is served (pings answered) during the wait.
constexpr milliseconds kPoll{50};
constexpr milliseconds kReconnectFor{30000};  // how long a lost connection is tried again
constexpr milliseconds kForever{std::chrono::hours(24 * 365)};
constexpr std::size_t kEvidenceExcerptChars = 60;

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

std::optional<std::string> ReadLine(client::LineReader& in) {
  auto line = in.Next(kForever);
  if (!line || line->end) return std::nullopt;
  return std::move(line->text);
}

std::string Str(const json::value* value) {
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// At most `max` code points of `text` (valid UTF-8), with "…" when cut.
std::string Excerpt(std::string_view text, std::size_t max) {
  std::size_t bytes = 0;
  for (std::size_t n = 0; n < max && bytes < text.size(); ++n) {
    const std::size_t length = core::Utf8SequenceLength(text.substr(bytes));
    bytes += length == 0 ? 1 : length;
  }
  if (bytes >= text.size()) return std::string(text);
  return std::string(text.substr(0, bytes)) + "…";
}

// One line per passage of a coach tip's `evidence`: "[1] citation › heading (score): excerpt"; the
// citation is the source with a PDF passage's pages ("sheet.pdf, pp. 1-2"), the source alone otherwise.
std::string EvidenceLines(const json::value* evidence) {
  if (evidence == nullptr || !evidence->is_array()) return {};
  std::string out;
  int n = 0;
  for (const auto& item : evidence->as_array()) {
    if (!item.is_object()) continue;
    const auto& passage = item.as_object();
    const auto heading = Str(passage.if_contains("heading"));
    const auto* score = passage.if_contains("score");
    std::string text = Str(passage.if_contains("text"));
    auto cited = Str(passage.if_contains("citation"));
    if (cited.empty()) cited = Str(passage.if_contains("source"));  // events stored before citations
    // A Markdown passage opens with its heading, already shown.
    if (text.starts_with("#")) text.erase(0, std::min(text.find('\n'), text.size()));
    std::replace(text.begin(), text.end(), '\n', ' ');
    text.erase(0, std::min(text.find_first_not_of(' '), text.size()));
    out +=
        fmt::format("    [{}] {}{}{}: {}\n", ++n, cited, heading.empty() ? "" : " › " + heading,
                    score != nullptr && score->is_number() ? fmt::format(" ({:.3f})", score->to_number<double>()) : "",
                    Excerpt(text, kEvidenceExcerptChars));
  }
  return out;
}

class Chat {
 public:
  Chat(client::Endpoint endpoint, client::LineReader& in, std::FILE* out, std::size_t turn_max_chars)
      : api_(std::move(endpoint)), in_(in), out_(out), turn_max_chars_(turn_max_chars) {}

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

  int Converse(const std::string& scenario, const ChatFlags& flags) {
    auto created = api_.StartSession(
        {.scenario_id = scenario, .persona_id = flags.persona, .language = flags.language, .seed = flags.seed});
    if (!created) return Fail(created.error());
    session_id_ = *created;
    auto socket = client::SessionClient::Connect(api_.endpoint(), api_.token());
    if (!socket) return Fail(socket.error());
    session_ = std::move(*socket);
    if (auto sent = session_->Join(session_id_); !sent) return Fail(sent.error());
    zh_ = flags.language == "zh";
    if (auto shown = ShowReady(); !shown) return Fail(shown.error());
    shown_seq_ = session_->last_seq();
    ShowRubric(scenario, flags.language);
    Print(L("Type your message; /end ends the session and shows the report.\n",
            "输入你的话；/end 结束练习并显示报告。\n"));
    prompt_due_ = true;
    while (!reported_) {
      // Events first: waiting for one serves the socket (pings are answered).
      auto event = session_->Next(kPoll);
      if (event) {
        // After a reconnect the server may send again what was shown (a resent turn's replay).
        if (event->seq && *event->seq <= shown_seq_) continue;
        if (event->seq) shown_seq_ = *event->seq;
        Handle(*event);
        if (refused_end_) return Fail(*refused_end_);
        if (std::exchange(resend_, false)) {
          if (auto sent = session_->SendTurn(turn_.id, turn_.text); !sent) {
            if (auto back = Reconnect(sent.error()); !back) return Fail(back.error());
          }
        }
        continue;
      }
      if (event.error().code == core::ErrorCode::kUnavailable) {
        // The server went away (a restart, a deploy, an instance of a cluster
        // that died): join again, possibly on another instance, and go on.
        if (auto back = Reconnect(event.error()); !back) return Fail(back.error());
        continue;
      }
      if (event.error().code != core::ErrorCode::kDeadlineExceeded) return Fail(event.error());
      if (auto stepped = Step(); !stepped) return Fail(stepped.error());
    }
    Unsent();
    return kExitOk;
  }

  int Fail(const core::Error& error) {
    auto lock = in_.LockOutput();
    if (prompt_shown_) fmt::print(out_, "\n");
    std::fflush(out_);
    fmt::print(stderr, "chat: {}\n", error.message);
    return kExitFailure;
  }

 private:
  enum class Phase {
    kTyping,    // no turn in flight: the next typed line is sent
    kTurn,      // a turn was sent; its events are coming
    kRetrying,  // a turn was rate limited; it is sent again at retry_at_
    kEnding,    // session.end was sent; the report is coming
  };

  // Joins the session again after the events seen, for up to kReconnectFor;
  // a turn in flight is sent again (same turn_id: the server answers it once).
  core::Result<void> Reconnect(const core::Error& lost) {
    {
      auto lock = in_.LockOutput();
      fmt::print(out_, "{}", L("\n  (connection lost; reconnecting...)\n", "\n  （连接断开，正在重连……）\n"));
      std::fflush(out_);
      prompt_shown_ = false;
      prompt_due_ = phase_ == Phase::kTyping;
    }
    const auto until = Clock::now() + kReconnectFor;
    auto delay = milliseconds(200);
    core::Error last = lost;
    while (Clock::now() < until) {
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, milliseconds(2000));
      auto socket = client::SessionClient::Connect(api_.endpoint(), api_.token());
      if (!socket) {
        last = socket.error();
        continue;
      }
      (*socket)->set_last_seq(shown_seq_);
      if (auto joined = (*socket)->Join(session_id_, shown_seq_); !joined) {
        last = joined.error();
        continue;
      }
      session_ = std::move(*socket);
      Print(L("  (reconnected)\n", "  （已重新连接）\n"));
      if (phase_ == Phase::kTurn) return session_->SendTurn(turn_.id, turn_.text);
      if (phase_ == Phase::kEnding) return session_->End();
      return core::Ok();
    }
    return core::Fail(
        core::ErrorCode::kUnavailable,
        fmt::format("the server could not be reached again within {} s: {}",
                    std::chrono::duration_cast<std::chrono::seconds>(kReconnectFor).count(), last.message));
  }

  // Prints events until session.ready.
  core::Result<void> ShowReady() {
    for (;;) {
      auto event = session_->Next(kReadyTimeout);
      if (!event) return core::Fail(event.error());
      if (event->IsError()) return core::Fail(core::ErrorCode::kUnavailable, event->String("message"));
      Show(event->type, event->body);
      if (event->type == "session.ready") return core::Ok();
    }
  }

  // What the session is scored on, after the scenario's intro. Not fatal: a
  // server without the rubric endpoint still lets the trainee practise.
  void ShowRubric(const std::string& scenario, const std::string& language) {
    auto rubric = api_.ScenarioRubric(scenario, language);
    if (!rubric) {
      Print(fmt::format("  (the rubric could not be read: {})\n", rubric.error().message));
      return;
    }
    std::string text = language == "zh" ? "\n评分标准：\n" : "\nHow you are scored:\n";
    for (const auto& item : rubric->at("criteria").as_array()) {
      if (!item.is_object()) continue;
      const auto& c = item.as_object();
      const auto* weight = c.if_contains("weight");
      text += fmt::format("  - {} ({} {:g})\n    {}: {}\n", Str(c.if_contains("title")),
                          language == "zh" ? "权重" : "weight",
                          weight != nullptr && weight->is_number() ? weight->to_number<double>() : 0.0,
                          language == "zh" ? "做得好" : "good", Str(c.if_contains("good")));
    }
    Print(text);
  }

  // What to do when no event is waiting: prompt, send a typed line, count down a retry.
  core::Result<void> Step() {
    if (phase_ == Phase::kRetrying) return CountDown();
    if (phase_ != Phase::kTyping) return core::Ok();
    if (prompt_due_) Prompt();
    auto line = in_.Next(milliseconds(0));
    if (!line) return core::Ok();
    // A line typed ahead (while the last reply came) was echoed among the events: shown again after its prompt.
    if (!line->end && line->number <= prompt_completed_ && in_.IsTerminal()) Print(line->text + "\n");
    prompt_shown_ = false;
    if (line->end || line->text == "/end") {
      phase_ = Phase::kEnding;
      return session_->End();
    }
    prompt_due_ = true;
    if (line->text.empty()) return core::Ok();
    if (!core::IsValidUtf8(line->text)) {
      Print("  (not sent: the message is not valid UTF-8)\n");
      return core::Ok();
    }
    if (const auto chars = core::CountCodePoints(line->text); chars > turn_max_chars_) {
      Print(
          fmt::format("  (not sent: the message has {} characters; the server takes at most {} in one turn. "
                      "Shorten it or split it into turns.)\n",
                      chars, turn_max_chars_));
      return core::Ok();
    }
    prompt_due_ = false;
    turn_ = Turn{.id = fmt::format("{}-{}", session_id_, ++turns_sent_), .text = std::move(line->text)};
    phase_ = Phase::kTurn;
    return session_->SendTurn(turn_.id, turn_.text);
  }

  // A rate-limited turn: the seconds left, then the same turn again (same turn_id).
  core::Result<void> CountDown() {
    const auto left = retry_at_ - Clock::now();
    if (left > Clock::duration::zero()) {
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
      if (seconds != shown_seconds_) {
        shown_seconds_ = seconds;
        Print(fmt::format("\r  rate limited: sending again in {} s ", seconds));
      }
      return core::Ok();
    }
    Print("\r  rate limited: sending again now   \n");
    phase_ = Phase::kTurn;
    return session_->SendTurn(turn_.id, turn_.text);
  }

  void Prompt() {
    auto lock = in_.LockOutput();
    fmt::print(out_, "\nyou> {}", in_.Pending());
    prompt_completed_ = in_.Completed();
    std::fflush(out_);
    prompt_due_ = false;
    prompt_shown_ = true;
  }

  void Print(const std::string& text) {
    auto lock = in_.LockOutput();
    fmt::print(out_, "{}", text);
    std::fflush(out_);
  }

  void Handle(const client::ServerEvent& event) {
    const std::string& kind = event.type;
    {
      auto lock = in_.LockOutput();
      if (prompt_shown_) {
        // Something the trainee did not wait for (the customer or the server ended the session):
        // shown below the prompt, which is drawn again (with what was typed) afterwards.
        fmt::print(out_, "\n");
        prompt_shown_ = false;
        prompt_due_ = true;
      }
      if (kind == "error" && OnTurnError(event)) return;
      if (kind == "turn.aborted" && OnInterrupted(event)) return;
      Show(kind, event.body);
      std::fflush(out_);
    }
    if (kind == "error" && phase_ == Phase::kEnding) {
      refused_end_ = core::Error{.code = core::ErrorCode::kFailedPrecondition,
                                 .message = "the session could not be ended: " + event.String("message")};
    } else if (kind == "turn.done" || kind == "turn.aborted" || (kind == "error" && phase_ == Phase::kTurn)) {
      if (phase_ == Phase::kTurn) phase_ = Phase::kTyping;
      prompt_due_ = true;
    } else if (kind == "report.ready") {
      reported_ = true;
    }
  }

  // The turn in flight was rate limited: schedules its retry (true). Other errors are shown (false).
  bool OnTurnError(const client::ServerEvent& event) {
    const auto* retry = event.body.if_contains("retry_after_ms");
    if (phase_ != Phase::kTurn || event.String("code") != "rate_limited" || event.String("turn_id") != turn_.id ||
        retry == nullptr || !retry->is_number()) {
      return false;
    }
    const auto wait = milliseconds(std::max<std::int64_t>(0, retry->to_number<std::int64_t>()));
    retry_at_ = Clock::now() + wait;
    shown_seconds_ = -1;
    phase_ = Phase::kRetrying;
    fmt::print(out_, "  (too many turns in a row; the server asks to wait {:.1f} s)\n", wait.count() / 1000.0);
    return true;
  }

  // The turn in flight was cut by a server that stopped (or lost the session
  // to another instance): it is sent again at once (true).
  bool OnInterrupted(const client::ServerEvent& event) {
    const auto reason = event.String("reason");
    if (phase_ != Phase::kTurn || event.String("turn_id") != turn_.id ||
        (reason != "interrupted" && reason != "taken_over")) {
      return false;
    }
    streaming_ = false;
    held_tip_.clear();
    fmt::print(out_, "{}",
               L("\n  (the server running this turn stopped; sending it again)\n",
                 "\n  （处理这一轮的服务器中断了，正在重新发送）\n"));
    resend_ = true;
    return true;
  }

  // Lines typed after the last turn that the ended session no longer takes.
  void Unsent() {
    while (auto line = in_.Next(milliseconds(0))) {
      if (line->end) break;
      if (!line->text.empty() && line->text != "/end")
        Print(fmt::format("  (not sent, the session has ended: \"{}\")\n", line->text));
    }
  }

  void Show(const std::string& kind, const json::object& m) {
    if (kind == "session.ready") {
      const auto& scenario = m.at("scenario").as_object();
      const auto& persona = m.at("persona").as_object();
      fmt::print(out_,
                 fmt::runtime(L("\n{}\n{}\nGoal: {}\nYou are talking to {} ({}).\n",
                                "\n{}\n{}\n目标：{}\n你的客户：{}（{}）\n")),
                 Str(scenario.if_contains("title")), Str(scenario.if_contains("background")),
                 Str(scenario.if_contains("goal")), Str(persona.if_contains("name")),
                 Str(persona.if_contains("title")));
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
          fmt::format(fmt::runtime(L("  coach [{} · {}]: {}\n  e.g. \"{}\"\n", "  教练 [{} · {}]：{}\n  例如：“{}”\n")),
                      Str(m.if_contains("tip_type")), Str(m.if_contains("technique")), Str(m.if_contains("text")),
                      Str(m.if_contains("example")));
      if (auto sources = EvidenceLines(m.if_contains("evidence")); !sources.empty()) {
        tip += L("  sources:\n", "  依据：\n") + sources;
      }
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
      fmt::print(out_, fmt::runtime(L("\nSession ended: {}\n", "\n练习结束：{}\n")), Str(m.if_contains("reason")));
    } else if (kind == "report.ready") {
      ShowReport(m.at("report").as_object());
    } else if (kind == "compliance.flagged") {
      fmt::print(out_, "  compliance {} ({}): {} \"{}\"\n", Str(m.if_contains("level")), Str(m.if_contains("side")),
                 m.contains("message") ? Str(m.if_contains("message")) : Str(m.if_contains("rule")),
                 Str(m.if_contains("excerpt")));
    } else if (kind == "error") {
      fmt::print(out_, "  error {}: {}\n", Str(m.if_contains("code")), Str(m.if_contains("message")));
    }
  }

  void ShowReport(const json::object& report) {
    const auto* overall = report.if_contains("overall");
    fmt::print(
        out_,
        fmt::runtime(L("\nReport: {} turns, final stage {}, overall {}\n", "\n报告：{} 轮，最终阶段 {}，总分 {}\n")),
        report.at("turns").as_int64(), Str(report.if_contains("final_stage")),
        overall != nullptr && overall->is_number() ? fmt::format("{:.1f}/10", overall->to_number<double>()) : "-");
    if (const auto* card = report.if_contains("scorecard"); card != nullptr && card->is_object()) {
      const auto& scorecard = card->as_object();
      const auto& outcome = scorecard.at("outcome").as_object();
      fmt::print(out_,
                 fmt::runtime(L("  scorecard {:.1f}/10; outcome {} (furthest stage {})\n",
                                "  评分表 {:.1f}/10；结果 {}（最远阶段 {}）\n")),
                 scorecard.at("score").to_number<double>(), Str(outcome.if_contains("result")),
                 Str(outcome.if_contains("stage_reached")));
      if (const auto* cap = scorecard.if_contains("cap"); cap != nullptr && cap->is_number()) {
        fmt::print(out_,
                   fmt::runtime(L("  capped at {:.0f}: a rule that must never be broken, or repeated pressure\n",
                                  "  封顶 {:.0f} 分：违反了绝不能违反的规则，或反复施压\n")),
                   cap->to_number<double>());
      }
      for (const auto& item : scorecard.at("criteria").as_array()) {
        const auto& c = item.as_object();
        const auto result = Str(c.if_contains("result"));
        const char* mark = result == "met" ? "[x]" : result == "partly" ? "[~]" : "[ ]";
        fmt::print(out_, fmt::runtime(L("  {} {} (weight {:.0f}): {}\n", "  {} {}（权重 {:.0f}）：{}\n")), mark,
                   Str(c.if_contains("title")), c.at("weight").to_number<double>(), Str(c.if_contains("why")));
        if (c.contains("quote")) fmt::print(out_, "        \"{}\"\n", Str(c.if_contains("quote")));
      }
      for (const auto& item : scorecard.at("blockers").as_array()) {
        const auto& b = item.as_object();
        fmt::print(out_, "  BLOCKER {}: \"{}\"\n", Str(b.if_contains("message")), Str(b.if_contains("quote")));
      }
    }
    for (const char* which : {"strongest_turn", "weakest_turn"}) {
      const auto* turn = report.if_contains(which);
      if (turn == nullptr || !turn->is_object()) continue;
      const bool strongest = which == std::string_view("strongest_turn");
      fmt::print(out_, "  {}: \"{}\" ({})\n", strongest ? L("strongest", "最佳一轮") : L("weakest", "最弱一轮"),
                 Str(turn->as_object().if_contains("quote")), Str(turn->as_object().if_contains("why")));
    }
    for (const auto& item : report.at("violations").as_array()) {
      const auto& entry = item.as_object();
      fmt::print(out_, "  violation ({} {}): {} in \"{}\"\n", Str(entry.if_contains("side")),
                 Str(entry.if_contains("level")), Str(entry.if_contains("rule")), Str(entry.if_contains("quote")));
    }
    if (const auto* next = report.if_contains("recommended_next_scenario"); next != nullptr && next->is_object()) {
      fmt::print(out_, fmt::runtime(L("  next: {} ({})\n", "  下一步练习：{}（{}）\n")),
                 Str(next->as_object().if_contains("title")), Str(next->as_object().if_contains("why")));
    }
  }

  struct Turn {
    std::string id;
    std::string text;
  };

  client::ApiClient api_;
  client::LineReader& in_;
  std::FILE* out_;
  const std::size_t turn_max_chars_;
  bool zh_ = false;  // the session's language is Chinese: the client's own words in Chinese too

  // The client's own words in the session's language.
  std::string L(std::string_view en, std::string_view zh) const { return std::string(zh_ ? zh : en); }
  std::unique_ptr<client::SessionClient> session_;
  std::string session_id_;
  Phase phase_ = Phase::kTyping;
  Turn turn_;  // the last turn sent
  int turns_sent_ = 0;
  Clock::time_point retry_at_;
  std::int64_t shown_seconds_ = -1;     // kRetrying: the countdown's last shown value
  bool prompt_due_ = false;             // the prompt is drawn once no event is waiting
  bool prompt_shown_ = false;           // the prompt is the screen's last line
  std::uint64_t prompt_completed_ = 0;  // lines typed when the prompt was last drawn
  bool streaming_ = false;
  bool resend_ = false;         // the turn in flight was interrupted: send it again
  std::int64_t shown_seq_ = 0;  // the last event shown
  std::string held_tip_;
  bool reported_ = false;
  std::optional<core::Error> refused_end_;  // the server refused session.end
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
  // Typed lines are read on the reader's thread from here on: nothing else reads `in`.
  client::LineReader reader(fileno(in), out);
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
    reader.set_masked(true);
    password = ReadLine(reader).value_or("");
    reader.set_masked(false);
  }
  Chat chat(*endpoint, reader, out, static_cast<std::size_t>(flags.turn_max_chars));
  if (auto logged_in = chat.Login(flags.username, password); !logged_in) return chat.Fail(logged_in.error());
  std::string scenario;
  if (flags.scenario) {
    scenario = *flags.scenario;
  } else {
    auto chosen = chat.ChooseScenario(flags.language);
    if (!chosen) return chat.Fail(chosen.error());
    scenario = *chosen;
  }
  return chat.Converse(scenario, flags);
}

}  // namespace salesboost::app
