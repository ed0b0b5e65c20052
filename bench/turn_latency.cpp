// Turn latency: C concurrent sessions, each sending turns one after another
// over WebSocket, measuring from sending `turn` to the first npc.delta and to
// turn.done, as the client sees them. Also prints the server's own
// turn-duration mean from /metrics. The server runs elsewhere
// (bench/turn_latency.sh and bench/ttft_overhead.sh start it).
//
//   bench_turn_latency --port P --token T --sessions C --turns N
//   bench_turn_latency ... --provider-ttft-ms T   the customer speaks through a
//       provider that takes T ms to its first token (tools/mock-llm): prints
//       the backend's overhead on time to first token, client TTFT minus T.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "client/blocking_client.hpp"

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using salesboost::client::Endpoint;

// Turns that keep a conversation going (none of them closes the sale).
const std::vector<std::string> kTurns = {
    "Hello Mr Li, this is Anna from Lumen.",
    "How do you follow up with customers who visit your stores today?",
    "What happens when one of your salespeople quits?",
    "Our CRM sends follow-up reminders to every salesperson, so no lead is forgotten.",
    "Do you look at reports for all three stores?",
    "I see. Tell me more about how your team shares customer notes.",
};
constexpr int kTurnsPerSession = 15;  // below the demo scenario's max_turns

struct Sample {
  double first_delta_ms = 0;
  double done_ms = 0;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

std::string NewSession(const Endpoint& endpoint, const std::string& token) {
  auto created = salesboost::client::Fetch(endpoint, "POST", "/api/v1/sessions",
                                           R"({"scenario_id":"first-call-retail","language":"en"})",
                                           {{"Authorization", "Bearer " + token}});
  if (!created || created->status != 201) return {};
  return std::string(json::parse(created->body).at("id").as_string());
}

// One session's worth of turns; returns false on a protocol error.
bool RunSession(const Endpoint& endpoint, const std::string& token, int turns, int worker, std::vector<Sample>& samples,
                std::atomic<int>& errors) {
  const auto session_id = NewSession(endpoint, token);
  if (session_id.empty()) return false;
  auto ws = salesboost::client::WsClient::Connect(endpoint, "/ws?access_token=" + token);
  if (!ws) return false;
  auto& client = **ws;
  if (!client.SendText(json::serialize(json::object{{"type", "session.join"}, {"session_id", session_id}}))) {
    return false;
  }
  if (!client.Read(std::chrono::milliseconds(10000))) return false;  // session.ready
  for (int i = 0; i < turns; ++i) {
    const auto turn = json::serialize(json::object{{"type", "turn"},
                                                   {"turn_id", fmt::format("w{}-{}", worker, i)},
                                                   {"text", kTurns[static_cast<std::size_t>(i) % kTurns.size()]}});
    const auto start = Clock::now();
    if (!client.SendText(turn)) return false;
    Sample sample;
    for (;;) {
      auto event = client.Read(std::chrono::milliseconds(30000));
      if (!event || event->kind != salesboost::client::WsEvent::Kind::kText) return false;
      const auto message = json::parse(event->data).as_object();
      const auto type = message.at("type").as_string();
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      if (type == "npc.delta" && sample.first_delta_ms == 0) sample.first_delta_ms = ms;
      if (type == "error") {
        ++errors;
        break;
      }
      if (type == "turn.done") {
        sample.done_ms = ms;
        samples.push_back(sample);
        break;
      }
    }
  }
  return true;
}

double MetricValue(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? 0 : std::stod(text.substr(at + name.size() + 2));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Turn latency with the offline engines"};
  std::uint16_t port = 0;
  std::string token;
  int sessions = 1;
  int turns = 200;
  cli.add_option("--port", port)->required();
  cli.add_option("--token", token)->required();
  cli.add_option("--sessions", sessions, "concurrent sessions (one client thread each)");
  cli.add_option("--turns", turns, "turns per concurrent session");
  int stagger_ms = 0;
  cli.add_option("--stagger-ms", stagger_ms,
                 "each session starts after a random pause of up to this long, so turns do not run in lockstep");
  std::uint16_t mock_port = 0;
  cli.add_option("--mock-port", mock_port, "tools/mock-llm's port: subtract what the mock itself took to first token");
  double provider_ttft_ms = -1;
  cli.add_option("--provider-ttft-ms", provider_ttft_ms,
                 "the provider's configured time to first token: print the TTFT overhead row instead");
  CLI11_PARSE(cli, argc, argv);
  const Endpoint endpoint{"127.0.0.1", port};

  std::mutex mutex;
  std::vector<Sample> all;
  std::atomic<int> errors{0};
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < sessions; ++w) {
    workers.emplace_back([&, w] {
      if (stagger_ms > 0) {
        std::mt19937 random(static_cast<unsigned>(w));
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(0, stagger_ms)(random)));
      }
      std::vector<Sample> mine;
      for (int done = 0; done < turns; done += kTurnsPerSession) {
        if (!RunSession(endpoint, token, std::min(kTurnsPerSession, turns - done), w * 100000 + done, mine, errors)) {
          ++failures;
          break;
        }
      }
      std::lock_guard lock(mutex);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : workers) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> first;
  std::vector<double> done;
  for (const auto& s : all) {
    first.push_back(s.first_delta_ms);
    done.push_back(s.done_ms);
  }
  auto metrics = salesboost::client::Fetch(endpoint, "GET", "/metrics");
  double server_mean_ms = 0;
  if (metrics && metrics->status == 200) {
    const double sum = MetricValue(metrics->body, "salesboost_turn_duration_seconds_sum");
    const double count = MetricValue(metrics->body, "salesboost_turn_duration_seconds_count");
    server_mean_ms = count > 0 ? 1000 * sum / count : 0;
  }
  if (provider_ttft_ms >= 0) {
    std::vector<double> overhead;
    for (double ms : first) overhead.push_back(ms - provider_ttft_ms);
    // What the mock itself took from reading each request to writing its first token.
    double mock_p50 = 0;
    double mock_p99 = 0;
    if (mock_port != 0) {
      auto stats = salesboost::client::Fetch(Endpoint{"127.0.0.1", mock_port}, "GET", "/_mock/stats");
      if (stats && stats->status == 200) {
        const auto parsed = json::parse(stats->body);
        if (const auto* ttft = parsed.as_object().if_contains("first_token_ms")) {
          mock_p50 = ttft->at("p50").to_number<double>();
          mock_p99 = ttft->at("p99").to_number<double>();
        }
      }
    }
    fmt::print("| {} | {} | {:.0f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} |\n",
               sessions, all.size(), static_cast<double>(all.size()) / seconds, Percentile(first, 0.5),
               Percentile(first, 0.99), mock_p50, mock_p99, Percentile(first, 0.5) - mock_p50,
               Percentile(first, 0.99) - mock_p99, Percentile(overhead, 0.5), Percentile(overhead, 0.99),
               errors.load() + failures.load());
    return failures.load() == 0 ? 0 : 1;
  }
  fmt::print("| {} | {} | {:.0f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} |\n", sessions, all.size(),
             static_cast<double>(all.size()) / seconds, Percentile(first, 0.5), Percentile(first, 0.99),
             Percentile(done, 0.5), Percentile(done, 0.9), Percentile(done, 0.99), server_mean_ms,
             errors.load() + failures.load());
  return failures.load() == 0 ? 0 : 1;
}
