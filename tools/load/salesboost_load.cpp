// salesboost-load: drives a running SalesBoost server as many trainees would.
//
// It logs in once, opens N WebSocket connections (spread over several
// source addresses when asked, to pass the ~28k ephemeral ports one address
// has towards one server port), and then either holds them idle (--idle) or
// gives each a session (POST /api/v1/sessions, session.join) and drives a
// scripted conversation: a `turn` at a time, at a total rate per step
// (--rate 500,1000,2000; 0 is closed loop), a new session after
// --turns-per-session turns. It reports connections per second, the time to
// the first npc.delta and to turn.done (p50/p90/p99/max), the overhead on the
// provider's time to first token (--provider-ttft-ms), errors by kind, and the
// server's resident memory and CPU read from /proc/<pid> (--pid), as JSON
// (--json) and Markdown (stdout, or --markdown).
//
// All connections of a thread share one io_context; one thread is the default
// and is enough for tens of thousands of connections.

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/api_client.hpp"
#include "client/blocking_client.hpp"
#include "client/session_protocol.hpp"
#include "load_report.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using asio::awaitable;
using salesboost::client::ServerEvent;
using salesboost::load::LatencySummary;
using salesboost::load::ProcSample;
using salesboost::load::Report;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// A conversation that keeps going: none of these lines closes the sale.
const std::vector<std::string> kScript = {
    "Hello Mr Li, this is Anna from Lumen.",
    "How do you follow up with customers who visit your stores today?",
    "What happens when one of your salespeople quits?",
    "Our CRM sends follow-up reminders to every salesperson, so no lead is forgotten.",
    "Do you look at reports for all three stores?",
    "I see. Tell me more about how your team shares customer notes.",
};

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string user = "trainee";
  std::string password;
  std::string password_file;
  std::string token;
  std::string label;
  bool idle = false;
  int connections = 1;
  int connect_concurrency = 256;
  std::vector<std::string> sources;
  std::vector<double> rates{0};
  double step_seconds = 10;
  double step_warmup_seconds = 2;
  double hold_seconds = 5;
  int turns_per_session = 15;
  std::string scenario_id = "first-call-retail";
  std::string language = "en";
  int timeout_ms = 30000;
  double provider_ttft_ms = -1;
  std::uint16_t mock_port = 0;
  int pid = 0;
  double sample_seconds = 1;
  double memory_warmup_seconds = 0;
  std::string json_path;
  std::string markdown_path;
  std::string trace_path;
  int threads = 1;
  unsigned seed = 1;
};

// What one thread's connections measured in one step.
struct StepStats {
  std::vector<double> first_delta;
  std::vector<double> done;
  std::size_t late = 0;
  std::vector<std::string> trace;  // --trace: one CSV line per measured turn
  std::map<std::string, long> errors;
};

// One thread: its io_context and what its connections measured.
struct Lane {
  asio::io_context io{1};
  std::vector<StepStats> steps;
  std::map<std::string, long> connect_errors;
  std::set<std::string> local_addresses;  // the source addresses connections actually had
  long sessions_started = 0;
};

Clock::duration Span(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// What every connection shares; read-only once the run starts.
struct Run {
  Options options;
  std::vector<asio::ip::address_v4> sources;
  tcp::endpoint server;  // --host and --port
  std::string host;      // the Host header: host:port
  std::string token;
  Clock::time_point t0;  // the first step starts
  std::atomic<int> next_connection{0};
  std::atomic<int> connected{0};
  std::atomic<int> failed{0};
  std::atomic<int> dropped{0};
  std::atomic<int> driving{0};
  std::atomic<bool> holding{false};

  int StepAt(Clock::time_point at) const {
    const double since = std::chrono::duration<double>(at - t0).count();
    return since < 0 ? -1 : static_cast<int>(since / options.step_seconds);
  }
  bool Measured(Clock::time_point at, int step) const {
    const double since = std::chrono::duration<double>(at - t0).count() - step * options.step_seconds;
    return step >= 0 && step < static_cast<int>(options.rates.size()) && since >= options.step_warmup_seconds;
  }
  Clock::time_point End() const { return t0 + Span(options.step_seconds * static_cast<double>(options.rates.size())); }
};

struct Event {
  Clock::time_point at;
  std::string text;
};

// One simulated trainee: a WebSocket, the messages read from it, and its session.
struct Trainee {
  explicit Trainee(asio::io_context& io) : ws(io), wake(io) {}
  websocket::stream<beast::tcp_stream> ws;
  asio::steady_timer wake;  // cancelled when a message arrives or the socket closes
  std::deque<Event> inbox;
  bool closed = false;
  int index = 0;
  std::string session_id;
  int turns_in_session = 0;
  int turns_sent = 0;
};

std::optional<asio::ip::address_v4> SourceFor(const Run& run, int index) {
  if (run.sources.empty()) return std::nullopt;
  return run.sources[static_cast<std::size_t>(index) % run.sources.size()];
}

// Opens the socket bound to a source address; the port is chosen at connect
// time (IP_BIND_ADDRESS_NO_PORT), so each address has its own port range.
boost::system::error_code OpenFrom(tcp::socket& socket, const std::optional<asio::ip::address_v4>& source) {
  boost::system::error_code ec;
  socket.open(tcp::v4(), ec);
  if (ec || !source) return ec;
  const int one = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  socket.bind(tcp::endpoint(*source, 0), ec);
  return ec;
}

std::string ErrorKind(const std::string& stage, const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return stage + ": timeout";
  return stage + ": " + ec.message();
}

// Connects `stream` from trainee `index`'s source address within the timeout
// (left armed for what follows); empty, or the error's kind.
awaitable<std::string> ConnectFrom(beast::tcp_stream& stream, const Run& run, int index, const std::string& stage) {
  if (auto ec = OpenFrom(stream.socket(), SourceFor(run, index))) co_return ErrorKind(stage, ec);
  stream.expires_after(std::chrono::milliseconds(run.options.timeout_ms));
  if (auto [ec] = co_await stream.async_connect(run.server, kTuple); ec) co_return ErrorKind(stage, ec);
  co_return std::string();
}

struct HttpResult {
  int status = 0;
  std::string body;
  std::string error;  // set when no response arrived
};

awaitable<HttpResult> Post(const Run& run, int index, const std::string& target, const std::string& body) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  HttpResult result;
  result.error = co_await ConnectFrom(stream, run, index, "http connect");
  if (!result.error.empty()) co_return result;
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, run.host);
  request.set(http::field::authorization, "Bearer " + run.token);
  request.set(http::field::content_type, "application/json");
  request.keep_alive(false);
  request.body() = body;
  request.prepare_payload();
  if (auto [ec, n] = co_await http::async_write(stream, request, kTuple); ec) {
    result.error = ErrorKind("http write", ec);
    co_return result;
  }
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  if (auto [ec, n] = co_await http::async_read(stream, buffer, response, kTuple); ec) {
    result.error = ErrorKind("http read", ec);
    co_return result;
  }
  result.status = static_cast<int>(response.result_int());
  result.body = std::move(response.body());
  co_return result;
}

// Reads every message into the inbox until the socket closes. Keeping a read
// pending also answers the server's pings.
awaitable<void> ReadLoop(std::shared_ptr<Trainee> t, Run& run) {
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await t->ws.async_read(buffer, kTuple);
    if (ec) {
      t->closed = true;
      t->wake.cancel();
      if (run.holding) ++run.dropped;
      co_return;
    }
    t->inbox.push_back(Event{Clock::now(), beast::buffers_to_string(buffer.data())});
    buffer.consume(buffer.size());
    t->wake.cancel();
  }
}

// The next message, or nullopt when the socket closed or the deadline passed.
awaitable<std::optional<Event>> NextEvent(Trainee& t, Clock::time_point deadline) {
  while (t.inbox.empty()) {
    if (t.closed || Clock::now() >= deadline) co_return std::nullopt;
    t.wake.expires_at(deadline);
    co_await t.wake.async_wait(kTuple);
  }
  Event event = std::move(t.inbox.front());
  t.inbox.pop_front();
  co_return event;
}

// The kind of a server's error event: "server <code>".
std::string ServerError(const ServerEvent& event) {
  const auto code = event.String("code");
  return "server " + (code.empty() ? std::string("error") : code);
}

// Waits for a message of type `wanted`; an error event, a message outside the
// protocol, a close or the deadline gives the error's kind instead.
awaitable<std::string> AwaitType(Trainee& t, std::string_view wanted, Clock::time_point deadline) {
  for (;;) {
    auto event = co_await NextEvent(t, deadline);
    if (!event) co_return t.closed ? "closed" : "timeout";
    const auto message = salesboost::client::ParseServerEvent(event->text);
    if (!message) co_return "bad message";
    if (message->IsError()) co_return ServerError(*message);
    if (message->type == wanted) co_return std::string();
  }
}

Clock::time_point Deadline(const Run& run) { return Clock::now() + std::chrono::milliseconds(run.options.timeout_ms); }

// Creates a session over HTTP and joins it on the socket; empty, or the error's kind.
awaitable<std::string> StartSession(Trainee& t, Lane& lane, const Run& run) {
  const auto& o = run.options;
  const auto body = salesboost::client::StartSessionBody(
      {.scenario_id = o.scenario_id, .persona_id = std::nullopt, .language = o.language, .seed = std::nullopt});
  auto created = co_await Post(run, t.index, "/api/v1/sessions", body);
  if (!created.error.empty()) co_return created.error;
  if (created.status != 201) co_return fmt::format("create session: status {}", created.status);
  auto id = salesboost::client::SessionIdFromReply(created.body);
  if (!id) co_return "create session: no id";
  t.session_id = std::move(*id);
  t.turns_in_session = 0;
  const auto join = salesboost::client::JoinMessage(t.session_id);
  if (auto [ec, n] = co_await t.ws.async_write(asio::buffer(join), kTuple); ec) co_return ErrorKind("ws write", ec);
  auto error = co_await AwaitType(t, "session.ready", Deadline(run));
  if (error.empty()) ++lane.sessions_started;
  co_return error;
}

awaitable<std::string> EndSession(Trainee& t, const Run& run) {
  const std::string end = salesboost::client::EndMessage();
  if (auto [ec, n] = co_await t.ws.async_write(asio::buffer(end), kTuple); ec) co_return ErrorKind("ws write", ec);
  co_return co_await AwaitType(t, "report.ready", Deadline(run));
}

// Opens one trainee's connection, and its first session unless idle.
awaitable<std::string> Connect(std::shared_ptr<Trainee> t, Lane& lane, Run& run) {
  const auto& o = run.options;
  auto& stream = beast::get_lowest_layer(t->ws);
  if (auto error = co_await ConnectFrom(stream, run, t->index, "connect"); !error.empty()) co_return error;
  const auto target = salesboost::client::SocketTarget(run.token);
  if (auto [ec] = co_await t->ws.async_handshake(run.host, target, kTuple); ec) co_return ErrorKind("handshake", ec);
  stream.expires_never();
  boost::system::error_code ignored;
  lane.local_addresses.insert(stream.socket().local_endpoint(ignored).address().to_string());
  t->ws.set_option(
      websocket::stream_base::timeout{std::chrono::milliseconds(o.timeout_ms), websocket::stream_base::none(), false});
  asio::co_spawn(t->ws.get_executor(), ReadLoop(t, run), asio::detached);
  if (o.idle) co_return std::string();
  co_return co_await StartSession(*t, lane, run);
}

// Takes connection numbers until all are open; each open trainee goes into `held`.
awaitable<void> Connector(Lane& lane, Run& run, std::vector<std::shared_ptr<Trainee>>& held) {
  for (;;) {
    const int index = run.next_connection++;
    if (index >= run.options.connections) co_return;
    auto t = std::make_shared<Trainee>(lane.io);
    t->index = index;
    const auto error = co_await Connect(t, lane, run);
    if (error.empty()) {
      held.push_back(std::move(t));
      ++run.connected;
    } else {
      ++lane.connect_errors[error];
      ++run.failed;
    }
  }
}

// Where a turn sent in `step` is counted (before the first step: the first).
StepStats& StatsAt(Lane& lane, int step) {
  return lane.steps[static_cast<std::size_t>(std::clamp(step, 0, static_cast<int>(lane.steps.size()) - 1))];
}

// One trainee's conversation over all steps.
awaitable<void> Drive(std::shared_ptr<Trainee> t, Lane& lane, Run& run) {
  const auto& o = run.options;
  std::mt19937 random(o.seed + static_cast<unsigned>(t->index));
  const auto end = run.End();
  std::optional<Clock::time_point> next;  // the scheduled time of the next turn (open loop)
  asio::steady_timer timer(lane.io);
  int scheduled_step = -1;
  // Trainees are at different points of their conversations: the first
  // session is shortened at random, so sessions do not all end together.
  t->turns_in_session = std::uniform_int_distribution<int>(0, o.turns_per_session - 1)(random);
  while (!t->closed) {
    auto now = Clock::now();
    if (now >= end) break;
    const int step = std::max(0, run.StepAt(now));
    const double rate = o.rates[static_cast<std::size_t>(step)];
    const auto interval = rate > 0 ? Span(o.connections / rate) : Clock::duration::zero();
    if (rate > 0) {
      if (!next || scheduled_step != step) {
        // A new step: start at a random point of the first interval so turns do not arrive in lockstep.
        const auto step_start = run.t0 + Span(step * o.step_seconds);
        const double offset = std::uniform_real_distribution<double>(0, 1)(random);
        next = std::max(now, step_start) + Span(offset * o.connections / rate);
        scheduled_step = step;
      }
      if (*next >= end) break;
      if (*next > now) {
        timer.expires_at(*next);
        co_await timer.async_wait(kTuple);
        continue;  // re-read the clock and the step
      }
    }
    const auto sent_at = Clock::now();
    const int sent_step = run.StepAt(sent_at);
    const bool measured = run.Measured(sent_at, sent_step);
    auto& stats = StatsAt(lane, sent_step);
    if (rate > 0) {
      if (measured && sent_at - *next > std::chrono::milliseconds(100)) ++stats.late;
      *next += interval;
    }
    const auto turn_id = fmt::format("t{}-{}", t->index, t->turns_sent++);
    const auto turn =
        salesboost::client::TurnMessage(turn_id, kScript[static_cast<std::size_t>(t->turns_sent) % kScript.size()]);
    if (auto [ec, n] = co_await t->ws.async_write(asio::buffer(turn), kTuple); ec) {
      if (measured) ++stats.errors[ErrorKind("ws write", ec)];
      break;
    }
    double first_delta = -1;
    std::string error;
    const auto deadline = Deadline(run);
    for (;;) {
      auto event = co_await NextEvent(*t, deadline);
      if (!event) {
        error = t->closed ? "closed" : "timeout";
        break;
      }
      const auto message = salesboost::client::ParseServerEvent(event->text);
      if (!message) {
        error = "bad message";
        break;
      }
      const double ms = std::chrono::duration<double, std::milli>(event->at - sent_at).count();
      if (message->type == "npc.delta" && first_delta < 0) first_delta = ms;
      if (message->IsError()) {
        error = ServerError(*message);
        break;
      }
      if (message->type == "turn.done") {
        if (measured) {
          stats.first_delta.push_back(first_delta < 0 ? ms : first_delta);
          stats.done.push_back(ms);
          if (!o.trace_path.empty()) {
            stats.trace.push_back(fmt::format("{:.6f},{},{},{},{:.3f},{:.3f}", Seconds(sent_at - run.t0), t->index,
                                              t->turns_in_session, sent_step, stats.first_delta.back(), ms));
          }
        }
        break;
      }
    }
    if (!error.empty()) {
      if (measured) ++stats.errors[error];
      if (t->closed) break;
      if (rate == 0) {  // closed loop: do not spin on a refusal
        timer.expires_after(std::chrono::milliseconds(100));
        co_await timer.async_wait(kTuple);
      }
      continue;
    }
    if (++t->turns_in_session >= o.turns_per_session) {
      auto failure = co_await EndSession(*t, run);
      if (failure.empty()) failure = co_await StartSession(*t, lane, run);
      if (!failure.empty()) {
        ++StatsAt(lane, run.StepAt(Clock::now())).errors[failure];
        break;
      }
    }
  }
  --run.driving;
}

std::vector<asio::ip::address_v4> ParseSources(const std::vector<std::string>& specs) {
  std::vector<asio::ip::address_v4> out;
  for (const auto& spec : specs) {
    const auto dash = spec.find('-');
    const auto first = asio::ip::make_address_v4(spec.substr(0, dash)).to_uint();
    const auto last = dash == std::string::npos ? first : asio::ip::make_address_v4(spec.substr(dash + 1)).to_uint();
    if (last < first || last - first > 65535) throw std::invalid_argument("bad source range " + spec);
    for (auto a = first; a <= last; ++a) out.emplace_back(a);
  }
  return out;
}

double ClientCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string Login(const Options& o) {
  if (!o.token.empty()) return o.token;
  std::string password = o.password;
  if (password.empty() && !o.password_file.empty()) {
    std::ifstream file(o.password_file);
    std::getline(file, password);
  }
  salesboost::client::ApiClient api(salesboost::client::Endpoint{o.host, o.port});
  auto reply = api.Send("POST", "/api/v1/auth/login", salesboost::client::LoginBody(o.user, password));
  if (!reply) throw std::runtime_error("login: " + reply.error().message);
  if (reply->status != 200) throw std::runtime_error(fmt::format("login: status {}: {}", reply->status, reply->body));
  auto token = salesboost::client::TokenFromLoginReply(reply->body);
  if (!token) throw std::runtime_error("login: " + token.error().message);
  return *token;
}

// The mock provider's own first-token times (p50, p99), from its /_mock/stats.
std::optional<std::pair<double, double>> MockFirstToken(const Options& o) {
  if (o.mock_port == 0) return std::nullopt;
  auto stats = salesboost::client::Fetch(salesboost::client::Endpoint{"127.0.0.1", o.mock_port}, "GET", "/_mock/stats");
  if (!stats || stats->status != 200) return std::nullopt;
  const auto parsed = json::parse(stats->body);
  const auto* ttft = parsed.as_object().if_contains("first_token_ms");
  if (ttft == nullptr) return std::nullopt;
  return std::pair{ttft->at("p50").to_number<double>(), ttft->at("p99").to_number<double>()};
}

int RunLoad(Options o) {
  Run run;
  run.sources = ParseSources(o.sources);
  boost::system::error_code bad_host;
  run.server = tcp::endpoint(asio::ip::make_address(o.host, bad_host), o.port);
  if (bad_host) throw std::invalid_argument("--host must be an IP address: " + o.host);
  run.host = fmt::format("{}:{}", o.host, o.port);
  run.options = o;
  Report report;
  report.scenario = o.label.empty() ? (o.idle ? "idle" : "active") : o.label;
  report.server = fmt::format("{}:{}", o.host, o.port);
  report.connections = o.connections;
  report.sources = std::max<int>(1, static_cast<int>(run.sources.size()));
  report.warmup_s = o.memory_warmup_seconds;
  report.provider_ttft_ms = o.provider_ttft_ms >= 0 ? std::optional(o.provider_ttft_ms) : std::nullopt;

  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  report.open_files_limit = static_cast<long>(limit.rlim_cur);
  // Each trainee holds a socket; creating a session briefly holds a second.
  const auto needed = static_cast<rlim_t>(o.connections) + static_cast<rlim_t>(o.connect_concurrency) + 64;
  if (needed > limit.rlim_cur) {
    throw std::runtime_error(
        fmt::format("the open-files limit is {}; {} connections need about {} (ulimit -n, or "
                    "run several load generators)",
                    limit.rlim_cur, o.connections, needed));
  }
  run.token = Login(o);

  const auto start = Clock::now();
  const auto at = [&] { return Seconds(Clock::now() - start); };
  const auto sample = [&]() -> std::optional<ProcSample> {
    if (o.pid == 0) return std::nullopt;
    auto s = salesboost::load::ReadProc(o.pid, at());
    if (s) report.samples.push_back(*s);
    return s;
  };
  // Sleeps until `until`, reading the server every sample period on the way.
  const auto sample_until = [&](Clock::time_point until) {
    while (Clock::now() < until) {
      std::this_thread::sleep_until(std::min(until, Clock::now() + Span(o.sample_seconds)));
      if (Clock::now() < until) sample();
    }
  };
  if (auto s = sample()) report.rss_before_kib = s->rss_kib;

  std::vector<std::unique_ptr<Lane>> lanes;
  std::vector<std::vector<std::shared_ptr<Trainee>>> held(static_cast<std::size_t>(o.threads));
  for (int i = 0; i < o.threads; ++i) {
    lanes.push_back(std::make_unique<Lane>());
    lanes.back()->steps.resize(o.rates.size());
  }
  auto guards = std::vector<asio::executor_work_guard<asio::io_context::executor_type>>();
  for (auto& lane : lanes) guards.push_back(asio::make_work_guard(lane->io));
  const int per_lane = std::max(1, o.connect_concurrency / o.threads);
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    for (int c = 0; c < per_lane; ++c) {
      asio::co_spawn(lanes[i]->io, Connector(*lanes[i], run, held[i]), asio::detached);
    }
  }
  std::vector<std::thread> threads;
  threads.reserve(lanes.size());
  for (auto& lane : lanes) threads.emplace_back([&io = lane->io] { io.run(); });

  // Connect: progress on stderr every second.
  auto progress = Clock::now();
  while (run.connected + run.failed < o.connections) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (Clock::now() - progress > std::chrono::seconds(1)) {
      progress = Clock::now();
      fmt::print(stderr, "\rconnecting: {} open, {} failed of {}", run.connected.load(), run.failed.load(),
                 o.connections);
    }
  }
  report.connect_seconds = at();
  report.connected = run.connected;
  fmt::print(stderr, "\rconnected: {} open, {} failed of {} in {:.1f} s\n", run.connected.load(), run.failed.load(),
             o.connections, report.connect_seconds);

  if (o.idle) {
    run.holding = true;
    sample();
    sample_until(Clock::now() + Span(o.hold_seconds));
    report.hold_seconds = o.hold_seconds;
    if (auto s = sample()) report.rss_held_kib = s->rss_kib;
    run.holding = false;
    report.dropped_while_held = run.dropped;
  } else {
    run.t0 = Clock::now() + std::chrono::milliseconds(100);
    run.driving = static_cast<int>(run.connected);
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      asio::post(lanes[i]->io, [&, i] {
        for (auto& t : held[i]) asio::co_spawn(lanes[i]->io, Drive(t, *lanes[i], run), asio::detached);
      });
    }
    // Sample the server at each step's window and every sample period.
    report.steps.resize(o.rates.size());
    std::vector<std::optional<ProcSample>> window_start(o.rates.size());
    std::vector<std::optional<ProcSample>> window_end(o.rates.size());
    const auto offset = [&](double seconds) { return run.t0 + Span(seconds); };
    for (std::size_t k = 0; k < o.rates.size(); ++k) {
      const auto begin = offset(static_cast<double>(k) * o.step_seconds + o.step_warmup_seconds);
      const auto finish = offset(static_cast<double>(k + 1) * o.step_seconds);
      sample_until(begin);
      window_start[k] = sample();
      sample_until(finish);
      window_end[k] = sample();
      fmt::print(stderr, "step {}/{} ({} turns/s target) done\n", k + 1, o.rates.size(),
                 o.rates[k] > 0 ? fmt::format("{:g}", o.rates[k]) : std::string("max"));
    }
    // Let the turns in flight finish.
    const auto grace = Clock::now() + std::chrono::milliseconds(o.timeout_ms) + std::chrono::seconds(1);
    while (run.driving > 0 && Clock::now() < grace) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (std::size_t k = 0; k < o.rates.size(); ++k) {
      auto& step = report.steps[k];
      step.target_turns_per_s = o.rates[k];
      step.seconds = o.step_seconds - o.step_warmup_seconds;
      if (window_start[k] && window_end[k]) {
        step.server_cpu_percent = 100 * (window_end[k]->cpu_s - window_start[k]->cpu_s) /
                                  std::max(1e-9, window_end[k]->at_s - window_start[k]->at_s);
        step.server_rss_kib = window_end[k]->rss_kib;
      }
    }
  }
  for (auto& guard : guards) guard.reset();
  for (auto& lane : lanes) lane->io.stop();
  for (auto& thread : threads) thread.join();

  // Merge what the threads measured (they have stopped).
  const auto mock = MockFirstToken(o);
  std::set<std::string> local_addresses;
  for (auto& lane : lanes) {
    for (const auto& [kind, count] : lane->connect_errors) report.connect_errors[kind] += count;
    local_addresses.insert(lane->local_addresses.begin(), lane->local_addresses.end());
    report.sessions_started += lane->sessions_started;
  }
  report.sources_used = static_cast<int>(local_addresses.size());
  for (std::size_t k = 0; k < report.steps.size(); ++k) {
    std::vector<double> first;
    std::vector<double> done;
    auto& step = report.steps[k];
    for (auto& lane : lanes) {
      const auto& s = lane->steps[k];
      first.insert(first.end(), s.first_delta.begin(), s.first_delta.end());
      done.insert(done.end(), s.done.begin(), s.done.end());
      step.late_turns += s.late;
      for (const auto& [kind, count] : s.errors) step.errors[kind] += count;
    }
    step.turns = done.size();
    if (o.provider_ttft_ms >= 0) {
      std::vector<double> overhead;
      overhead.reserve(first.size());
      for (double ms : first) overhead.push_back(ms - o.provider_ttft_ms);
      step.ttft_overhead_ms = salesboost::load::Summarize(std::move(overhead));
    }
    step.first_delta_ms = salesboost::load::Summarize(std::move(first));
    step.done_ms = salesboost::load::Summarize(std::move(done));
  }
  report.client_cpu_s = ClientCpuSeconds();
  report.wall_seconds = at();

  if (!o.trace_path.empty()) {
    std::ofstream trace(o.trace_path);
    trace << "sent_s,trainee,turn_in_session,step,first_delta_ms,done_ms\n";
    for (auto& lane : lanes) {
      for (const auto& step : lane->steps) {
        for (const auto& line : step.trace) trace << line << "\n";
      }
    }
  }
  auto markdown = salesboost::load::ToMarkdown(report);
  if (mock) {
    markdown += fmt::format(
        "The mock provider measured its own time to first token at p50 {:.2f} ms, p99 {:.2f} ms "
        "(it was configured for {:g} ms).\n",
        mock->first, mock->second, o.provider_ttft_ms);
  }
  auto document = salesboost::load::ToJson(report);
  if (mock)
    document.as_object()["provider_measured_ttft_ms"] = json::object{{"p50", mock->first}, {"p99", mock->second}};
  if (!o.json_path.empty()) {
    std::ofstream(o.json_path) << json::serialize(document) << "\n";
  }
  if (!o.markdown_path.empty()) {
    std::ofstream(o.markdown_path) << markdown;
  } else {
    std::cout << markdown;
  }
  return report.TotalErrors() == 0 && report.connected == o.connections ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Drive a running SalesBoost server with many WebSocket trainees and report what it measured"};
  Options o;
  cli.add_option("--host", o.host, "server address")->capture_default_str();
  cli.add_option("--port", o.port, "server port")->required();
  cli.add_option("--user", o.user, "user to log in as")->capture_default_str();
  cli.add_option("--password", o.password, "the user's password");
  cli.add_option("--password-file", o.password_file, "read the password from this file (first line)");
  cli.add_option("--token", o.token, "use this bearer token instead of logging in");
  cli.add_option("--label", o.label, "the scenario's name in the report");
  cli.add_flag("--idle", o.idle, "hold the connections without sessions: memory per connection");
  cli.add_option("-n,--connections", o.connections, "WebSocket connections (trainees)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10'000'000));
  cli.add_option("--connect-concurrency", o.connect_concurrency, "connections being opened at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  cli.add_option("--sources", o.sources,
                 "source addresses, round-robin: 127.0.0.1-127.0.0.8,127.0.0.20 (each address has its own "
                 "ephemeral ports)")
      ->delimiter(',');
  cli.add_option("--rate", o.rates, "total turns per second for each step, comma-separated; 0 is closed loop")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--step-seconds", o.step_seconds, "how long each step lasts")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--step-warmup", o.step_warmup_seconds, "the first seconds of each step are not measured")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--hold", o.hold_seconds, "--idle: how long to hold the connections")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--turns-per-session", o.turns_per_session, "turns before ending the session and starting another")
      ->capture_default_str()
      ->check(CLI::Range(1, 200));
  cli.add_option("--scenario", o.scenario_id, "the training scenario of each session")->capture_default_str();
  cli.add_option("--language", o.language, "the sessions' language")->capture_default_str();
  cli.add_option("--timeout-ms", o.timeout_ms, "for connecting, and for each turn to finish")->capture_default_str();
  cli.add_option("--provider-ttft-ms", o.provider_ttft_ms,
                 "the provider's configured time to first token: report the overhead on it");
  cli.add_option("--mock-port", o.mock_port, "tools/mock-llm's port: report its own measured time to first token");
  cli.add_option("--pid", o.pid, "the server's process id: read its memory and CPU from /proc");
  cli.add_option("--sample-seconds", o.sample_seconds, "how often to read /proc")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_option("--memory-warmup", o.memory_warmup_seconds,
                 "memory growth and slope count from this many seconds into the run")
      ->capture_default_str();
  cli.add_option("--json", o.json_path, "write the report as JSON to this file");
  cli.add_option("--markdown", o.markdown_path, "write the Markdown report to this file instead of stdout");
  cli.add_option(
      "--trace", o.trace_path,
      "write every measured turn to this CSV file: sent_s,trainee,turn_in_session,step,first_delta_ms,done_ms");
  cli.add_option("--threads", o.threads, "client threads (one io_context each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cli.add_option("--seed", o.seed, "seeds each trainee's schedule")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  if (o.rates.empty()) o.rates = {0};
  if (o.step_warmup_seconds >= o.step_seconds) {
    fmt::print(stderr, "salesboost-load: --step-warmup must be shorter than --step-seconds\n");
    return 2;
  }
  try {
    return RunLoad(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "salesboost-load: {}\n", e.what());
    return 2;
  }
}
