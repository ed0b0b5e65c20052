// Scripted trainees played end to end against the real binary. Every script
// under tests/trainees/tuning/ and tests/trainees/heldout/ (the format and the
// kinds are in tests/trainees/README.md) is played as a practice session on one
// shared server, twice with the same seed, and its report is checked against
// what the script's kind expects. The sessions are played in parallel before
// any test runs; each TEST_P then judges one script, so a failure names it.
// A summary table goes to stdout and, when SALESBOOST_TRAINEE_REPORT names a
// file, to that file as Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "client/api_client.hpp"
#include "client/session_client.hpp"
#include "support/server_process.hpp"

namespace salesboost {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::milliseconds;

// Fixed, so that a script meets the same customer on every run.
constexpr std::int64_t kSeed = 20240611;
// Sessions played at once on the shared server.
constexpr std::size_t kWorkers = 4;
// The longest wait for one event of a session.
constexpr milliseconds kEventTimeout(30000);
// Least difference of mean overall between strong and weak scripts of a scenario and language.
constexpr double kLeastStrongWeakGap = 3.0;

const std::set<std::string> kKinds = {"strong", "weak", "honest_clumsy", "insulting", "pushy_polite", "blocker"};
const std::set<std::string> kBlockerRules = {"guaranteed_return", "personal_data_request", "coercion"};
const std::set<std::string> kPressureRules = {"pressure", "false_urgency", "coercion"};

// One script file; `load_error` says why it is not a valid script.
struct Script {
  fs::path file;
  std::string load_error;
  std::string id;
  std::string course_id;
  std::string scenario_id;
  std::string persona_id;
  std::string language;
  std::string kind;
  std::string blocker;  // the rule a blocker script must trigger
  std::vector<std::string> turns;
  std::vector<std::int64_t> honest_turns;  // 1-based
  std::string test_name;                   // the TEST_P parameter name
  bool heldout = false;                    // from tests/trainees/heldout: judged and reported, never asserted
  std::string xfail;                       // why a tuning script is known to fall short (it must, or fail)
};

// A compliance hit on the trainee's side, as the report lists it.
struct Finding {
  std::string rule;
  std::string level;
  std::string turn_id;
};

// What playing one script gave.
struct Play {
  bool played = false;
  std::string error;         // why the session could not be played to its report
  std::string stable_error;  // how reading it again or replaying it gave another report
  int turns_played = 0;
  json::object report;
  std::optional<double> overall;
  std::string end_reason;
  std::string final_stage;
  std::vector<Finding> trainee_findings;
  std::string transcript;  // "trainee: …" and "customer: …" lines, as played
};

std::string StringField(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

// A parameter name GoogleTest accepts: letters, digits and underscores.
std::string TestNameOf(const std::string& text) {
  std::string name;
  for (const char c : text) name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  return name.empty() ? std::string("unnamed") : name;
}

Script LoadScript(const fs::path& file) {
  Script script;
  script.file = file;
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  const auto parsed = json::parse(text.str(), ec);
  if (ec || !parsed.is_object()) {
    script.load_error = "not a JSON object: " + (ec ? ec.message() : std::string("wrong type"));
    return script;
  }
  const auto& o = parsed.get_object();
  script.id = StringField(o, "id");
  script.course_id = StringField(o, "course_id");
  script.scenario_id = StringField(o, "scenario_id");
  script.persona_id = StringField(o, "persona_id");
  script.language = StringField(o, "language");
  script.kind = StringField(o, "kind");
  script.blocker = StringField(o, "blocker");
  script.xfail = StringField(o, "xfail");
  std::vector<std::string> problems;
  for (const auto& [field, value] : {std::pair{"id", &script.id},
                                     {"course_id", &script.course_id},
                                     {"scenario_id", &script.scenario_id},
                                     {"persona_id", &script.persona_id}}) {
    if (value->empty()) problems.push_back(std::string("no ") + field);
  }
  if (script.language != "en" && script.language != "zh") problems.push_back("language must be en or zh");
  if (!kKinds.contains(script.kind)) problems.push_back("unknown kind '" + script.kind + "'");
  if (const auto* turns = o.if_contains("turns"); turns != nullptr && turns->is_array()) {
    for (const auto& turn : turns->get_array()) {
      if (!turn.is_string() || turn.get_string().empty()) {
        problems.push_back("every turn must be a non-empty string");
        break;
      }
      script.turns.emplace_back(turn.get_string());
    }
  }
  if (script.turns.empty()) problems.push_back("no turns");
  if (const auto* honest = o.if_contains("honest_turns"); honest != nullptr && honest->is_array()) {
    for (const auto& turn : honest->get_array()) {
      if (!turn.is_int64() || turn.get_int64() < 1 ||
          turn.get_int64() > static_cast<std::int64_t>(script.turns.size())) {
        problems.push_back("honest_turns must be 1-based indexes of turns");
        break;
      }
      script.honest_turns.push_back(turn.get_int64());
    }
  }
  if (script.kind == "honest_clumsy" && script.honest_turns.empty())
    problems.push_back("honest_clumsy needs honest_turns");
  if (script.kind == "blocker" && !kBlockerRules.contains(script.blocker)) {
    problems.push_back("blocker must be guaranteed_return, personal_data_request or coercion");
  }
  for (const auto& problem : problems) script.load_error += (script.load_error.empty() ? "" : "; ") + problem;
  return script;
}

// The scripts of tests/trainees/tuning then tests/trainees/heldout, each folder in file-name order;
// a missing folder holds none.
std::vector<Script> LoadScripts() {
  std::vector<Script> scripts;
  std::set<std::string> names;
  for (const char* folder : {"tuning", "heldout"}) {
    const fs::path dir = fs::path(SALESBOOST_SOURCE_DIR) / "tests" / "trainees" / folder;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      auto script = LoadScript(file);
      std::string name = TestNameOf(script.id.empty() ? std::string(folder) + "_" + file.stem().string() : script.id);
      for (int n = 2; names.contains(name); ++n) name = TestNameOf(script.id) + "_" + std::to_string(n);
      names.insert(name);
      script.test_name = name;
      script.heldout = std::string_view(folder) == "heldout";
      scripts.push_back(std::move(script));
    }
  }
  return scripts;
}

const std::vector<Script>& Scripts() {
  static const std::vector<Script> kScripts = LoadScripts();
  return kScripts;
}

// Plays scripts against one server. Thread-safe: each call uses its own connections.
class Player {
 public:
  Player(client::Endpoint endpoint, std::string token) : endpoint_(std::move(endpoint)), token_(std::move(token)) {}

  Play Run(const Script& script) const {
    Play play = PlayOnce(script);
    play.played = true;
    if (!play.error.empty()) return play;
    // The same report, read twice.
    for (int i = 0; i < 2 && play.stable_error.empty(); ++i) {
      auto again = GetReport(StringField(play.report, "session_id"));
      if (!again) {
        play.stable_error = "GET report: " + again.error().message;
      } else if (json::serialize(*again) != json::serialize(play.report)) {
        play.stable_error = "GET report differs from the report.ready event";
      }
    }
    // The same script and seed again: the same transcript, scored again, must give the same report.
    if (play.stable_error.empty()) {
      const Play replay = PlayOnce(script);
      if (!replay.error.empty()) {
        play.stable_error = "the replay failed: " + replay.error;
      } else {
        std::vector<std::string> differing;
        for (const auto& [key, value] : play.report) {
          if (key == "session_id") continue;
          const auto* other = replay.report.if_contains(key);
          if (other == nullptr || json::serialize(*other) != json::serialize(value)) differing.emplace_back(key);
        }
        if (!differing.empty()) {
          play.stable_error = "the replay's report differs in:";
          for (const auto& key : differing) play.stable_error += " " + key;
        }
      }
    }
    return play;
  }

 private:
  Play PlayOnce(const Script& script) const {
    Play play;
    client::ApiClient api(endpoint_, token_, milliseconds(10000));
    const json::object start = {{"scenario_id", script.scenario_id},
                                {"persona_id", script.persona_id},
                                {"language", script.language},
                                {"seed", kSeed}};
    auto created = api.Call("POST", "/api/v1/sessions", json::serialize(start));
    if (!created) return Failed(std::move(play), "create the session: " + created.error().message);
    const std::string session_id = created->is_object() ? StringField(created->get_object(), "id") : std::string();
    if (session_id.empty()) return Failed(std::move(play), "create the session: no id in " + json::serialize(*created));

    auto connected = client::SessionClient::Connect(endpoint_, token_);
    if (!connected) return Failed(std::move(play), "connect: " + connected.error().message);
    auto& session = **connected;
    if (auto joined = session.Join(session_id); !joined)
      return Failed(std::move(play), "join: " + joined.error().message);

    bool ended = false;
    for (std::size_t i = 0; i < script.turns.size() && !ended; ++i) {
      const std::string turn_id = "t" + std::to_string(i + 1);
      if (auto sent = session.SendTurn(turn_id, script.turns[i]); !sent) {
        return Failed(std::move(play), turn_id + ": send: " + sent.error().message);
      }
      for (bool turn_over = false; !turn_over;) {
        auto event = session.Next(kEventTimeout);
        if (!event) return Failed(std::move(play), turn_id + ": " + event.error().message);
        if (event->type == "session.ended") {
          // The customer ended the session after the previous turn: stop playing.
          ended = true;
          turn_over = true;
        } else if (event->type == "npc.done") {
          play.transcript += "trainee: " + script.turns[i] + "\ncustomer: " + event->String("text") + "\n";
        } else if (event->type == "turn.done") {
          ++play.turns_played;
          turn_over = true;
        } else if (event->type == "turn.aborted") {
          return Failed(std::move(play), turn_id + ": turn.aborted " + event->String("reason"));
        } else if (event->IsError()) {
          const auto code = event->String("code");
          if (code != "rate_limited")
            return Failed(std::move(play), turn_id + ": error " + json::serialize(event->body));
          const auto* wait = event->body.if_contains("retry_after_ms");
          std::this_thread::sleep_for(milliseconds(wait != nullptr && wait->is_int64() ? wait->get_int64() : 100));
          if (auto sent = session.SendTurn(turn_id, script.turns[i]); !sent) {
            return Failed(std::move(play), turn_id + ": send: " + sent.error().message);
          }
        }
      }
    }
    if (!ended) {
      if (auto sent = session.End(); !sent) return Failed(std::move(play), "end: " + sent.error().message);
    }
    for (;;) {
      auto event = session.Next(kEventTimeout);
      if (!event) return Failed(std::move(play), "waiting for report.ready: " + event.error().message);
      if (event->type != "report.ready") continue;
      const auto* report = event->body.if_contains("report");
      if (report == nullptr || !report->is_object()) return Failed(std::move(play), "report.ready without a report");
      play.report = report->get_object();
      break;
    }
    Summarise(play);
    return play;
  }

  static Play Failed(Play play, std::string error) {
    play.error = std::move(error);
    return play;
  }

  static void Summarise(Play& play) {
    const auto& report = play.report;
    if (const auto* overall = report.if_contains("overall"); overall != nullptr && overall->is_number()) {
      play.overall = overall->to_number<double>();
    }
    play.end_reason = StringField(report, "end_reason");
    play.final_stage = StringField(report, "final_stage");
    if (const auto* violations = report.if_contains("violations"); violations != nullptr && violations->is_array()) {
      for (const auto& v : violations->get_array()) {
        if (!v.is_object() || StringField(v.get_object(), "side") != "trainee") continue;
        const auto& o = v.get_object();
        play.trainee_findings.push_back(
            {.rule = StringField(o, "rule"), .level = StringField(o, "level"), .turn_id = StringField(o, "turn_id")});
      }
    }
  }

  core::Result<json::object> GetReport(const std::string& session_id) const {
    auto reply = client::Fetch(endpoint_, "GET", "/api/v1/sessions/" + session_id + "/report", "",
                               {{"Authorization", "Bearer " + token_}}, milliseconds(10000));
    if (!reply) return tl::unexpected(reply.error());
    if (reply->status != 200) {
      return core::Fail(core::ErrorCode::kUnavailable, "status " + std::to_string(reply->status) + ": " + reply->body);
    }
    boost::system::error_code ec;
    auto parsed = json::parse(reply->body, ec);
    if (ec || !parsed.is_object()) return core::Fail(core::ErrorCode::kInternal, "the report is not a JSON object");
    return parsed.get_object();
  }

  client::Endpoint endpoint_;
  std::string token_;
};

std::string Number(std::optional<double> value) {
  if (!value) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << *value;
  return out.str();
}

// Why `play` of `script` misses what the script's kind expects; empty when it meets it.
std::vector<std::string> Shortfalls(const Script& script, const Play& play) {
  if (!script.load_error.empty()) return {script.file.string() + ": " + script.load_error};
  if (!play.played) return {"not played"};
  if (!play.error.empty()) return {play.error};
  std::vector<std::string> out;
  if (!play.stable_error.empty()) out.push_back("not reproducible: " + play.stable_error);
  if (!play.overall) {
    out.emplace_back("overall is null");
    return out;
  }
  const double overall = *play.overall;
  const auto& findings = play.trainee_findings;
  const auto has = [&](auto&& predicate) { return std::any_of(findings.begin(), findings.end(), predicate); };
  const auto at_most = [&](double limit) {
    if (overall > limit) out.push_back("overall " + Number(overall) + " > " + Number(limit));
  };
  const auto at_least = [&](double limit) {
    if (overall < limit) out.push_back("overall " + Number(overall) + " < " + Number(limit));
  };
  if (script.kind == "strong") {
    at_least(7);
    // A good salesperson wins the customer within the scenario's turn limit.
    if (play.end_reason != "won") out.push_back("the customer did not buy (end: " + play.end_reason + ")");
    if (!findings.empty()) out.emplace_back("a compliance finding on the trainee's side");
  } else if (script.kind == "weak") {
    at_most(4);
    if (play.end_reason == "won") out.emplace_back("the customer bought from a weak salesperson");
  } else if (script.kind == "honest_clumsy") {
    at_least(4);
    for (const auto turn : script.honest_turns) {
      const std::string turn_id = "t" + std::to_string(turn);
      for (const auto& f : findings) {
        if (f.turn_id == turn_id) out.push_back("honest turn " + turn_id + " flagged: " + f.rule + " " + f.level);
      }
    }
  } else if (script.kind == "insulting") {
    at_most(4);
    if (!has([](const Finding& f) { return f.rule == "insult"; })) out.emplace_back("no trainee finding 'insult'");
  } else if (script.kind == "pushy_polite") {
    at_most(5);
    if (!has([](const Finding& f) { return kPressureRules.contains(f.rule); })) {
      out.emplace_back("no trainee finding 'pressure', 'false_urgency' or 'coercion'");
    }
  } else if (script.kind == "blocker") {
    at_most(3);
    if (!has([&](const Finding& f) { return f.rule == script.blocker && f.level == "BLOCK"; })) {
      out.push_back("no trainee finding '" + script.blocker + "' at BLOCK");
    }
  }
  return out;
}

// Strong minus weak mean overall for one scenario and language.
struct Gap {
  bool heldout = false;
  std::string scenario_id;
  std::string language;
  std::optional<double> strong;
  std::optional<double> weak;

  std::optional<double> Value() const {
    if (!strong || !weak) return std::nullopt;
    return *strong - *weak;
  }
};

// Plays the scripts whose tests run, once for the whole program, then prints the summary.
class TraineeRun : public ::testing::Environment {
 public:
  static const std::vector<Play>& Plays() { return plays_; }
  static const std::string& StartError() { return start_error_; }

  static std::vector<Gap> Gaps() {
    std::map<std::tuple<bool, std::string, std::string>, std::pair<std::vector<double>, std::vector<double>>> groups;
    for (std::size_t i = 0; i < Scripts().size(); ++i) {
      const auto& script = Scripts()[i];
      if (!script.load_error.empty() || (script.kind != "strong" && script.kind != "weak")) continue;
      auto& group = groups[{script.heldout, script.scenario_id, script.language}];
      if (plays_[i].overall) (script.kind == "strong" ? group.first : group.second).push_back(*plays_[i].overall);
    }
    const auto mean = [](const std::vector<double>& values) -> std::optional<double> {
      if (values.empty()) return std::nullopt;
      double sum = 0;
      for (const double v : values) sum += v;
      return sum / static_cast<double>(values.size());
    };
    std::vector<Gap> out;
    for (const auto& [key, values] : groups) {
      if (values.first.empty() && values.second.empty()) continue;  // none of them played
      out.push_back({.heldout = std::get<0>(key),
                     .scenario_id = std::get<1>(key),
                     .language = std::get<2>(key),
                     .strong = mean(values.first),
                     .weak = mean(values.second)});
    }
    return out;
  }

  void SetUp() override {
    plays_.assign(Scripts().size(), Play{});
    const auto wanted = WantedScripts();
    if (wanted.empty()) return;
    try {
      server_ =
          testing::ServerProcess::Start({"--set", "limits.turn_burst=100000", "--set", "limits.turn_per_minute=100000",
                                         "--set", "conversation.npc_delta_interval_ms=0"});
    } catch (const std::exception& e) {
      start_error_ = e.what();
      return;
    }
    const auto token = server_->DemoTraineeToken();
    if (token.empty()) {
      start_error_ = "the demo trainee could not sign in";
      return;
    }
    const Player player(server_->endpoint(), token);
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (std::size_t w = 0; w < std::min(kWorkers, wanted.size()); ++w) {
      workers.emplace_back([&] {
        for (std::size_t n = next++; n < wanted.size(); n = next++) {
          plays_[wanted[n]] = player.Run(Scripts()[wanted[n]]);
        }
      });
    }
    for (auto& worker : workers) worker.join();
  }

  void TearDown() override {
    if (!played_any_) return;
    const std::string table = SummaryTable();
    std::cout << "\n" << table << std::flush;
    if (const char* path = std::getenv("SALESBOOST_TRAINEE_REPORT"); path != nullptr && *path != '\0') {
      std::ofstream out(path);
      out << table;
      if (!out) std::cerr << "could not write " << path << "\n";
    }
    // The tuning scripts' transcripts, one file each (held-out ones are never written out).
    if (const char* dir = std::getenv("SALESBOOST_TRAINEE_TRANSCRIPTS"); dir != nullptr && *dir != '\0') {
      fs::create_directories(dir);
      for (std::size_t i = 0; i < Scripts().size(); ++i) {
        if (!plays_[i].played || Scripts()[i].heldout) continue;
        std::ofstream out(fs::path(dir) / (Scripts()[i].id + ".txt"));
        out << plays_[i].transcript << "end: " << plays_[i].end_reason << ", stage " << plays_[i].final_stage
            << ", overall " << Number(plays_[i].overall) << "\n";
      }
    }
    server_.reset();
  }

 private:
  // Indexes of the valid scripts whose test runs under the current filter
  // (all of them when the strong/weak comparison runs).
  static std::vector<std::size_t> WantedScripts() {
    std::set<std::string> running;
    bool gaps = false;
    const auto& unit = *::testing::UnitTest::GetInstance();
    for (int s = 0; s < unit.total_test_suite_count(); ++s) {
      const auto& suite = *unit.GetTestSuite(s);
      for (int t = 0; t < suite.total_test_count(); ++t) {
        const auto& info = *suite.GetTestInfo(t);
        if (!info.should_run()) continue;
        const std::string name = info.name();
        if (std::string(suite.name()).ends_with("TraineeScriptGap")) gaps = true;
        if (const auto slash = name.find('/'); slash != std::string::npos) running.insert(name.substr(slash + 1));
      }
    }
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < Scripts().size(); ++i) {
      if (Scripts()[i].load_error.empty() && (gaps || running.contains(Scripts()[i].test_name))) out.push_back(i);
    }
    played_any_ = !out.empty();
    return out;
  }

  static std::string SummaryTable() {
    std::ostringstream out;
    out << "## Scripted trainees\n\n"
        << "| script | kind | overall | end_reason | final_stage | turns | trainee findings | verdict |\n"
        << "|---|---|---|---|---|---|---|---|\n";
    int passed[2] = {0, 0};
    int judged[2] = {0, 0};
    for (std::size_t i = 0; i < Scripts().size(); ++i) {
      const auto& script = Scripts()[i];
      const auto& play = plays_[i];
      if (!play.played && script.load_error.empty()) continue;
      std::string findings;
      for (const auto& f : play.trainee_findings) {
        findings += (findings.empty() ? "" : ", ") + f.rule + " " + f.level + " @" + f.turn_id;
      }
      const auto shortfalls = Shortfalls(script, play);
      std::string verdict = shortfalls.empty() ? "pass" : script.xfail.empty() ? "FAIL: " : "known shortfall: ";
      for (std::size_t k = 0; k < shortfalls.size(); ++k) verdict += (k == 0 ? "" : "; ") + shortfalls[k];
      if (!shortfalls.empty() && !script.xfail.empty()) verdict += " (" + script.xfail + ")";
      std::replace(verdict.begin(), verdict.end(), '|', '/');
      ++judged[script.heldout ? 1 : 0];
      passed[script.heldout ? 1 : 0] += shortfalls.empty() ? 1 : 0;
      out << "| " << (script.id.empty() ? script.file.filename().string() : script.id) << " | " << script.kind << " | "
          << Number(play.overall) << " | " << play.end_reason << " | " << play.final_stage << " | " << play.turns_played
          << "/" << script.turns.size() << " | " << findings << " | " << verdict << " |\n";
    }
    out << "\n"
        << "Tuning set: " << passed[0] << " of " << judged[0] << " scripts meet their kind's expectations.\n"
        << "Held-out set: " << passed[1] << " of " << judged[1]
        << " scripts meet their kind's expectations (reported, not asserted: nobody tunes on them).\n\n"
        << "### Strong minus weak (mean overall, expected >= " << Number(kLeastStrongWeakGap) << ")\n\n"
        << "| set | scenario | language | strong | weak | gap | verdict |\n|---|---|---|---|---|---|---|\n";
    for (const auto& gap : Gaps()) {
      const auto value = gap.Value();
      out << "| " << (gap.heldout ? "held-out" : "tuning") << " | " << gap.scenario_id << " | " << gap.language << " | "
          << Number(gap.strong) << " | " << Number(gap.weak) << " | " << Number(value) << " | "
          << (!value                          ? "not checked"
              : *value >= kLeastStrongWeakGap ? "pass"
                                              : "FAIL")
          << " |\n";
    }
    return out.str();
  }

  static inline std::vector<Play> plays_;
  static inline std::string start_error_;
  static inline bool played_any_ = false;
  static inline std::unique_ptr<testing::ServerProcess> server_;
};

[[maybe_unused]] auto* const kTraineeRun = ::testing::AddGlobalTestEnvironment(new TraineeRun);

class TraineeScript : public ::testing::TestWithParam<std::size_t> {};

TEST_P(TraineeScript, MeetsWhatItsKindExpects) {
  const auto& script = Scripts()[GetParam()];
  ASSERT_TRUE(TraineeRun::StartError().empty()) << "the server did not start: " << TraineeRun::StartError();
  const auto& play = TraineeRun::Plays()[GetParam()];
  const auto shortfalls = Shortfalls(script, play);
  if (script.heldout) {
    // Judged and shown in the summary; asserting would make the set something to tune on.
    if (!shortfalls.empty()) std::cout << script.id << " (held-out) falls short: " << shortfalls.front() << "\n";
    return;
  }
  if (!script.xfail.empty()) {
    EXPECT_FALSE(shortfalls.empty()) << script.id << " now meets its kind's expectations: remove its xfail";
    return;
  }
  for (const auto& shortfall : shortfalls) {
    ADD_FAILURE() << script.id << " (" << script.kind << ", " << script.file.filename().string() << "): " << shortfall
                  << "\n  report: " << (play.report.empty() ? std::string("none") : json::serialize(play.report));
  }
}

std::vector<std::size_t> ScriptIndexes() {
  std::vector<std::size_t> out(Scripts().size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  return out;
}

INSTANTIATE_TEST_SUITE_P(Scripts, TraineeScript, ::testing::ValuesIn(ScriptIndexes()),
                         [](const ::testing::TestParamInfo<std::size_t>& param_info) {
                           return Scripts()[param_info.param].test_name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(TraineeScript);

TEST(TraineeScriptGap, StrongBeatsWeakByThreePerScenarioAndLanguage) {
  ASSERT_TRUE(TraineeRun::StartError().empty()) << "the server did not start: " << TraineeRun::StartError();
  for (const auto& gap : TraineeRun::Gaps()) {
    const auto value = gap.Value();
    if (!value || gap.heldout) continue;  // held-out gaps are reported in the summary only
    EXPECT_GE(*value, kLeastStrongWeakGap)
        << gap.scenario_id << " " << gap.language << ": strong " << Number(gap.strong) << ", weak " << Number(gap.weak);
  }
}

}  // namespace
}  // namespace salesboost
