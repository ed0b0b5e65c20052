// The WebSocket half of the server: one WsConnection per upgraded socket.
//
// The upgrade runs as a coroutine; after it, reads are a chain of callbacks on
// the connection's strand (an idle connection then holds one pending read and
// no coroutine frame), and each complete message runs the handler's coroutine
// before the next read. Writes go through a bounded queue with one write in
// flight (Beast allows one read and one write at a time). Send() is
// thread-safe and decides overflow at once with atomic counters, so a client
// that stops reading is disconnected (4001) instead of growing memory.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <list>
#include <optional>
#include <string>

#include "build_info.hpp"
#include "server/internal/beast_glue.hpp"

namespace salesboost::server::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using std::chrono::milliseconds;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kCloseGrace = std::chrono::seconds(2);

class WsConnection final : public Connection,
                           public WebSocketSender,
                           public std::enable_shared_from_this<WsConnection> {
 public:
  // A plain socket under the WebSocket stream: Beast's own timers cover the
  // handshake and keep-alive, so a tcp_stream's two timers would be dead weight.
  WsConnection(std::shared_ptr<ServerContext> ctx, asio::ip::tcp::socket socket, ConnectionQuota::Ticket ticket)
      : Connection(ctx->live, std::move(ticket)),
        ctx_(std::move(ctx)),
        ws_(std::move(socket)),
        idle_timer_(ws_.get_executor()),
        close_timer_(ws_.get_executor()) {}

  // The upgrade: answers the request and, once accepted, starts reading and
  // returns, so its frame (the request, the log record) is freed. `self` is
  // this connection, owned by the coroutine while it runs.
  asio::awaitable<void> Accept(std::shared_ptr<WsConnection> self, BeastRequest upgrade, HttpRequest request,
                               std::chrono::steady_clock::time_point start);

  bool Send(std::string text) override;
  void Close(CloseCode code, std::string reason) override;
  void Shutdown() override { Close(CloseCode::kGoingAway, "server shutting down"); }
  void ForceClose() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->CloseSocket(); });
  }

 private:
  void Enqueue(std::string text);
  void DoWrite();
  void OnWrite(beast::error_code ec);
  void RequestClose(CloseCode code, const std::string& reason, std::chrono::steady_clock::duration grace);
  void StartClose();
  void Dequeued(std::size_t bytes);
  void CountServerClose(std::uint16_t code) {
    const std::string label = std::to_string(code);
    ctx_->metrics.ws_server_closes.With({std::string_view(label)}).Inc();
  }
  // Waits on idle_timer_; a message re-arms it (the wait then completes early
  // and waits again); expiry closes with 4000. A callback, not a coroutine:
  // no frame per connection.
  void WaitIdle();
  // The read loop, as callbacks rather than a coroutine: an idle connection
  // then holds one pending read and no coroutine frames. Each pending read
  // owns the connection.
  void ReadSome();
  void OnRead(beast::error_code ec);
  void Finish();  // the read loop ended: release the handler, unregister, close

  std::shared_ptr<ServerContext> ctx_;
  void CloseSocket() {
    beast::error_code ignored;
    ws_.next_layer().close(ignored);
  }

  websocket::stream<asio::ip::tcp::socket> ws_;
  asio::steady_timer idle_timer_;
  asio::steady_timer close_timer_;
  std::string request_id_;
  std::unique_ptr<WebSocketHandler> handler_;
  std::uint64_t registry_id_ = 0;

  // Decided on any thread by Send().
  std::atomic<std::int64_t> queued_messages_{0};
  std::atomic<std::int64_t> queued_bytes_{0};
  std::atomic<bool> closing_{false};

  // Strand-only state.
  std::list<std::string> queue_;  // a list allocates nothing while empty (a deque does, per idle connection)
  bool open_ = false;             // handshake done, session running
  bool finished_ = false;         // read loop ended
  bool writing_ = false;
  bool close_started_ = false;
  std::optional<websocket::close_reason> pending_close_;
  beast::flat_buffer buffer_;  // the message being read; released between messages
};

bool WsConnection::Send(std::string text) {
  if (closing_.load(std::memory_order_acquire)) return false;
  const auto& opt = ctx_->options.websocket;
  const auto bytes = static_cast<std::int64_t>(text.size());
  const auto messages = queued_messages_.fetch_add(1) + 1;
  const auto total = queued_bytes_.fetch_add(bytes) + bytes;
  if (messages > opt.write_queue_max_messages || total > opt.write_queue_max_bytes) {
    queued_messages_.fetch_sub(1);
    queued_bytes_.fetch_sub(bytes);
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      self->ctx_->deps.logger.Warn("websocket_slow_consumer", {{"request_id", self->request_id_}});
      self->RequestClose(CloseCode::kSlowConsumer, "outgoing queue full: client is not reading",
                         std::chrono::seconds(1));
    });
    return false;
  }
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), text = std::move(text)]() mutable { self->Enqueue(std::move(text)); });
  return true;
}

void WsConnection::Close(CloseCode code, std::string reason) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    self->RequestClose(code, reason, kCloseGrace);
  });
}

void WsConnection::Dequeued(std::size_t bytes) {
  queued_messages_.fetch_sub(1);
  queued_bytes_.fetch_sub(static_cast<std::int64_t>(bytes));
}

void WsConnection::Enqueue(std::string text) {
  if (close_started_ || pending_close_ || finished_) {
    Dequeued(text.size());
    return;
  }
  queue_.push_back(std::move(text));
  if (open_ && !writing_) DoWrite();
}

void WsConnection::DoWrite() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(asio::buffer(queue_.front()),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnWrite(ec); });
}

void WsConnection::OnWrite(beast::error_code ec) {
  Dequeued(queue_.front().size());
  queue_.pop_front();
  writing_ = false;
  if (ec) return;  // the read loop sees the failure and ends the session
  ctx_->metrics.ws_sent.Inc();
  if (!queue_.empty()) {
    DoWrite();
  } else if (pending_close_) {
    StartClose();
  }
}

// Strand only. Messages queued before the request are still sent, unless the
// client is too slow (then they are dropped). `grace` bounds the close handshake.
void WsConnection::RequestClose(CloseCode code, const std::string& reason, std::chrono::steady_clock::duration grace) {
  if (pending_close_ || close_started_ || finished_) return;
  closing_.store(true, std::memory_order_release);
  const auto numeric = static_cast<std::uint16_t>(code);
  CountServerClose(numeric);
  pending_close_ = websocket::close_reason(static_cast<websocket::close_code>(numeric), reason);
  if (code == CloseCode::kSlowConsumer) {
    while (queue_.size() > (writing_ ? 1u : 0u)) {
      Dequeued(queue_.back().size());
      queue_.pop_back();
    }
  }
  close_timer_.expires_after(grace);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec && !self->finished_) self->CloseSocket();
  });
  if (open_ && !writing_ && queue_.empty()) StartClose();
}

void WsConnection::StartClose() {
  if (close_started_) return;
  close_started_ = true;
  // When the handshake completes, Beast may leave our concurrent read pending on
  // the socket; closing the socket ends it (and the session).
  ws_.async_close(*pending_close_, [self = shared_from_this()](beast::error_code) { self->CloseSocket(); });
}

void WsConnection::WaitIdle() {
  idle_timer_.async_wait([self = shared_from_this()](beast::error_code) {
    if (self->finished_ || self->pending_close_) return;
    if (self->idle_timer_.expiry() > std::chrono::steady_clock::now()) {  // re-armed by a message
      self->WaitIdle();
      return;
    }
    self->RequestClose(CloseCode::kIdleTimeout, "idle timeout", kCloseGrace);
  });
}

asio::awaitable<void> WsConnection::Accept(std::shared_ptr<WsConnection> self, BeastRequest upgrade,
                                           HttpRequest request, std::chrono::steady_clock::time_point start) {
  const auto& opt = ctx_->options;
  request_id_ = request.request_id;
  const std::string remote = request.remote_address;
  RequestRecord record{.method = "GET",
                       .path = kWebSocketPath,
                       .route = kWebSocketPath,
                       .status = 101,
                       .request_id = request_id_,
                       .remote = remote,
                       .start = start,
                       .bytes_in = 0,
                       .bytes_out = 0};

  // Registered from the start, so shutdown reaches a socket still in its handshake.
  registry_id_ = ctx_->connections.Add(weak_from_this());
  std::shared_ptr<WebSocketSender> sender = self;
  auto deciding = ctx_->deps.websocket->Accept(request, std::move(sender));
  auto accepted = co_await std::move(deciding);
  if (!accepted || ctx_->draining) {
    const auto response = accepted ? ErrorResponse(503, "unavailable", "server is shutting down", request_id_)
                                   : ErrorResponse(accepted.error(), request_id_);
    auto res = ToBeast(response, upgrade.version(), false, request_id_);
    close_timer_.expires_after(milliseconds(opt.body_timeout_ms));  // a peer that does not read is cut
    close_timer_.async_wait([self](beast::error_code ec) {
      if (!ec) self->CloseSocket();
    });
    co_await http::async_write(ws_.next_layer(), res, kTuple);
    close_timer_.cancel();
    record.status = response.status;
    record.bytes_out = response.body.size();
    RecordRequest(*ctx_, record);
    closing_ = true;
    finished_ = true;
    CloseSocket();
    ctx_->connections.Remove(registry_id_);
    co_return;
  }
  handler_ = std::move(accepted->handler);
  const std::string subprotocol = std::move(accepted->subprotocol);

  if (opt.websocket.socket_send_buffer_bytes > 0) {
    beast::error_code ec;
    ws_.next_layer().set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(opt.websocket.socket_send_buffer_bytes)), ec);
  }
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = milliseconds(opt.header_timeout_ms);
  timeouts.idle_timeout = milliseconds(2 * opt.websocket.ping_interval_ms);
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(0);  // enforced in the read loop below
  ws_.set_option(websocket::stream_base::decorator([id = request_id_, subprotocol](websocket::response_type& res) {
    res.set(http::field::server, std::string("salesboost/") + build_info::kVersion);
    res.set("X-Request-Id", id);
    if (!subprotocol.empty()) res.set(http::field::sec_websocket_protocol, subprotocol);
  }));

  auto [aec] = co_await ws_.async_accept(upgrade, kTuple);
  if (aec) {
    finished_ = true;
    closing_ = true;
    std::unique_ptr<WebSocketHandler> handler = std::move(handler_);
    handler->OnClose();
    ctx_->connections.Remove(registry_id_);
    co_return;
  }
  RecordRequest(*ctx_, record);
  ctx_->metrics.ws_open.Inc();
  open_ = true;
  if (ctx_->draining) RequestClose(CloseCode::kGoingAway, "server shutting down", kCloseGrace);
  if (!queue_.empty()) {
    DoWrite();
  } else if (pending_close_) {
    StartClose();
  }
  idle_timer_.expires_after(milliseconds(opt.websocket.idle_timeout_ms));
  WaitIdle();
  ReadSome();
}

// Messages are read piecewise so the size limit is ours: an oversized message
// gets a proper close handshake (1009) while its rest is read and dropped.
// (Beast's own limit tears the socket down with the rest unread, and the
// peer then sees a reset instead of the close code.) Between messages a read
// asks for little and the buffer is released after each message: an idle
// connection holds 256 bytes, not Beast's 1.5 KiB frame size.
void WsConnection::ReadSome() {
  constexpr std::size_t kDrainChunk = std::size_t{16} * 1024;
  constexpr std::size_t kIdleRead = 256;
  const auto max_message = static_cast<std::size_t>(ctx_->options.websocket.max_message_bytes);
  const bool discarding = pending_close_ || close_started_;
  const std::size_t room =
      discarding ? kDrainChunk
                 : (buffer_.size() == 0 ? std::min(kIdleRead, max_message + 1) : max_message + 1 - buffer_.size());
  ws_.async_read_some(buffer_, room,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void WsConnection::OnRead(beast::error_code ec) {
  if (ec) {
    if (ec == websocket::error::bad_frame_payload) {
      CountServerClose(static_cast<std::uint16_t>(CloseCode::kInvalidPayload));
    }
    Finish();
    return;
  }
  const auto max_message = static_cast<std::size_t>(ctx_->options.websocket.max_message_bytes);
  if (pending_close_ || close_started_) {  // closing: drop everything until the peer's close frame
    buffer_.consume(buffer_.size());
    ReadSome();
    return;
  }
  if (buffer_.size() > max_message) {
    buffer_.consume(buffer_.size());
    RequestClose(CloseCode::kMessageTooBig, "message exceeds " + std::to_string(max_message) + " bytes", kCloseGrace);
    ReadSome();
    return;
  }
  if (!ws_.is_message_done()) {
    ReadSome();
    return;
  }
  ctx_->metrics.ws_received.Inc();
  idle_timer_.expires_after(milliseconds(ctx_->options.websocket.idle_timeout_ms));
  std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  buffer_.shrink_to_fit();
  if (!ws_.got_text()) {
    RequestClose(CloseCode::kUnsupportedData, "binary messages are not supported", kCloseGrace);
    ReadSome();
    return;
  }
  // One message at a time: the next read starts when the handler is done.
  asio::co_spawn(ws_.get_executor(), handler_->OnMessage(std::move(text)),
                 [self = shared_from_this()](const std::exception_ptr& failure) {
                   if (failure) {
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       self->ctx_->deps.logger.Error("websocket_handler_exception",
                                                     {{"request_id", self->request_id_}, {"error", e.what()}});
                     } catch (...) {
                       self->ctx_->deps.logger.Error("websocket_handler_exception",
                                                     {{"request_id", self->request_id_}, {"error", "unknown"}});
                     }
                     self->RequestClose(CloseCode::kInternalError, "internal error", kCloseGrace);
                   }
                   self->ReadSome();
                 });
}

void WsConnection::Finish() {
  finished_ = true;
  closing_ = true;
  idle_timer_.cancel();
  close_timer_.cancel();
  // The handler usually holds this connection as its sender: release it to break the cycle.
  std::unique_ptr<WebSocketHandler> handler = std::move(handler_);
  handler->OnClose();
  ctx_->connections.Remove(registry_id_);
  ctx_->metrics.ws_open.Dec();
  CloseSocket();
}

}  // namespace

void StartWebSocket(std::shared_ptr<ServerContext> ctx, beast::tcp_stream stream, BeastRequest upgrade,
                    HttpRequest request, std::chrono::steady_clock::time_point start, ConnectionQuota::Ticket ticket) {
  auto executor = stream.get_executor();
  stream.expires_never();  // the HTTP side's timers end here; Beast's WebSocket timeouts take over
  auto connection = std::make_shared<WsConnection>(std::move(ctx), stream.release_socket(), std::move(ticket));
  WsConnection* raw = connection.get();
  asio::co_spawn(executor, raw->Accept(std::move(connection), std::move(upgrade), std::move(request), start),
                 asio::detached);
}

}  // namespace salesboost::server::internal
