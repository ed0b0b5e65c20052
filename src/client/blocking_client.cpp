#include "client/blocking_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <optional>

namespace salesboost::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using core::ErrorCode;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Runs handlers until `done()` holds or the timeout passes; returns done().
template <typename Done>
bool RunUntil(asio::io_context& io, Done done, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  io.restart();
  while (!done()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    if (io.run_one_for(left) == 0 && io.stopped()) io.restart();
  }
  return done();
}

// RunUntil for a one-shot operation on `socket`: on timeout the socket is
// closed (the operation is abandoned) and kDeadlineExceeded returned.
core::Result<void> RunOrAbandon(asio::io_context& io, const bool& done, milliseconds timeout, tcp::socket& socket,
                                std::string_view what) {
  if (RunUntil(
          io, [&] { return done; }, timeout))
    return core::Ok();
  beast::error_code ec;
  socket.close(ec);
  io.restart();
  io.run_for(milliseconds(100));
  return core::Fail(ErrorCode::kDeadlineExceeded, std::string(what) + " timed out");
}

core::Result<void> ConnectSocket(asio::io_context& io, tcp::socket& socket, const Endpoint& endpoint,
                                 int receive_buffer_bytes, milliseconds timeout) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(endpoint.host, ec);
  if (ec) return core::Fail(ErrorCode::kInvalidArgument, "not an IP address: " + endpoint.host);
  socket.open(address.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (ec) return core::Fail(ErrorCode::kUnavailable, "socket: " + ec.message());
  if (receive_buffer_bytes > 0) socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer_bytes), ec);
  bool done = false;
  beast::error_code result;
  socket.async_connect(tcp::endpoint(address, endpoint.port), [&](beast::error_code e) {
    result = e;
    done = true;
  });
  if (auto ok = RunOrAbandon(io, done, timeout, socket, "connect"); !ok) return ok;
  if (result) return core::Fail(ErrorCode::kUnavailable, "connect: " + result.message());
  return core::Ok();
}

}  // namespace

std::optional<std::string> HttpReply::Header(std::string_view name) const {
  const auto key = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == key) return v;
  }
  return std::nullopt;
}

core::Result<HttpReply> Fetch(const Endpoint& endpoint, const std::string& method, const std::string& target,
                              std::string body, const Headers& headers, milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  if (auto ok = ConnectSocket(io, socket, endpoint, 0, timeout); !ok) return core::Fail(ok.error());

  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, endpoint.host + ":" + std::to_string(endpoint.port));
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  if (!req.body().empty() || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();

  bool done = false;
  beast::error_code result;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  http::async_write(socket, req, [&](beast::error_code ec, std::size_t) {
    // A server may answer (413, 400) and close before reading the whole body:
    // read the response even when the write failed.
    (void)ec;
    http::async_read(socket, buffer, parser, [&](beast::error_code rec, std::size_t) {
      result = rec;
      done = true;
    });
  });
  if (auto ok = RunOrAbandon(io, done, timeout, socket, "HTTP request"); !ok) return core::Fail(ok.error());
  if (result) return core::Fail(ErrorCode::kUnavailable, "HTTP response: " + result.message());
  HttpReply reply;
  const auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res) reply.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  reply.body = res.body();
  return reply;
}

core::Result<std::string> RawExchange(const Endpoint& endpoint, std::string bytes, milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  if (auto ok = ConnectSocket(io, socket, endpoint, 0, timeout); !ok) return core::Fail(ok.error());
  bool done = false;
  std::string received;
  std::array<char, 4096> chunk{};
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t n) {
    received.append(chunk.data(), n);
    if (ec) {
      done = true;
      return;
    }
    socket.async_read_some(asio::buffer(chunk), on_read);
  };
  asio::async_write(socket, asio::buffer(bytes),
                    [&](beast::error_code, std::size_t) { socket.async_read_some(asio::buffer(chunk), on_read); });
  if (auto ok = RunOrAbandon(io, done, timeout, socket, "raw exchange"); !ok) return core::Fail(ok.error());
  return received;
}

// One read stays in flight across calls, so a Read() that times out leaves
// the connection usable; completed reads queue their events in `pending`.
struct WsClient::Impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer buffer;
  std::deque<WsEvent> pending;
  bool reading = false;
  bool closed = false;  // the read side has ended
  int pings = 0;
  int pongs = 0;

  core::Result<void> Wait(const bool& done, milliseconds timeout, std::string_view what) {
    return RunOrAbandon(io, done, timeout, ws.next_layer(), what);
  }

  void StartRead() {
    if (reading || closed) return;
    reading = true;
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        closed = true;
        WsEvent event{.kind = WsEvent::Kind::kClosed, .data = {}, .close_code = 1006, .close_reason = ec.message()};
        if (ec == websocket::error::closed) {
          event.close_code = static_cast<std::uint16_t>(ws.reason().code);
          event.close_reason.assign(ws.reason().reason.data(), ws.reason().reason.size());
        }
        pending.push_back(std::move(event));
        return;
      }
      pending.push_back(WsEvent{.kind = ws.got_text() ? WsEvent::Kind::kText : WsEvent::Kind::kBinary,
                                .data = beast::buffers_to_string(buffer.data()),
                                .close_code = 0,
                                .close_reason = {}});
      buffer.consume(buffer.size());
    });
  }

  core::Result<void> Write(std::string data, bool text, milliseconds timeout) {
    bool done = false;
    beast::error_code result;
    ws.text(text);
    ws.async_write(asio::buffer(data), [&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (auto ok = Wait(done, timeout, "WebSocket write"); !ok) return ok;
    if (result) return core::Fail(ErrorCode::kUnavailable, "WebSocket write: " + result.message());
    return core::Ok();
  }
};

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsClient::~WsClient() = default;

core::Result<std::unique_ptr<WsClient>> WsClient::Connect(const Endpoint& endpoint, const std::string& target,
                                                          const WsClientOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (auto ok = ConnectSocket(impl->io, impl->ws.next_layer(), endpoint, options.receive_buffer_bytes, options.timeout);
      !ok) {
    return core::Fail(ok.error());
  }
  impl->ws.set_option(websocket::stream_base::decorator([headers = options.headers](websocket::request_type& req) {
    for (const auto& [k, v] : headers) req.set(k, v);
  }));
  impl->ws.read_message_max(0);  // the client accepts any size; the server enforces its own limit
  auto* raw = impl.get();
  impl->ws.control_callback([raw](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) ++raw->pings;
    if (kind == websocket::frame_type::pong) ++raw->pongs;
  });
  bool done = false;
  beast::error_code result;
  websocket::response_type response;
  impl->ws.async_handshake(response, endpoint.host + ":" + std::to_string(endpoint.port), target,
                           [&](beast::error_code ec) {
                             result = ec;
                             done = true;
                           });
  if (auto ok = impl->Wait(done, options.timeout, "WebSocket handshake"); !ok) return core::Fail(ok.error());
  if (result) {
    if (result == websocket::error::upgrade_declined) {
      return core::Fail(ErrorCode::kPermissionDenied,
                        "status " + std::to_string(response.result_int()) + ": " + response.body());
    }
    return core::Fail(ErrorCode::kUnavailable, "WebSocket handshake: " + result.message());
  }
  return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

core::Result<void> WsClient::SendText(std::string text, milliseconds timeout) {
  return impl_->Write(std::move(text), true, timeout);
}

core::Result<void> WsClient::SendBinary(std::string data, milliseconds timeout) {
  return impl_->Write(std::move(data), false, timeout);
}

core::Result<void> WsClient::Ping(const std::string& payload, milliseconds timeout) {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_ping(websocket::ping_data(payload), [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  if (auto ok = impl_->Wait(done, timeout, "WebSocket ping"); !ok) return ok;
  if (result) return core::Fail(ErrorCode::kUnavailable, "WebSocket ping: " + result.message());
  return core::Ok();
}

core::Result<WsEvent> WsClient::Read(milliseconds timeout) {
  if (impl_->pending.empty()) {
    if (impl_->closed) return core::Fail(ErrorCode::kFailedPrecondition, "WebSocket is closed");
    impl_->StartRead();
    if (!RunUntil(
            impl_->io, [this] { return !impl_->pending.empty(); }, timeout)) {
      return core::Fail(ErrorCode::kDeadlineExceeded, "no WebSocket message in time");
    }
  }
  auto event = std::move(impl_->pending.front());
  impl_->pending.pop_front();
  return event;
}

core::Result<void> WsClient::AwaitPong(milliseconds timeout) {
  const int before = impl_->pongs;
  impl_->StartRead();  // control frames are processed by a pending read
  const bool got = RunUntil(
      impl_->io,
      [this, before] {
        if (!impl_->reading) impl_->StartRead();  // a message arrived first: keep reading
        return impl_->pongs != before || impl_->closed;
      },
      timeout);
  if (!got || impl_->pongs == before) return core::Fail(ErrorCode::kDeadlineExceeded, "no pong in time");
  return core::Ok();
}

core::Result<void> WsClient::Close(std::uint16_t code, milliseconds timeout) {
  bool done = false;
  beast::error_code result;
  impl_->ws.async_close(websocket::close_reason(static_cast<websocket::close_code>(code)), [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  if (auto ok = impl_->Wait(done, timeout, "WebSocket close"); !ok) return ok;
  if (result) return core::Fail(ErrorCode::kUnavailable, "WebSocket close: " + result.message());
  return core::Ok();
}

int WsClient::PingsReceived() const { return impl_->pings; }
int WsClient::PongsReceived() const { return impl_->pongs; }

}  // namespace salesboost::client
