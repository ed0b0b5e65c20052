// One round trip through RedisClient (hiredis on an Asio strand, the reply
// handed back to the awaiting coroutine) against redis-benchmark's PING in the
// same run: the bench starts its own redis-server on a free loopback port.
//
//   build/release/bench/bench_redis [--benchmark_filter=...]
//
// Counters: redis_benchmark_rtt_us is redis-benchmark's mean latency for
// `-t ping_mbulk -c 1 -n 20000` (one client, no pipelining), so it compares
// with BM_PingRoundTrip's time per iteration.

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "core/logging.hpp"
#include "core/metrics.hpp"
#include "core/system_clock.hpp"
#include "infra/redis/redis_client.hpp"

namespace {

namespace asio = boost::asio;
using namespace salesboost;

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string Shell(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
    pclose(pipe);
  }
  return out;
}

// A redis-server of one benchmark, and one client on one I/O thread.
struct Environment {
  Environment()
      : port(FreePort()), dir(std::filesystem::temp_directory_path() / ("sb-redis-bench-" + std::to_string(port))) {
    std::filesystem::create_directories(dir);
    pid = fork();
    if (pid == 0) {
      const int null = open("/dev/null", O_RDWR);
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      const std::string port_text = std::to_string(port);
      execlp("redis-server", "redis-server", "--port", port_text.c_str(), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", dir.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (Shell("redis-cli -p " + std::to_string(port) + " ping 2>/dev/null").starts_with("PONG")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    infra::RedisOptions options;
    options.url = "redis://127.0.0.1:" + std::to_string(port) + "/0";
    options.instance_id = "bench";
    options.pool_size = 1;
    client = std::make_unique<infra::RedisClient>(io.get_executor(), options, metrics, clock,
                                                  core::Logger::Stdout(core::LogLevel::kOff));
    thread = std::thread([this] { io.run(); });
  }
  ~Environment() {
    client.reset();
    guard.reset();
    thread.join();
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  // redis-benchmark's mean latency in microseconds, one client, no pipelining.
  double RedisBenchmarkMeanMicros(int requests) const {
    const auto csv = Shell("redis-benchmark -p " + std::to_string(port) + " -t ping -c 1 -n " +
                           std::to_string(requests) + " --csv 2>/dev/null");
    // "test","rps","avg_latency_ms",...: the PING_MBULK line's third field.
    const auto line = csv.find("\"PING_MBULK\"");
    if (line == std::string::npos) return 0;
    std::vector<std::string> fields;
    std::string field;
    for (std::size_t i = line; i < csv.size() && csv[i] != '\n'; ++i) {
      if (csv[i] == ',') {
        fields.push_back(field);
        field.clear();
      } else if (csv[i] != '"') {
        field += csv[i];
      }
    }
    fields.push_back(field);
    return fields.size() > 2 ? std::stod(fields[2]) * 1000 : 0;
  }

  int port;
  std::filesystem::path dir;
  pid_t pid = -1;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  core::MetricsRegistry metrics;
  core::SystemClock clock;
  std::unique_ptr<infra::RedisClient> client;
  std::thread thread;
};

asio::awaitable<int> Pings(infra::RedisClient* client, int count) {
  int ok = 0;
  for (int i = 0; i < count; ++i) {
    std::vector<std::string> ping{"PING"};
    auto reply = co_await client->Command(std::move(ping));
    ok += reply ? 1 : 0;
  }
  co_return ok;
}

// Sequential round trips: each PING waits for the previous reply.
void BM_PingRoundTrip(benchmark::State& state) {
  Environment env;
  constexpr int kBatch = 1000;
  for (auto _ : state) {
    state.PauseTiming();
    auto work = Pings(env.client.get(), kBatch);
    state.ResumeTiming();
    const int ok = asio::co_spawn(env.io, std::move(work), asio::use_future).get();
    if (ok != kBatch) state.SkipWithError("a PING failed");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  // Seconds per round trip (printed with an SI prefix, e.g. 25u).
  state.counters["round_trip"] =
      benchmark::Counter(kBatch, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["redis_benchmark_rtt_us"] = env.RedisBenchmarkMeanMicros(20000);
}
BENCHMARK(BM_PingRoundTrip)->Unit(benchmark::kMillisecond)->UseRealTime();

// 32 coroutines at once on one connection: the pipelined throughput.
void BM_PingPipelined32(benchmark::State& state) {
  Environment env;
  constexpr int kPerCoroutine = 100;
  for (auto _ : state) {
    std::vector<std::future<int>> done;
    done.reserve(32);
    for (int i = 0; i < 32; ++i) {
      done.push_back(asio::co_spawn(env.io, Pings(env.client.get(), kPerCoroutine), asio::use_future));
    }
    int ok = 0;
    for (auto& future : done) ok += future.get();
    if (ok != 32 * kPerCoroutine) state.SkipWithError("a PING failed");
  }
  state.SetItemsProcessed(state.iterations() * 32 * kPerCoroutine);
}
BENCHMARK(BM_PingPipelined32)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
