// mock-llm: an OpenAI-compatible server for tests and benchmarks.
//
//   POST /v1/chat/completions   streamed (SSE) and not, usage included
//   POST /v1/embeddings         deterministic vectors from text hashing
//   GET  /v1/models
//   POST /_mock/behaviour       change timing, replies and queue faults (JSON, see behaviour.hpp);
//                               ?reset=1 starts from the defaults and zeroes the counters
//   GET  /_mock/stats           counters: chat requests, streams completed or cancelled by the client, ...
//
// A client that closes its connection while a reply streams is noticed at
// once (the connection is read while the reply is written) and counted as
// chat_cancelled. With --tls-cert/--tls-key it speaks HTTPS only.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "behaviour.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using salesboost::mockllm::Behaviour;
using salesboost::mockllm::Fault;
using salesboost::mockllm::State;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response JsonReply(const Request& req, http::status status, const json::value& body) {
  Response res(status, req.version());
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

json::object ErrorBody(std::string_view message, std::string_view type, std::string_view code) {
  return json::object{{"error", json::object{{"message", message}, {"type", type}, {"code", code}}}};
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr std::string_view kMalformedEvent = "data: {\"choices\": [ this is not json\n\n";

std::string Chunk(std::string_view data) { return fmt::format("{:x}\r\n{}\r\n", data.size(), data); }

std::string SseData(const json::value& v) { return "data: " + json::serialize(v) + "\n\n"; }

json::object ChunkObject(std::string_view model, json::object delta, json::value finish) {
  return json::object{
      {"id", "chatcmpl-mock"},
      {"object", "chat.completion.chunk"},
      {"created", Now()},
      {"model", model},
      {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish}}}}};
}

std::int64_t PromptTokens(const json::array& messages) {
  std::size_t chars = 0;
  for (const auto& m : messages) {
    if (m.is_object() && m.as_object().contains("content") && m.at("content").is_string()) {
      chars += m.at("content").as_string().size();
    }
  }
  return static_cast<std::int64_t>(chars / 4 + 1);
}

class Server {
 public:
  Server(State& state, ssl::context* tls) : state_(state), tls_(tls) {}

  asio::awaitable<void> Accept(tcp::acceptor& acceptor) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      const auto executor = socket.get_executor();
      if (tls_ != nullptr) {
        asio::co_spawn(executor, ServeTls(beast::tcp_stream(std::move(socket))), asio::detached);
      } else {
        asio::co_spawn(executor, Serve(beast::tcp_stream(std::move(socket))), asio::detached);
      }
    }
  }

 private:
  asio::awaitable<void> ServeTls(beast::tcp_stream tcp) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), *tls_);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (ec) {
      state_.Count("tls_handshake_failures");
      co_return;
    }
    co_await Serve(std::move(stream));
  }

  template <typename Stream>
  asio::awaitable<void> Serve(Stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      Request req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, kTuple);
      if (ec) co_return;
      state_.Count("requests");
      const bool keep = co_await Handle(stream, buffer, req);
      if (!keep || !req.keep_alive()) break;
    }
    beast::error_code ignored;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    } else {
      co_await stream.async_shutdown(kTuple);
    }
  }

  template <typename Stream>
  asio::awaitable<bool> Send(Stream& stream, Response res) {
    auto [ec, n] = co_await http::async_write(stream, res, kTuple);
    co_return !ec;
  }

  // Returns whether the connection may carry another request.
  template <typename Stream>
  asio::awaitable<bool> Handle(Stream& stream, beast::flat_buffer& buffer, const Request& req) {
    json::value chat;
    auto res = Route(req, chat);
    if (res) co_return co_await Send(stream, std::move(*res));
    co_return co_await Chat(stream, buffer, req, chat);
  }

  // The reply to every request but a valid chat completion, which is left in `chat`.
  std::optional<Response> Route(const Request& req, json::value& chat) {
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    if (path == "/_mock/behaviour" && req.method() == http::verb::post) {
      boost::system::error_code ec;
      auto body = json::parse(req.body(), ec);
      if (ec || !body.is_object()) {
        return JsonReply(req, http::status::bad_request,
                         ErrorBody("body must be a JSON object", "invalid_request_error", "bad_json"));
      }
      auto configured = state_.Configure(body.as_object(), target.find("reset=1") != std::string::npos);
      if (!configured) {
        return JsonReply(req, http::status::bad_request,
                         ErrorBody(configured.error().message, "invalid_request_error", "bad_behaviour"));
      }
      return JsonReply(req, http::status::ok, json::object{{"ok", true}});
    }
    if (path == "/_mock/stats") return JsonReply(req, http::status::ok, state_.Stats());
    if (path == "/v1/models") {
      return JsonReply(
          req, http::status::ok,
          json::object{{"object", "list"}, {"data", json::array{json::object{{"id", "mock"}, {"object", "model"}}}}});
    }
    const Behaviour current = state_.Current();
    if (!current.api_key.empty() && req[http::field::authorization] != "Bearer " + current.api_key) {
      state_.Count("auth_failures");
      return JsonReply(req, http::status::unauthorized,
                       ErrorBody("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
    }
    boost::system::error_code ec;
    auto body = json::parse(req.body(), ec);
    if (req.method() != http::verb::post || ec || !body.is_object()) {
      return JsonReply(req, http::status::bad_request,
                       ErrorBody("expected a POST with a JSON object", "invalid_request_error", "bad_request"));
    }
    if (path == "/v1/embeddings") return Embeddings(req, body.as_object(), current);
    if (path != "/v1/chat/completions") {
      return JsonReply(req, http::status::not_found, ErrorBody("no such route", "invalid_request_error", "404"));
    }
    const auto& object = body.as_object();
    if (!object.contains("messages") || !object.at("messages").is_array()) {
      return JsonReply(req, http::status::bad_request,
                       ErrorBody("messages must be an array", "invalid_request_error", "bad_messages"));
    }
    chat = std::move(body);
    return std::nullopt;
  }

  Response Embeddings(const Request& req, const json::object& body, const Behaviour& behaviour) {
    state_.Count("embedding_requests");
    std::vector<std::string> inputs;
    if (body.contains("input") && body.at("input").is_string()) {
      inputs.emplace_back(body.at("input").as_string());
    } else if (body.contains("input") && body.at("input").is_array()) {
      for (const auto& v : body.at("input").as_array()) {
        if (v.is_string()) inputs.emplace_back(v.as_string());
      }
    }
    if (inputs.empty()) {
      return JsonReply(
          req, http::status::bad_request,
          ErrorBody("input must be a string or an array of strings", "invalid_request_error", "bad_input"));
    }
    int dimensions = behaviour.dimensions;
    if (body.contains("dimensions") && body.at("dimensions").is_int64()) {
      dimensions = static_cast<int>(std::clamp<std::int64_t>(body.at("dimensions").as_int64(), 1, 8192));
    }
    state_.Count("embedding_inputs", static_cast<std::int64_t>(inputs.size()));
    json::array data;
    std::int64_t tokens = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      json::array vector;
      for (float x : salesboost::mockllm::HashEmbedding(inputs[i], dimensions)) vector.push_back(x);
      tokens += static_cast<std::int64_t>(salesboost::mockllm::SplitTokens(inputs[i]).size());
      data.push_back(json::object{
          {"object", "embedding"}, {"index", static_cast<std::int64_t>(i)}, {"embedding", std::move(vector)}});
    }
    return JsonReply(req, http::status::ok,
                     json::object{{"object", "list"},
                                  {"data", std::move(data)},
                                  {"model", body.contains("model") ? body.at("model") : json::value("mock")},
                                  {"usage", json::object{{"prompt_tokens", tokens}, {"total_tokens", tokens}}}});
  }

  // The reply for a request planned to fail before streaming, if it is.
  static std::optional<Response> Failure(const Request& req, const State::Plan& plan) {
    if (plan.random_error || (plan.fault && plan.fault->kind == Fault::Kind::kStatus)) {
      const int status = plan.random_error ? 500 : plan.fault->status;
      const std::string message = plan.fault ? plan.fault->message : "injected random failure";
      return JsonReply(req, static_cast<http::status>(status),
                       ErrorBody(message, "server_error", std::to_string(status)));
    }
    if (plan.fault && plan.fault->kind == Fault::Kind::kRateLimit) {
      auto res = JsonReply(req, http::status::too_many_requests,
                           ErrorBody("Rate limit reached", "rate_limit_error", "rate_limit_exceeded"));
      res.set(http::field::retry_after, std::to_string(plan.fault->retry_after_s));
      return res;
    }
    return std::nullopt;
  }

  static Response Completion(const Request& req, const std::string& model, const std::string& reply,
                             const json::object& usage) {
    return JsonReply(
        req, http::status::ok,
        json::object{
            {"id", "chatcmpl-mock"},
            {"object", "chat.completion"},
            {"created", Now()},
            {"model", model},
            {"choices", json::array{json::object{{"index", 0},
                                                 {"message", json::object{{"role", "assistant"}, {"content", reply}}},
                                                 {"finish_reason", "stop"}}}},
            {"usage", usage}});
  }

  template <typename Stream>
  asio::awaitable<bool> Chat(Stream& stream, beast::flat_buffer& buffer, const Request& req, const json::value& body) {
    state_.Count("chat_requests");
    auto plan = state_.NextChat(body);
    const auto& object = body.as_object();
    const auto& messages = object.at("messages").as_array();
    const std::string model = object.contains("model") && object.at("model").is_string()
                                  ? std::string(object.at("model").as_string())
                                  : std::string("mock");
    const bool streamed = object.contains("stream") && object.at("stream") == true;
    const bool include_usage = object.contains("stream_options") && object.at("stream_options").is_object() &&
                               object.at("stream_options").as_object().contains("include_usage") &&
                               object.at("stream_options").at("include_usage") == true;
    if (plan.fault) state_.Count("faults_served");
    if (auto failure = Failure(req, plan)) co_return co_await Send(stream, std::move(*failure));
    const std::string reply = salesboost::mockllm::ChooseReply(plan.behaviour, messages);
    const auto tokens = salesboost::mockllm::SplitTokens(reply);
    const int ttft =
        plan.fault && plan.fault->kind == Fault::Kind::kSlow ? plan.fault->ttft_ms : plan.behaviour.ttft_ms;
    const auto gap = plan.behaviour.tokens_per_second > 0
                         ? std::chrono::microseconds(static_cast<std::int64_t>(1e6 / plan.behaviour.tokens_per_second))
                         : std::chrono::microseconds(0);
    const json::object usage{{"prompt_tokens", PromptTokens(messages)},
                             {"completion_tokens", static_cast<std::int64_t>(tokens.size())},
                             {"total_tokens", PromptTokens(messages) + static_cast<std::int64_t>(tokens.size())}};
    asio::steady_timer timer(co_await asio::this_coro::executor);
    if (!streamed) {
      timer.expires_after(std::chrono::milliseconds(ttft) + gap * static_cast<std::int64_t>(tokens.size()));
      co_await timer.async_wait(kTuple);
      state_.Count("chat_completed");
      auto res = Completion(req, model, reply, usage);
      co_return co_await Send(stream, std::move(res));
    }
    state_.Count("chat_streamed");
    const auto received = std::chrono::steady_clock::now();
    state_.Count("active_streams");
    auto body_task = StreamReply(stream, req, timer, plan, model, tokens, ttft, gap, include_usage, usage, received);
    bool keep = false;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      auto watch = WatchClose(stream, buffer);
      auto race = std::move(body_task) || std::move(watch);
      auto result = co_await std::move(race);
      if (result.index() == 1) {
        state_.Count("chat_cancelled");
      } else {
        keep = std::get<0>(result);
      }
    } else {
      keep = co_await std::move(body_task);
    }
    state_.Count("active_streams", -1);
    co_return keep;
  }

  // Completes only when the client closes the connection (or an error).
  static asio::awaitable<void> WatchClose(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
    for (;;) {
      auto [ec, n] = co_await stream.socket().async_read_some(buffer.prepare(4096), kTuple);
      if (ec) co_return;
      buffer.commit(n);  // a pipelined request: kept for the next read
    }
  }

  template <typename Stream>
  asio::awaitable<bool> StreamReply(Stream& stream, const Request& req, asio::steady_timer& timer,
                                    const State::Plan& plan, const std::string& model,
                                    const std::vector<std::string>& tokens, int ttft, std::chrono::microseconds gap,
                                    bool include_usage, const json::object& usage,
                                    std::chrono::steady_clock::time_point received) {
    auto write = [&stream](std::string data) -> asio::awaitable<bool> {
      auto [ec, n] = co_await asio::async_write(stream, asio::buffer(data), kTuple);
      co_return !ec;
    };
    std::string head = fmt::format(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\nConnection: {}\r\n\r\n",
        req.keep_alive() ? "keep-alive" : "close");
    if (!co_await write(std::move(head))) co_return false;
    timer.expires_after(std::chrono::milliseconds(ttft));
    co_await timer.async_wait(kTuple);
    std::string role =
        Chunk(SseData(ChunkObject(model, json::object{{"role", "assistant"}, {"content", ""}}, nullptr)));
    if (!co_await write(std::move(role))) co_return false;
    const Fault* fault = plan.fault ? &*plan.fault : nullptr;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (fault != nullptr && static_cast<int>(i) == fault->after_tokens) {
        switch (fault->kind) {
          case Fault::Kind::kStall:
            timer.expires_after(std::chrono::milliseconds(fault->stall_ms));
            co_await timer.async_wait(kTuple);
            break;
          case Fault::Kind::kMalformed: {
            std::string bad = Chunk(kMalformedEvent);
            co_await write(std::move(bad));
            co_return false;
          }
          case Fault::Kind::kDisconnect:
            co_return false;
          case Fault::Kind::kErrorEvent: {
            std::string error = Chunk(SseData(ErrorBody(fault->message, "server_error", "overloaded")));
            co_await write(std::move(error));
            co_return false;
          }
          default:
            break;
        }
      }
      if (i > 0 && gap.count() > 0) {
        timer.expires_after(gap);
        co_await timer.async_wait(kTuple);
      }
      std::string token = Chunk(SseData(ChunkObject(model, json::object{{"content", tokens[i]}}, nullptr)));
      if (!co_await write(std::move(token))) co_return false;
      if (i == 0) {
        state_.RecordFirstToken(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - received).count());
      }
    }
    std::string tail = Chunk(SseData(ChunkObject(model, json::object{}, "stop")));
    if (include_usage) {
      auto usage_chunk = ChunkObject(model, json::object{}, nullptr);
      usage_chunk["choices"] = json::array{};
      usage_chunk["usage"] = usage;
      tail += Chunk(SseData(usage_chunk));
    }
    tail += Chunk("data: [DONE]\n\n");
    tail += "0\r\n\r\n";
    if (!co_await write(std::move(tail))) co_return false;
    state_.Count("chat_completed");
    co_return req.keep_alive();
  }

  State& state_;
  ssl::context* tls_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mock-llm: an OpenAI-compatible server with failure injection, for tests and benchmarks"};
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string port_file;
  int threads = 1;
  std::string tls_cert;
  std::string tls_key;
  std::string behaviour_json = "{}";
  app.add_option("--host", host, "address to listen on");
  app.add_option("--port", port, "port to listen on; 0 picks a free one");
  app.add_option("--port-file", port_file, "write the port here once listening");
  app.add_option("--threads", threads, "I/O threads")->check(CLI::Range(1, 64));
  app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS");
  app.add_option("--tls-key", tls_key, "PEM private key for --tls-cert");
  app.add_option("--behaviour", behaviour_json, "initial behaviour as JSON (see POST /_mock/behaviour)");
  CLI11_PARSE(app, argc, argv);

  boost::system::error_code ec;
  auto initial = json::parse(behaviour_json, ec);
  if (ec || !initial.is_object()) {
    std::cerr << "mock-llm: --behaviour must be a JSON object\n";
    return 2;
  }
  State state{Behaviour{}};
  if (auto configured = state.Configure(initial.as_object(), true); !configured) {
    std::cerr << "mock-llm: " << configured.error().message << "\n";
    return 2;
  }
  std::unique_ptr<ssl::context> tls;
  if (!tls_cert.empty()) {
    tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    tls->use_certificate_chain_file(tls_cert, ec);
    if (!ec) tls->use_private_key_file(tls_key, ssl::context::pem, ec);
    if (ec) {
      std::cerr << "mock-llm: cannot load the TLS certificate or key: " << ec.message() << "\n";
      return 2;
    }
  }
  asio::io_context io(threads);
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
  if (ec) {
    std::cerr << "mock-llm: bad --host\n";
    return 2;
  }
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint, ec);
  if (ec) {
    std::cerr << "mock-llm: cannot listen on " << host << ":" << port << ": " << ec.message() << "\n";
    return 1;
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  const auto bound = acceptor.local_endpoint().port();
  std::cout << "mock-llm listening on " << host << ":" << bound << (tls ? " (TLS)" : "") << std::endl;
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << bound << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  Server server(state, tls.get());
  asio::co_spawn(io, server.Accept(acceptor), asio::detached);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
