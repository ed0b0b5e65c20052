// Holds N authenticated, idle WebSocket connections to a running server and
// reports the server's resident memory per connection, read from
// /proc/<pid>/status before and after (VmRSS). The server runs elsewhere
// (bench/ws_idle.sh starts it); this process only opens sockets.
//
//   bench_ws_idle_connections --port P --pid PID --token T --connections N

#include <fmt/format.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

namespace {

long VmRssKib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Hold idle authenticated WebSocket connections and report server memory per connection"};
  std::uint16_t port = 0;
  int pid = 0;
  std::string token;
  int connections = 1000;
  cli.add_option("--port", port, "server port")->required();
  cli.add_option("--pid", pid, "server process id")->required();
  cli.add_option("--token", token, "login token")->required();
  cli.add_option("--connections", connections, "connections to hold");
  CLI11_PARSE(cli, argc, argv);

  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  // All sockets share one io_context: one descriptor per connection.
  namespace asio = boost::asio;
  namespace websocket = boost::beast::websocket;
  using Socket = websocket::stream<asio::ip::tcp::socket>;
  asio::io_context io;
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  const std::string target = "/ws?access_token=" + token;
  const std::string host = "127.0.0.1:" + std::to_string(port);
  const long before = VmRssKib(pid);
  std::vector<std::unique_ptr<Socket>> held;
  held.reserve(static_cast<std::size_t>(connections));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < connections; ++i) {
    auto ws = std::make_unique<Socket>(io);
    boost::system::error_code ec;
    ws->next_layer().connect(endpoint, ec);
    if (!ec) ws->handshake(host, target, ec);
    if (ec) {
      fmt::print(stderr, "connection {} failed: {}\n", i, ec.message());
      return 1;
    }
    held.push_back(std::move(ws));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the server settle
  const long after = VmRssKib(pid);
  const double per_connection = static_cast<double>(after - before) / connections;
  fmt::print("| {} | {:.0f} | {} | {} | {:.2f} |\n", connections, connections / seconds, before, after, per_connection);
  return 0;
}
