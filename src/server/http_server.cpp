#include "server/http_server.hpp"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <variant>

#include <sys/resource.h>

#include "build_info.hpp"
#include "server/internal/beast_glue.hpp"
#include "server/internal/request_reader.hpp"
#include "server/internal/server_context.hpp"

namespace salesboost::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using internal::BeastRequest;
using internal::RequestRecord;
using internal::ServerContext;
using std::chrono::milliseconds;
using RequestParser = http::request_parser<http::string_body>;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr auto kLingerTime = std::chrono::seconds(1);

std::string ServerHeader() { return std::string("salesboost/") + build_info::kVersion; }

core::Result<HttpRequest> FromBeast(const BeastRequest& req, std::string remote) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (!parsed) return core::Fail(core::ErrorCode::kInvalidArgument, "malformed request target");
  out.path = parsed->path();
  out.query = std::string(parsed->encoded_query());
  out.headers.reserve(static_cast<std::size_t>(std::distance(req.begin(), req.end())));
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = req.body();
  out.remote_address = std::move(remote);
  return out;
}

// The limits a request's headers are read with: the header limit, and the
// largest body limit of any route until the headers tell the route (a
// Content-Length over it fails the header read). Returns that body limit.
std::int64_t LimitBeforeRoute(RequestParser& parser, const ServerOptions& options, const Router& router) {
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit_bytes));
  const std::int64_t largest_limit = std::max(options.body_limit_bytes, router.LargestBodyLimit());
  parser.body_limit(static_cast<std::uint64_t>(largest_limit));
  return largest_limit;
}

// Once the headers are read: the route's body limit, returned.
std::int64_t LimitForRoute(RequestParser& parser, const ServerOptions& options, const Router& router) {
  const auto& header = parser.get();
  const std::int64_t body_limit = router.BodyLimit(header.method_string(), header.target(), options.body_limit_bytes);
  parser.body_limit(static_cast<std::uint64_t>(body_limit));
  return body_limit;
}

bool DeclaresLargerBody(const RequestParser& parser, std::int64_t body_limit) {
  return parser.content_length() && *parser.content_length() > static_cast<std::uint64_t>(body_limit);
}

// Feeds `rest` to the parser until `done` says so; consumed bytes leave `rest`.
template <typename Done>
core::Result<void> Feed(RequestParser& parser, asio::const_buffer& rest, Done done) {
  while (!done()) {
    beast::error_code ec;
    const std::size_t n = parser.put(rest, ec);
    rest += n;
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      return core::Fail(core::ErrorCode::kResourceExhausted, "request exceeds a size limit: " + ec.message());
    }
    if ((ec == http::error::need_more && n == 0) || (!ec && n == 0 && !done())) {
      return core::Fail(core::ErrorCode::kInvalidArgument, "incomplete HTTP request");
    }
    if (ec && ec != http::error::need_more) {
      return core::Fail(core::ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message());
    }
  }
  return {};
}

// One HTTP/1.1 connection: reads requests one after another (keep-alive),
// dispatches them and writes responses; hands off on a WebSocket upgrade.
class HttpConnection final : public internal::Connection, public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(std::shared_ptr<ServerContext> ctx, tcp::socket socket, internal::ConnectionQuota::Ticket ticket)
      : Connection(ctx->live, std::move(ticket)), ctx_(std::move(ctx)), stream_(std::move(socket)) {}

  // `self` keeps the connection alive for the coroutine's whole life.
  static asio::awaitable<void> Run(std::shared_ptr<HttpConnection> self) { co_await self->Serve(); }

  void Shutdown() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.cancel();
    });
  }

  void ForceClose() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->stream_.socket().close(ec);
    });
  }

 private:
  asio::awaitable<void> Serve();
  class StreamWriter;
  asio::awaitable<bool> Write(const HttpResponse& response, unsigned version, bool keep_alive,
                              const RequestRecord& record);
  // Sends the head, then what the response's producer writes, as it writes it.
  asio::awaitable<bool> WriteStream(const HttpResponse& response, unsigned version, bool keep_alive,
                                    const RequestRecord& record);
  asio::awaitable<void> Reject(int status, std::string_view code, std::string message, std::string_view method,
                               std::string_view path, std::chrono::steady_clock::time_point start);
  // Answers a request refused before its body was read, then closes.
  asio::awaitable<void> Refuse(const HttpResponse& response, const HttpRequest& request,
                               std::chrono::steady_clock::time_point start);
  // Reads the body; a body not complete within body_timeout_ms gets 408 (the
  // socket stays open for the answer). False when the connection must end.
  asio::awaitable<bool> ReadBody(beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
                                 std::int64_t body_limit, std::chrono::steady_clock::time_point start);
  asio::awaitable<void> Linger();
  void Unregister();

  std::shared_ptr<ServerContext> ctx_;
  beast::tcp_stream stream_;
  std::string remote_ip_;  // the peer's address, for request handlers
  std::string remote_;     // address:port, for the access log
  std::uint64_t registry_id_ = 0;
  bool registered_ = false;
  bool idle_ = false;  // waiting for the next request; touched only on the strand
};

void HttpConnection::Unregister() {
  if (!registered_) return;
  registered_ = false;
  ctx_->connections.Remove(registry_id_);
  ctx_->metrics.http_open.Dec();
}

asio::awaitable<void> HttpConnection::Serve() {
  const auto& opt = ctx_->options;
  registry_id_ = ctx_->connections.Add(weak_from_this());
  registered_ = true;
  ctx_->metrics.http_open.Inc();
  {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    remote_ip_ = ec ? std::string("unknown") : endpoint.address().to_string();
    remote_ = ec ? remote_ip_ : fmt::format("{}:{}", remote_ip_, endpoint.port());
  }

  beast::flat_buffer buffer;
  // A new connection's first request headers are due header_timeout_ms after
  // accept: a silent connection does not get the keep-alive idle time.
  bool fresh = true;
  stream_.expires_after(milliseconds(opt.header_timeout_ms));
  for (;;) {
    if (buffer.size() == 0) {
      if (ctx_->draining) break;
      idle_ = true;
      if (!fresh) stream_.expires_after(milliseconds(opt.idle_timeout_ms));
      auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(kReadChunk), kTuple);
      idle_ = false;
      if (ec) break;  // peer closed, idle timeout, or shutdown
      buffer.commit(n);
    }
    const auto start = std::chrono::steady_clock::now();
    RequestParser parser;
    const std::int64_t largest_limit = LimitBeforeRoute(parser, opt, ctx_->deps.router);
    if (!fresh) stream_.expires_after(milliseconds(opt.header_timeout_ms));
    fresh = false;
    auto [hec, hn] = co_await http::async_read_header(stream_, buffer, parser, kTuple);
    if (hec) {
      if (hec == http::error::header_limit) {
        co_await Reject(431, "header_too_large",
                        "request headers exceed " + std::to_string(opt.header_limit_bytes) + " bytes", "", "", start);
      } else if (hec == http::error::body_limit) {
        co_await Reject(413, "payload_too_large", "request body exceeds " + std::to_string(largest_limit) + " bytes",
                        parser.get().method_string(), parser.get().target(), start);
      } else if (hec != beast::error::timeout && hec != http::error::end_of_stream && hec != asio::error::eof &&
                 hec != asio::error::operation_aborted && hec != asio::error::connection_reset) {
        co_await Reject(400, "bad_request", "malformed HTTP request: " + hec.message(), "", "", start);
      }
      break;
    }

    auto& header = parser.get();
    if (beast::websocket::is_upgrade(header) && header.target().starts_with(kWebSocketPath) &&
        ctx_->deps.websocket != nullptr) {
      auto upgrade = parser.release();
      auto request = FromBeast(upgrade, remote_ip_);
      if (request && request->path == kWebSocketPath) {
        request->request_id = internal::ChooseRequestId(request->Header("x-request-id").value_or(""), ctx_->deps.ids);
        Unregister();
        // Handed over, not awaited: this connection's frames (buffers, parser) end
        // here instead of living as long as the WebSocket session.
        internal::StartWebSocket(ctx_, std::move(stream_), std::move(upgrade), std::move(*request), start,
                                 TakeTicket());
        co_return;
      }
      co_await Reject(404, "not_found", "no WebSocket endpoint at this path", upgrade.method_string(), "", start);
      break;
    }

    const std::int64_t body_limit = LimitForRoute(parser, opt, ctx_->deps.router);
    if (DeclaresLargerBody(parser, body_limit)) {
      co_await Reject(413, "payload_too_large", "request body exceeds " + std::to_string(body_limit) + " bytes",
                      header.method_string(), header.target(), start);
      break;
    }
    if (const HeaderCheck* admit = ctx_->deps.router.Admission(header.method_string(), header.target())) {
      if (auto head = FromBeast(header, remote_ip_)) {
        head->request_id = internal::ChooseRequestId(head->Header("x-request-id").value_or(""), ctx_->deps.ids);
        if (auto refusal = (*admit)(*head)) {
          co_await Refuse(*refusal, *head, start);
          break;
        }
      }
    }
    if (!parser.is_done()) {
      if (beast::iequals(header[http::field::expect], "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream_.expires_after(milliseconds(opt.body_timeout_ms));
        auto [cec, cn] = co_await asio::async_write(stream_, asio::buffer(kContinue), kTuple);
        if (cec) break;
      }
      if (!co_await ReadBody(buffer, parser, body_limit, start)) break;
    }

    auto beast_request = parser.release();
    const bool client_keep_alive = beast_request.keep_alive();
    const unsigned version = beast_request.version();
    auto request = FromBeast(beast_request, remote_ip_);
    if (!request) {
      co_await Reject(400, "bad_request", request.error().message, beast_request.method_string(), "", start);
      break;
    }
    request->request_id = internal::ChooseRequestId(request->Header("x-request-id").value_or(""), ctx_->deps.ids);
    const std::size_t bytes_in = request->body.size();
    std::string route = "unmatched";
    HttpResponse response;
    if (auto found = ctx_->deps.router.Find(request->method, request->path);
        auto* match = std::get_if<Router::Match>(&found)) {
      route = match->route;
      request->path_params = std::move(match->params);
      const Handler& handler = *match->handler;
      try {
        response = co_await handler(*request);
      } catch (const std::exception& e) {
        ctx_->deps.logger.Error("handler_exception",
                                {{"request_id", request->request_id}, {"route", route}, {"error", e.what()}});
        response = ErrorResponse(core::Error{core::ErrorCode::kInternal, e.what()}, request->request_id);
      }
    } else if (auto* not_allowed = std::get_if<Router::MethodNotAllowed>(&found)) {
      response = ErrorResponse(405, "method_not_allowed", request->method + " is not allowed on " + request->path,
                               request->request_id);
      std::string allow;
      for (const auto& m : not_allowed->allowed) allow += (allow.empty() ? "" : ", ") + m;
      response.headers.emplace_back("Allow", allow);
    } else if (request->path == kWebSocketPath) {
      response = ErrorResponse(426, "upgrade_required", "/ws accepts WebSocket upgrades only", request->request_id);
      response.headers.emplace_back("Upgrade", "websocket");
    } else {
      response =
          ErrorResponse(404, "not_found", "no route for " + request->method + " " + request->path, request->request_id);
    }

    const bool keep_alive = client_keep_alive && !ctx_->draining;
    const RequestRecord record{.method = request->method,
                               .path = request->path,
                               .route = route,
                               .status = response.status,
                               .request_id = request->request_id,
                               .remote = remote_,
                               .start = start,
                               .bytes_in = bytes_in,
                               .bytes_out = response.body.size()};
    if (!co_await Write(response, version, keep_alive, record) || !keep_alive) break;
  }
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  Unregister();
}

asio::awaitable<bool> HttpConnection::Write(const HttpResponse& response, unsigned version, bool keep_alive,
                                            const RequestRecord& record) {
  if (response.stream) co_return co_await WriteStream(response, version, keep_alive, record);
  auto res = internal::ToBeast(response, version, keep_alive, record.request_id);
  stream_.expires_after(milliseconds(ctx_->options.body_timeout_ms));
  auto [ec, n] = co_await http::async_write(stream_, res, kTuple);
  internal::RecordRequest(*ctx_, record);
  co_return !ec;
}

// Pieces of a streamed body, each sent when written: a chunk on HTTP/1.1, raw
// bytes on HTTP/1.0 (whose response then ends with the connection).
class HttpConnection::StreamWriter final : public BodyWriter {
 public:
  StreamWriter(beast::tcp_stream& stream, milliseconds timeout, bool chunked)
      : stream_(stream), timeout_(timeout), chunked_(chunked) {}

  asio::awaitable<bool> Write(std::string data) override {
    if (failed_) co_return false;
    if (data.empty()) co_return true;  // an empty chunk would end the body
    stream_.expires_after(timeout_);
    beast::error_code ec;
    if (chunked_) {
      std::tie(ec, std::ignore) = co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)), kTuple);
    } else {
      std::tie(ec, std::ignore) = co_await asio::async_write(stream_, asio::buffer(data), kTuple);
    }
    failed_ = static_cast<bool>(ec);
    bytes_ += failed_ ? 0 : data.size();
    co_return !failed_;
  }

  asio::awaitable<bool> Finish() {
    if (failed_ || !chunked_) co_return !failed_;
    stream_.expires_after(timeout_);
    auto [ec, n] = co_await asio::async_write(stream_, http::make_chunk_last(), kTuple);
    co_return !ec;
  }

  std::size_t Bytes() const { return bytes_; }

 private:
  beast::tcp_stream& stream_;
  milliseconds timeout_;
  bool chunked_;
  bool failed_ = false;
  std::size_t bytes_ = 0;
};

asio::awaitable<bool> HttpConnection::WriteStream(const HttpResponse& response, unsigned version, bool keep_alive,
                                                  const RequestRecord& record) {
  const bool chunked = version >= 11;
  http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
  head.set(http::field::server, ServerHeader());
  head.set(http::field::content_type, response.content_type);
  head.set("X-Request-Id", record.request_id);
  for (const auto& [name, value] : response.headers) head.set(name, value);
  head.keep_alive(keep_alive && chunked);
  if (chunked) head.chunked(true);
  http::response_serializer<http::empty_body> serializer{head};
  const milliseconds timeout(ctx_->options.body_timeout_ms);
  stream_.expires_after(timeout);
  auto [ec, n] = co_await http::async_write_header(stream_, serializer, kTuple);
  StreamWriter writer(stream_, timeout, chunked);
  bool ok = !ec;
  if (ok) {
    co_await response.stream(writer);
    ok = co_await writer.Finish();
  }
  stream_.expires_never();
  RequestRecord streamed = record;
  streamed.bytes_out = writer.Bytes();
  internal::RecordRequest(*ctx_, streamed);
  co_return ok&& chunked;
}

asio::awaitable<void> HttpConnection::Reject(int status, std::string_view code, std::string message,
                                             std::string_view method, std::string_view path,
                                             std::chrono::steady_clock::time_point start) {
  const std::string request_id = ctx_->deps.ids.Next();
  const auto response = ErrorResponse(status, code, message, request_id);
  const RequestRecord record{.method = method,
                             .path = path,
                             .route = "invalid",
                             .status = status,
                             .request_id = request_id,
                             .remote = remote_,
                             .start = start,
                             .bytes_in = 0,
                             .bytes_out = response.body.size()};
  if (co_await Write(response, 11, false, record)) co_await Linger();
}

asio::awaitable<bool> HttpConnection::ReadBody(beast::flat_buffer& buffer,
                                               http::request_parser<http::string_body>& parser, std::int64_t body_limit,
                                               std::chrono::steady_clock::time_point start) {
  // Not the stream's own timer: on expiry it closes the socket, and the 408 could never be sent.
  stream_.expires_never();
  auto late = std::make_shared<bool>(false);
  asio::steady_timer deadline(stream_.get_executor(), milliseconds(ctx_->options.body_timeout_ms));
  deadline.async_wait([self = shared_from_this(), late](beast::error_code ec) {
    if (ec) return;
    *late = true;
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  });
  auto [ec, n] = co_await http::async_read(stream_, buffer, parser, kTuple);
  deadline.cancel();
  if (!ec) co_return true;
  const std::string method(parser.get().method_string());
  if (*late) {
    co_await Reject(408, "request_timeout",
                    "request body not received within " + std::to_string(ctx_->options.body_timeout_ms) + " ms", method,
                    "", start);
  } else if (ec == http::error::body_limit) {
    co_await Reject(413, "payload_too_large", "request body exceeds " + std::to_string(body_limit) + " bytes", method,
                    "", start);
  } else if (ec != http::error::end_of_stream && ec != asio::error::eof && ec != asio::error::operation_aborted &&
             ec != asio::error::connection_reset) {
    co_await Reject(400, "bad_request", "malformed HTTP request body: " + ec.message(), method, "", start);
  }
  co_return false;
}

asio::awaitable<void> HttpConnection::Refuse(const HttpResponse& response, const HttpRequest& request,
                                             std::chrono::steady_clock::time_point start) {
  const RequestRecord record{.method = request.method,
                             .path = request.path,
                             .route = "refused",
                             .status = response.status,
                             .request_id = request.request_id,
                             .remote = remote_,
                             .start = start,
                             .bytes_in = 0,
                             .bytes_out = response.body.size()};
  if (co_await Write(response, 11, false, record)) co_await Linger();
}

// After an error response sent while the client may still be sending, stop
// writing and drain its bytes for a moment, so the kernel does not reset the
// connection and destroy the response before the client reads it.
asio::awaitable<void> HttpConnection::Linger() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLingerTime);
  std::array<char, kReadChunk> sink{};
  std::size_t drained = 0;
  while (drained < kLingerBytes) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += n;
  }
}

}  // namespace

namespace internal {

core::Result<HttpRequest> ParseRequest(std::string_view bytes, const ServerOptions& options, const Router& router,
                                       std::string remote_address) {
  RequestParser parser;
  LimitBeforeRoute(parser, options, router);
  parser.eager(false);  // the headers first, as http::async_read_header reads them
  asio::const_buffer rest(bytes.data(), bytes.size());
  if (auto read = Feed(parser, rest, [&] { return parser.is_header_done(); }); !read) return core::Fail(read.error());
  const std::int64_t body_limit = LimitForRoute(parser, options, router);
  if (DeclaresLargerBody(parser, body_limit)) {
    return core::Fail(core::ErrorCode::kResourceExhausted,
                      "request body exceeds " + std::to_string(body_limit) + " bytes");
  }
  parser.eager(true);
  if (auto read = Feed(parser, rest, [&] { return parser.is_done(); }); !read) return core::Fail(read.error());
  return FromBeast(parser.release(), std::move(remote_address));
}

BeastResponse ToBeast(const HttpResponse& response, unsigned version, bool keep_alive, std::string_view request_id) {
  BeastResponse res{static_cast<http::status>(response.status), version};
  res.set(http::field::server, ServerHeader());
  res.set(http::field::content_type, response.content_type);
  res.set("X-Request-Id", request_id);
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.body() = response.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace internal

struct HttpServer::Impl : internal::ServerContext, std::enable_shared_from_this<Impl> {
  Impl(core::IoContextPool& io_pool, ServerOptions o, HttpServerDeps d)
      : ServerContext(std::move(o), std::move(d)), pool(io_pool), acceptor(asio::make_strand(io_pool.At(0))) {}

  asio::awaitable<void> Accept();
  // Answers 503 without reading and closes: a cap is reached. Never blocks.
  template <typename Socket>
  void RefuseConnection(Socket& socket, internal::ConnectionQuota::Refusal refusal);

  core::IoContextPool& pool;
  tcp::acceptor acceptor;
  std::atomic<std::int64_t> last_refusal_log{0};  // steady_clock ticks
};

asio::awaitable<void> HttpServer::Impl::Accept() {
  auto self = shared_from_this();
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    // A strand keeps handlers serialised even if a context is ever run by several threads.
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(pool.Next()), kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or similar: log, back off briefly, keep serving.
      deps.logger.Warn("accept_failed", {{"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    beast::error_code peer_ec;
    const auto peer = socket.remote_endpoint(peer_ec);
    auto admitted = quota.Admit(peer_ec ? std::string("unknown") : peer.address().to_string());
    if (const auto* refusal = std::get_if<internal::ConnectionQuota::Refusal>(&admitted)) {
      RefuseConnection(socket, *refusal);
      continue;
    }
    beast::error_code nodelay_ec;
    socket.set_option(tcp::no_delay(true), nodelay_ec);
    auto strand = socket.get_executor();
    auto connection = std::make_shared<HttpConnection>(
        self, std::move(socket), std::move(std::get<internal::ConnectionQuota::Ticket>(admitted)));
    asio::co_spawn(strand, HttpConnection::Run(std::move(connection)), asio::detached);
  }
}

template <typename Socket>
void HttpServer::Impl::RefuseConnection(Socket& socket, internal::ConnectionQuota::Refusal refusal) {
  const bool total = refusal == internal::ConnectionQuota::Refusal::kTotal;
  metrics.refused.With({total ? "total" : "address"}).Inc();
  const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  // One log line per second at most: a flood must not flood the log too.
  if (auto last = last_refusal_log.load();
      now - last > std::chrono::steady_clock::duration(std::chrono::seconds(1)).count() &&
      last_refusal_log.compare_exchange_strong(last, now)) {
    deps.logger.Warn(
        "connection_refused",
        {{"cap", total ? "server.max_connections" : "server.max_connections_per_address"}, {"open", quota.Open()}});
  }
  const std::string request_id = deps.ids.Next();
  const auto response = ErrorResponse(
      503, "unavailable",
      total ? "too many open connections; retry later" : "too many open connections from this address; retry later",
      request_id);
  auto res = internal::ToBeast(response, 11, false, request_id);
  res.set(http::field::retry_after, "1");
  beast::error_code ec;
  socket.non_blocking(true, ec);
  http::write(socket, res, ec);  // best effort: a few hundred bytes fit the socket buffer
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

namespace {

// The connection cap the open-files limit allows: `configured`, or lower.
std::int64_t EffectiveMaxConnections(std::int64_t configured) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return configured;
  // Descriptors the process needs beside its connections: the database, indexes, logs, outgoing clients.
  constexpr std::int64_t kReserve = 256;
  const auto soft = static_cast<std::int64_t>(limit.rlim_cur);
  const std::int64_t ceiling = soft > 2 * kReserve ? soft - kReserve : soft / 2;
  return configured == 0 ? ceiling : std::min(configured, ceiling);
}

}  // namespace

HttpServer::HttpServer(core::IoContextPool& pool, ServerOptions options, HttpServerDeps deps) {
  options.max_connections = EffectiveMaxConnections(options.max_connections);
  impl_ = std::make_shared<Impl>(pool, std::move(options), std::move(deps));
}

HttpServer::~HttpServer() {
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

core::Result<std::uint16_t> HttpServer::Start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "server.host: not an IP address: " + impl_->options.host);
  }
  const tcp::endpoint endpoint(address, static_cast<std::uint16_t>(impl_->options.port));
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot open socket: " + ec.message());
  }
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    return core::Fail(core::ErrorCode::kUnavailable, "cannot listen on " + impl_->options.host + ":" +
                                                         std::to_string(impl_->options.port) + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return core::Fail(core::ErrorCode::kUnavailable, "listen failed: " + ec.message());
  }
  const auto port = acceptor.local_endpoint(ec).port();
  impl_->deps.logger.Info("connection_caps",
                          {{"max_connections", impl_->options.max_connections},
                           {"max_connections_per_address", impl_->options.max_connections_per_address}});
  asio::co_spawn(acceptor.get_executor(), impl_->Accept(), asio::detached);
  return port;
}

void HttpServer::BeginShutdown() {
  impl_->draining = true;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ec;
    impl->acceptor.close(ec);
  });
  for (auto& connection : impl_->connections.Snapshot()) connection->Shutdown();
}

bool HttpServer::IsDraining() const { return impl_->draining; }

std::size_t HttpServer::OpenConnections() const {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, impl_->live.load()));
}

void HttpServer::CloseAll() {
  for (auto& connection : impl_->connections.Snapshot()) connection->ForceClose();
}

}  // namespace salesboost::server
