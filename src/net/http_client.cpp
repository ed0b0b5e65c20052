#include "net/http_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>

namespace salesboost::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadPiece = std::size_t{16} * 1024;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // path and query
  std::string Key() const { return fmt::format("{}://{}:{}", tls ? "https" : "http", host, port); }
};

// Pooled connections stay with the I/O context (thread) that opened them.
std::string PoolKey(const Target& target, const asio::any_io_executor& executor) {
  return fmt::format("{}@{}", target.Key(), static_cast<const void*>(&asio::query(executor, asio::execution::context)));
}

core::Result<Target> ParseUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("'{}' is not a URL", url));
  Target t;
  const auto scheme = parsed->scheme();
  if (scheme == "https") {
    t.tls = true;
  } else if (scheme != "http") {
    return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("'{}': only http and https URLs", url));
  }
  t.host = std::string(parsed->host_address());
  if (t.host.empty()) return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("'{}' has no host", url));
  t.port = parsed->has_port() ? std::string(parsed->port()) : std::string(t.tls ? "443" : "80");
  t.path = std::string(parsed->encoded_target());
  if (t.path.empty()) t.path = "/";
  return t;
}

core::Error Failure(core::ErrorCode code, std::string message) { return core::Error{code, std::move(message)}; }

struct Connection {
  std::string key;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  Clock::time_point idle_since;

  beast::tcp_stream& Tcp() { return plain ? *plain : beast::get_lowest_layer(*tls); }
};

// Sets the stream's expiry to the sooner of `limit` and the deadline.
void Expire(Connection& c, milliseconds limit, Clock::time_point deadline) {
  c.Tcp().expires_at(std::min(Clock::now() + limit, deadline));
}

core::Error IoError(const beast::error_code& ec, std::string_view what, const Target& target,
                    Clock::time_point deadline, milliseconds limit) {
  if (ec == beast::error::timeout) {
    if (Clock::now() >= deadline) {
      return Failure(core::ErrorCode::kDeadlineExceeded,
                     fmt::format("{} did not finish within the total timeout", target.Key()));
    }
    return Failure(core::ErrorCode::kDeadlineExceeded,
                   fmt::format("{}: no {} within {} ms", target.Key(), what, limit.count()));
  }
  if (ec == asio::error::operation_aborted) {
    return Failure(core::ErrorCode::kAborted, fmt::format("{}: cancelled", target.Key()));
  }
  return Failure(core::ErrorCode::kUnavailable, fmt::format("{}: {} failed: {}", target.Key(), what, ec.message()));
}

bool IsStale(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == http::error::partial_message;
}

}  // namespace

class HttpClient::Impl : public std::enable_shared_from_this<HttpClient::Impl> {
 public:
  explicit Impl(HttpClientOptions options) : options_(std::move(options)), tls_(ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(ssl::verify_peer);
    if (!options_.extra_ca_file.empty()) {
      beast::error_code ec;
      tls_.load_verify_file(options_.extra_ca_file, ec);
      ca_error_ = ec ? fmt::format("cannot load the CA file {}: {}", options_.extra_ca_file, ec.message()) : "";
    }
  }

  std::unique_ptr<Connection> Take(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(key);
    if (it == idle_.end()) return nullptr;
    auto& queue = it->second;
    while (!queue.empty()) {
      auto c = std::move(queue.back());
      queue.pop_back();
      if (Clock::now() - c->idle_since < options_.idle_keepalive) {
        ++stats_.connections_reused;
        return c;
      }
    }
    return nullptr;
  }

  void Give(std::unique_ptr<Connection> c) {
    c->idle_since = Clock::now();
    c->Tcp().expires_never();
    std::lock_guard lock(mutex_);
    auto& queue = idle_[c->key];
    if (queue.size() >= options_.max_idle_per_host) queue.pop_front();
    queue.push_back(std::move(c));
  }

  asio::awaitable<core::Result<std::unique_ptr<Connection>>> Connect(const Target& target, milliseconds timeout,
                                                                     Clock::time_point deadline) {
    if (target.tls && !ca_error_.empty()) co_return core::Fail(core::ErrorCode::kFailedPrecondition, ca_error_);
    const auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(target.host, target.port, kTuple);
    if (rec) {
      co_return core::Fail(core::ErrorCode::kUnavailable,
                           fmt::format("{}: cannot resolve the host: {}", target.Key(), rec.message()));
    }
    auto c = std::make_unique<Connection>();
    c->key = PoolKey(target, executor);
    if (target.tls) {
      c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, tls_);
    } else {
      c->plain = std::make_unique<beast::tcp_stream>(executor);
    }
    Expire(*c, timeout, deadline);
    auto [cec, ep] = co_await c->Tcp().async_connect(endpoints, kTuple);
    if (cec) co_return core::Fail(IoError(cec, "connection", target, deadline, timeout));
    c->Tcp().socket().set_option(tcp::no_delay(true));
    if (c->tls) {
      SSL* handle = c->tls->native_handle();
      if (SSL_set_tlsext_host_name(handle, target.host.c_str()) != 1) {
        co_return core::Fail(core::ErrorCode::kInvalidArgument, fmt::format("{}: bad TLS server name", target.Key()));
      }
      c->tls->set_verify_callback(ssl::host_name_verification(target.host));
      auto [hec] = co_await c->tls->async_handshake(ssl::stream_base::client, kTuple);
      if (hec) {
        const long verify = SSL_get_verify_result(handle);
        if (verify != X509_V_OK) {
          co_return core::Fail(core::ErrorCode::kFailedPrecondition,
                               fmt::format("{}: TLS certificate verification failed: {}", target.Key(),
                                           X509_verify_cert_error_string(verify)));
        }
        co_return core::Fail(IoError(hec, "TLS handshake", target, deadline, timeout));
      }
    }
    {
      std::lock_guard lock(mutex_);
      ++stats_.connections_opened;
    }
    co_return c;
  }

  void CloseIdle() {
    std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle;
    {
      std::lock_guard lock(mutex_);
      idle.swap(idle_);
    }
  }

  Stats PoolStatsNow() const {
    std::lock_guard lock(mutex_);
    Stats s = stats_;
    s.idle = 0;
    for (const auto& [key, queue] : idle_) s.idle += queue.size();
    return s;
  }

 private:
  const HttpClientOptions options_;
  ssl::context tls_;
  std::string ca_error_;
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<std::unique_ptr<Connection>>> idle_;
  Stats stats_;
};

namespace {

class Exchange final : public HttpExchange {
 public:
  Exchange(std::shared_ptr<HttpClient::Impl> client, std::unique_ptr<Connection> connection, Target target,
           const HttpRequest& request)
      : client_(std::move(client)),
        connection_(std::move(connection)),
        target_(std::move(target)),
        idle_timeout_(request.idle_timeout),
        deadline_(Clock::now() + request.total_timeout) {
    parser_.header_limit(64 * 1024);
    parser_.body_limit(boost::none);
  }

  // Writes the request and reads the response head. `stale` tells whether a
  // failure looks like a pooled connection the server had closed.
  asio::awaitable<core::Result<void>> Start(const HttpRequest& request, bool* stale) {
    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(target_.path);
    req.version(11);
    req.set(http::field::host, target_.host);
    req.set(http::field::user_agent, "salesboost");
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.keep_alive(true);
    req.prepare_payload();
    Expire(*connection_, request.first_byte_timeout, deadline_);
    beast::error_code ec;
    if (connection_->tls) {
      auto [wec, wn] = co_await http::async_write(*connection_->tls, req, kTuple);
      ec = wec;
      if (!ec) {
        auto [hec, hn] = co_await http::async_read_header(*connection_->tls, buffer_, parser_, kTuple);
        ec = hec;
      }
    } else {
      auto [wec, wn] = co_await http::async_write(*connection_->plain, req, kTuple);
      ec = wec;
      if (!ec) {
        auto [hec, hn] = co_await http::async_read_header(*connection_->plain, buffer_, parser_, kTuple);
        ec = hec;
      }
    }
    if (ec) {
      *stale = IsStale(ec) && buffer_.size() == 0;
      co_return core::Fail(IoError(ec, "response", target_, deadline_, request.first_byte_timeout));
    }
    const auto& head = parser_.get();
    status_ = static_cast<int>(head.result_int());
    for (const auto& field : head) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      headers_.emplace_back(std::move(name), std::string(field.value()));
    }
    if (parser_.is_done()) Finish();
    co_return core::Ok();
  }

  int Status() const override { return status_; }
  const Headers& ResponseHeaders() const override { return headers_; }

  asio::awaitable<core::Result<std::optional<std::string>>> Read() override {
    std::array<char, kReadPiece> piece{};
    while (!done_) {
      parser_.get().body().data = piece.data();
      parser_.get().body().size = piece.size();
      Expire(*connection_, idle_timeout_, deadline_);
      beast::error_code ec;
      if (connection_->tls) {
        auto [rec, rn] = co_await http::async_read_some(*connection_->tls, buffer_, parser_, kTuple);
        ec = rec;
      } else {
        auto [rec, rn] = co_await http::async_read_some(*connection_->plain, buffer_, parser_, kTuple);
        ec = rec;
      }
      if (ec && ec != http::error::need_buffer) {
        connection_.reset();
        done_ = true;
        co_return core::Fail(IoError(ec, "data", target_, deadline_, idle_timeout_));
      }
      const std::size_t got = piece.size() - parser_.get().body().size;
      if (parser_.is_done()) Finish();
      if (got > 0) co_return std::optional<std::string>(std::string(piece.data(), got));
    }
    co_return std::optional<std::string>();
  }

 private:
  void Finish() {
    done_ = true;
    if (connection_ && parser_.keep_alive() && buffer_.size() == 0) client_->Give(std::move(connection_));
    connection_.reset();
  }

  std::shared_ptr<HttpClient::Impl> client_;
  std::unique_ptr<Connection> connection_;
  Target target_;
  milliseconds idle_timeout_;
  Clock::time_point deadline_;
  beast::flat_buffer buffer_;
  http::response_parser<http::buffer_body> parser_;
  int status_ = 0;
  Headers headers_;
  bool done_ = false;
};

std::optional<std::string> FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() &&
        std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) { return a == std::tolower(b); })) {
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> HttpExchange::Header(std::string_view name) const {
  return FindHeader(ResponseHeaders(), name);
}

std::optional<std::string> HttpResponse::Header(std::string_view name) const { return FindHeader(headers, name); }

asio::awaitable<core::Result<std::string>> HttpExchange::ReadAll(std::size_t limit) {
  std::string body;
  for (;;) {
    auto piece = co_await Read();
    if (!piece) co_return core::Fail(piece.error());
    if (!*piece) co_return body;
    if (body.size() + (*piece)->size() > limit) {
      co_return core::Fail(core::ErrorCode::kResourceExhausted,
                           fmt::format("the response is larger than {} bytes", limit));
    }
    body += **piece;
  }
}

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_shared<Impl>(std::move(options))) {}

HttpClient::~HttpClient() = default;

asio::awaitable<core::Result<std::unique_ptr<HttpExchange>>> HttpClient::Open(HttpRequest request) {
  auto target = ParseUrl(request.url);
  if (!target) co_return core::Fail(target.error());
  const auto deadline = Clock::now() + request.total_timeout;
  const auto executor = co_await asio::this_coro::executor;
  const std::string pool_key = PoolKey(*target, executor);
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> connection;
    if (attempt == 0) connection = impl_->Take(pool_key);
    const bool reused = connection != nullptr;
    if (!connection) {
      auto fresh = co_await impl_->Connect(*target, request.connect_timeout, deadline);
      if (!fresh) co_return core::Fail(fresh.error());
      connection = std::move(*fresh);
    }
    auto exchange = std::make_unique<Exchange>(impl_, std::move(connection), *target, request);
    bool stale = false;
    auto started = co_await exchange->Start(request, &stale);
    if (started) co_return std::unique_ptr<HttpExchange>(std::move(exchange));
    // A pooled connection the server had closed: once more on a new one.
    if (!(reused && stale && attempt == 0)) co_return core::Fail(started.error());
  }
}

asio::awaitable<core::Result<HttpResponse>> HttpClient::Fetch(HttpRequest request, std::size_t limit) {
  auto exchange = co_await Open(std::move(request));
  if (!exchange) co_return core::Fail(exchange.error());
  auto body = co_await (*exchange)->ReadAll(limit);
  if (!body) co_return core::Fail(body.error());
  co_return HttpResponse{
      .status = (*exchange)->Status(), .headers = (*exchange)->ResponseHeaders(), .body = std::move(*body)};
}

HttpClient::Stats HttpClient::PoolStats() const { return impl_->PoolStatsNow(); }

void HttpClient::CloseIdle() { impl_->CloseIdle(); }

std::optional<milliseconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front())) != 0) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size() || seconds < 0 || seconds > 86400) {
      return std::nullopt;
    }
    return milliseconds(static_cast<std::int64_t>(seconds * 1000));
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  const auto left = std::chrono::duration_cast<milliseconds>(when - std::chrono::system_clock::now());
  return std::max(left, milliseconds(0));
}

}  // namespace salesboost::net
