#include "infra/redis/redis_client.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <utility>

namespace salesboost::infra {

namespace asio = boost::asio;
using core::ErrorCode;
using core::Fail;
using core::Result;
using SteadyClock = std::chrono::steady_clock;

std::optional<std::int64_t> RedisValue::AsInteger() const {
  if (kind == Kind::kInteger) return integer;
  if (kind != Kind::kString) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

RedisScript::RedisScript(std::string source) : source_(std::move(source)) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(source_.data(), source_.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    sha1_ += kHex[digest[i] >> 4];
    sha1_ += kHex[digest[i] & 0xf];
  }
}

namespace redis_detail {
namespace {

RedisValue Convert(const redisReply* reply) {
  RedisValue value;
  switch (reply->type) {
    case REDIS_REPLY_INTEGER:
      value.kind = RedisValue::Kind::kInteger;
      value.integer = reply->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      value.kind = RedisValue::Kind::kString;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      value.kind = RedisValue::Kind::kError;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisValue::Kind::kArray;
      value.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) value.elements.push_back(Convert(reply->element[i]));
      break;
    default:
      break;  // nil
  }
  return value;
}

struct Address {
  std::string host;
  int port = 0;
  friend bool operator==(const Address&, const Address&) = default;
  std::string Text() const { return host + ":" + std::to_string(port); }
};

std::optional<Address> ParseHostPort(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  Address address{std::string(text.substr(0, colon)), 0};
  const auto port = text.substr(colon + 1);
  const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (ec != std::errc() || ptr != port.data() + port.size() || address.port <= 0) return std::nullopt;
  return address;
}

// redis://[user[:password]@]host:port[/db]; the password comes from the options.
void ParseUrl(std::string_view url, Address& address, int& db) {
  address = Address{"127.0.0.1", 6379};
  db = 0;
  if (url.starts_with("redis://")) url.remove_prefix(8);
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  std::string_view path;
  if (const auto slash = url.find('/'); slash != std::string_view::npos) {
    path = url.substr(slash + 1);
    url = url.substr(0, slash);
  }
  if (auto parsed = ParseHostPort(url)) {
    address = *parsed;
  } else if (!url.empty()) {
    address.host = std::string(url);
  }
  if (!path.empty()) std::from_chars(path.data(), path.data() + path.size(), db);
}

// Drives one redisAsyncContext from an Asio executor (docs: deps.md). Alive
// until hiredis calls cleanup; released there because hiredis closes the fd.
struct AsioAdapter : std::enable_shared_from_this<AsioAdapter> {
  redisAsyncContext* ac;
  asio::posix::stream_descriptor sd;
  bool want_r = false, want_w = false, pend_r = false, pend_w = false;
  std::shared_ptr<AsioAdapter> self;

  AsioAdapter(const asio::strand<asio::any_io_executor>& strand, redisAsyncContext* c) : ac(c), sd(strand, c->c.fd) {}

  void Arm(bool read) {
    bool& pending = read ? pend_r : pend_w;
    const bool wanted = read ? want_r : want_w;
    if (pending || !wanted || ac == nullptr) return;
    pending = true;
    sd.async_wait(read ? asio::posix::descriptor_base::wait_read : asio::posix::descriptor_base::wait_write,
                  [s = shared_from_this(), read](boost::system::error_code ec) {
                    (read ? s->pend_r : s->pend_w) = false;
                    if (ec || s->ac == nullptr || !(read ? s->want_r : s->want_w)) return;
                    if (read) {
                      redisAsyncHandleRead(s->ac);  // may free the context: cleanup runs
                    } else {
                      redisAsyncHandleWrite(s->ac);
                    }
                    s->Arm(read);
                  });
  }
  static AsioAdapter* Me(void* p) { return static_cast<AsioAdapter*>(p); }
  static void Attach(const asio::strand<asio::any_io_executor>& strand, redisAsyncContext* ac) {
    auto adapter = std::make_shared<AsioAdapter>(strand, ac);
    adapter->self = adapter;
    ac->ev.data = adapter.get();
    ac->ev.addRead = [](void* p) {
      Me(p)->want_r = true;
      Me(p)->Arm(true);
    };
    ac->ev.delRead = [](void* p) { Me(p)->want_r = false; };
    ac->ev.addWrite = [](void* p) {
      Me(p)->want_w = true;
      Me(p)->Arm(false);
    };
    ac->ev.delWrite = [](void* p) { Me(p)->want_w = false; };
    ac->ev.cleanup = [](void* p) {  // before hiredis closes the fd
      auto* a = Me(p);
      a->ac = nullptr;
      a->want_r = a->want_w = false;
      boost::system::error_code ec;
      a->sd.cancel(ec);
      (void)a->sd.release();
      auto keep = std::move(a->self);
      asio::post(a->sd.get_executor(), [keep] {});
    };
  }
};

using Reply = Result<RedisValue>;

// One reply handed from the client's strand to one awaiting coroutine on any
// executor (a multi-threaded io_context too): the value and the waiting
// handler meet under a mutex, and the handler runs on its own executor.
class ReplySlot {
 public:
  static void Set(const std::shared_ptr<ReplySlot>& slot, Reply reply) { slot->Complete(std::move(reply)); }

  asio::awaitable<Reply> Wait() {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(Reply)>(
        [this](auto handler) {
          auto waiter = std::make_unique<Waiter<decltype(handler)>>(std::move(handler));
          std::unique_lock lock(mutex_);
          if (value_) {
            Reply reply = std::move(*value_);
            value_.reset();
            lock.unlock();
            waiter->Resume(std::move(reply));
            return;
          }
          waiter_ = std::move(waiter);
        },
        asio::use_awaitable);
  }

 private:
  struct WaiterBase {
    virtual ~WaiterBase() = default;
    virtual void Resume(Reply reply) = 0;
  };
  template <typename Handler>
  struct Waiter final : WaiterBase {
    explicit Waiter(Handler h) : handler(std::move(h)) {}
    void Resume(Reply reply) override {
      auto executor = asio::get_associated_executor(handler);
      asio::post(executor,
                 [h = std::move(handler), reply = std::move(reply)]() mutable { std::move(h)(std::move(reply)); });
    }
    Handler handler;
  };

  void Complete(Reply reply) {
    std::unique_ptr<WaiterBase> waiter;
    {
      std::lock_guard lock(mutex_);
      if (done_) return;
      done_ = true;
      if (!waiter_) {
        value_ = std::move(reply);
        return;
      }
      waiter = std::move(waiter_);
    }
    waiter->Resume(std::move(reply));
  }

  std::mutex mutex_;
  bool done_ = false;                   // guarded by mutex_
  std::optional<Reply> value_;          // guarded by mutex_: set before anyone waited
  std::unique_ptr<WaiterBase> waiter_;  // guarded by mutex_
};
using ReplyCompletion = ReplySlot;  // NOLINT(readability-identifier-naming)

}  // namespace

// One command between its submission and its reply; touched on the strand only.
struct Pending {
  std::vector<std::string> args;
  std::shared_ptr<ReplyCompletion> done;
  std::optional<asio::steady_timer> timer;
  bool finished = false;
  int redirects = 0;             // READONLY replies followed
  int conn = -1;                 // the connection it was sent on
  std::uint64_t generation = 0;  // of that connection
  std::shared_ptr<Core> core;
};
using PendingPtr = std::shared_ptr<Pending>;

struct Conn {
  enum class State { kIdle, kResolving, kConnecting, kReady };
  explicit Conn(const asio::strand<asio::any_io_executor>& strand) : retry_timer(strand), connect_timer(strand) {}
  int index = 0;
  redisAsyncContext* ac = nullptr;
  State state = State::kIdle;
  asio::steady_timer retry_timer;
  asio::steady_timer connect_timer;
  int failures = 0;  // consecutive, for the backoff
  bool was_ready = false;
  std::uint64_t generation = 0;
  Address address;
  Core* core = nullptr;
};

// A question to one sentinel.
struct SentinelAsk {
  explicit SentinelAsk(const asio::strand<asio::any_io_executor>& strand) : timer(strand) {}
  std::size_t index = 0;
  redisAsyncContext* ac = nullptr;
  asio::steady_timer timer;
  bool answered = false;
  std::shared_ptr<Core> core;
};

class Core : public std::enable_shared_from_this<Core> {
 public:
  Core(const asio::any_io_executor& executor, RedisOptions options, core::MetricsRegistry& metrics,
       const core::Clock& clock, core::Logger logger, bool subscriber)
      : strand_(asio::make_strand(executor)),
        options_(std::move(options)),
        logger_(std::move(logger)),
        subscriber_(subscriber),
        duration_(metrics
                      .AddHistogram("salesboost_redis_command_duration_seconds",
                                    "Redis commands from submission to reply", {}, core::DefaultLatencyBuckets())
                      .Get()),
        errors_(metrics.AddCounter("salesboost_redis_errors_total", "Redis command failures by kind", {"kind"})),
        breaker_gauge_(
            metrics.AddGauge("salesboost_redis_breaker_state", "The Redis breaker: 0 closed, 1 open, 2 half open")
                .Get()),
        reconnects_(
            metrics.AddCounter("salesboost_redis_reconnects_total", "Redis connections opened again after a loss")
                .Get()),
        failovers_(
            metrics.AddCounter("salesboost_redis_failovers_total", "Primary changes learnt from the sentinels").Get()),
        breaker_("redis", options_.breaker, clock, [this](resilience::BreakerState from, resilience::BreakerState to) {
          breaker_gauge_.Set(static_cast<std::int64_t>(to));
          logger_.Warn("redis breaker",
                       {{"from", resilience::BreakerStateName(from)}, {"to", resilience::BreakerStateName(to)}});
        }) {
    ParseUrl(options_.url, primary_, db_);
    if (!options_.sentinels.empty()) primary_known_ = false;
    const std::size_t count = subscriber_ ? 1 : std::max<std::size_t>(1, options_.pool_size);
    for (std::size_t i = 0; i < count; ++i) {
      auto conn = std::make_unique<Conn>(strand_);
      conn->index = static_cast<int>(i);
      conn->core = this;
      conns_.push_back(std::move(conn));
    }
  }

  ~Core() {
    // Normally Close() ran on the strand; this covers an executor that stopped first.
    CloseAll();
  }

  void Start() {
    asio::post(strand_, [self = shared_from_this()] {
      for (auto& conn : self->conns_) self->Connect(*conn);
      if (!self->options_.sentinels.empty()) self->Watch(0);
    });
  }

  void Close() {
    asio::post(strand_, [self = shared_from_this()] { self->CloseAll(); });
  }

  const RedisOptions& Options() const { return options_; }
  resilience::CircuitBreaker& Breaker() { return breaker_; }

  std::string PrimaryAddress() const {
    std::lock_guard lock(address_mutex_);
    return connected_address_;
  }

  asio::awaitable<Reply> Run(std::vector<std::string> args) {
    if (!breaker_.TryAcquire()) {
      errors_.With({"breaker_open"}).Inc();
      co_return Fail(ErrorCode::kUnavailable, "redis unavailable (breaker open)");
    }
    const auto started = SteadyClock::now();
    auto pending = std::make_shared<Pending>();
    pending->args = std::move(args);
    pending->done = std::make_shared<ReplyCompletion>();
    pending->core = shared_from_this();
    asio::post(strand_, [pending] { pending->core->Submit(pending); });
    auto reply = co_await pending->done->Wait();
    const auto elapsed = SteadyClock::now() - started;
    duration_.Observe(std::chrono::duration<double>(elapsed).count());
    const bool failed = !reply && reply.error().code == ErrorCode::kUnavailable;
    breaker_.Record(failed ? resilience::CallOutcome::kFailure : resilience::CallOutcome::kSuccess, elapsed);
    co_return reply;
  }

  // --- subscriber ---
  asio::awaitable<Result<void>> Subscribe(std::string channel, RedisSubscriber::MessageHandler handler) {
    auto done = std::make_shared<ReplyCompletion>();
    asio::post(strand_, [self = shared_from_this(), channel = std::move(channel), handler = std::move(handler),
                         done]() mutable { self->SubscribeOnStrand(channel, std::move(handler), done); });
    auto reply = co_await done->Wait();
    if (!reply) co_return Fail(reply.error());
    co_return core::Ok();
  }

  asio::awaitable<Result<void>> Unsubscribe(std::string channel) {
    auto done = std::make_shared<ReplyCompletion>();
    asio::post(strand_, [self = shared_from_this(), channel = std::move(channel), done] {
      self->UnsubscribeOnStrand(channel);
      ReplyCompletion::Set(done, RedisValue{});
    });
    auto reply = co_await done->Wait();
    if (!reply) co_return Fail(reply.error());
    co_return core::Ok();
  }

 private:
  // --- commands (strand) ---
  void Submit(const PendingPtr& pending) {
    if (closed_) {
      Finish(pending, Fail(ErrorCode::kUnavailable, "redis client closed"));
      return;
    }
    pending->timer.emplace(strand_);
    pending->timer->expires_after(options_.command_timeout);
    pending->timer->async_wait([pending](boost::system::error_code ec) {
      if (ec || pending->finished) return;
      Core& self = *pending->core;
      self.errors_.With({"timeout"}).Inc();
      self.Finish(pending, Fail(ErrorCode::kUnavailable, "redis command timed out"));
      if (pending->conn >= 0) {
        Conn& conn = *self.conns_[static_cast<std::size_t>(pending->conn)];
        if (conn.generation == pending->generation && conn.ac != nullptr) self.Drop(conn, "command timed out");
      }
    });
    Dispatch(pending);
  }

  void Dispatch(const PendingPtr& pending) {
    if (pending->finished) return;
    for (std::size_t tries = 0; tries < conns_.size(); ++tries) {
      Conn& conn = *conns_[next_++ % conns_.size()];
      if (conn.state != Conn::State::kReady || conn.ac == nullptr) continue;
      Send(conn, pending);
      return;
    }
    // A command that met READONLY waits (up to its deadline) for the new primary.
    if (AnyConnecting() || pending->redirects > 0) {
      waiting_.push_back(pending);
      return;
    }
    errors_.With({"connection"}).Inc();
    Finish(pending, Fail(ErrorCode::kUnavailable, "redis not connected"));
  }

  void Send(Conn& conn, const PendingPtr& pending) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& arg : pending->args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    pending->conn = conn.index;
    pending->generation = conn.generation;
    auto* holder = new PendingPtr(pending);
    if (redisAsyncCommandArgv(conn.ac, &Core::OnReply, holder, static_cast<int>(argv.size()), argv.data(),
                              lengths.data()) != REDIS_OK) {
      delete holder;
      errors_.With({"connection"}).Inc();
      Finish(pending, Fail(ErrorCode::kUnavailable, "redis connection not writable"));
    }
  }

  static void OnReply(redisAsyncContext* /*ac*/, void* reply_ptr, void* privdata) {
    std::unique_ptr<PendingPtr> holder(static_cast<PendingPtr*>(privdata));
    const PendingPtr& pending = *holder;
    if (pending->finished) return;
    Core& self = *pending->core;
    const auto* reply = static_cast<const redisReply*>(reply_ptr);
    if (reply == nullptr) {
      self.errors_.With({"connection"}).Inc();
      self.Finish(pending, Fail(ErrorCode::kUnavailable, "redis connection lost"));
      return;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      const std::string_view message(reply->str, reply->len);
      if (message.starts_with("READONLY") && !self.options_.sentinels.empty() && pending->redirects < 3) {
        // The primary became a replica: ask the sentinels again and follow.
        ++pending->redirects;
        self.errors_.With({"readonly"}).Inc();
        self.primary_known_ = false;
        const int index = pending->conn;
        const auto generation = pending->generation;
        asio::post(self.strand_, [pending, index, generation] {
          Core& core = *pending->core;
          Conn& conn = *core.conns_[static_cast<std::size_t>(index)];
          if (conn.generation == generation && conn.ac != nullptr) core.Drop(conn, "READONLY: failover");
          core.Dispatch(pending);
        });
        return;
      }
      if (!message.starts_with("NOSCRIPT")) self.errors_.With({"reply"}).Inc();
      self.Finish(pending, Fail(ErrorCode::kInternal, std::string(message)));
      return;
    }
    self.Finish(pending, Convert(reply));
  }

  void Finish(const PendingPtr& pending, Reply reply) {
    if (pending->finished) return;
    pending->finished = true;
    if (pending->timer) pending->timer->cancel();
    ReplyCompletion::Set(pending->done, std::move(reply));
  }

  bool AnyConnecting() const {
    return std::any_of(conns_.begin(), conns_.end(), [](const auto& conn) {
      return conn->state == Conn::State::kConnecting || conn->state == Conn::State::kResolving;
    });
  }

  // --- connections (strand) ---
  void Connect(Conn& conn) {
    if (closed_) return;
    if (!primary_known_) {
      conn.state = Conn::State::kResolving;
      if (!resolving_) AskSentinel(0);
      return;
    }
    Open(conn);
  }

  void Open(Conn& conn) {
    conn.state = Conn::State::kConnecting;
    conn.address = primary_;
    redisAsyncContext* ac = redisAsyncConnect(primary_.host.c_str(), primary_.port);
    if (ac == nullptr || ac->err != 0) {
      logger_.Warn("redis connect failed", {{"address", primary_.Text()}, {"error", ac ? ac->errstr : "no memory"}});
      if (ac != nullptr) redisAsyncFree(ac);
      Lost(conn);
      return;
    }
    ++conn.generation;
    conn.ac = ac;
    ac->data = &conn;
    AsioAdapter::Attach(strand_, ac);
    redisAsyncSetConnectCallback(ac, &Core::OnConnect);
    redisAsyncSetDisconnectCallback(ac, &Core::OnDisconnect);
    // The handshake, pipelined; the connection is ready when SETNAME answers OK.
    if (!options_.password.empty()) {
      const char* argv[] = {"AUTH", options_.password.c_str()};
      const std::size_t lengths[] = {4, options_.password.size()};
      redisAsyncCommandArgv(ac, &Core::OnHandshake, nullptr, 2, argv, lengths);
    }
    if (db_ != 0) {
      const std::string db = std::to_string(db_);
      const char* argv[] = {"SELECT", db.c_str()};
      const std::size_t lengths[] = {6, db.size()};
      redisAsyncCommandArgv(ac, &Core::OnHandshake, nullptr, 2, argv, lengths);
    }
    const std::string name = "salesboost:" + options_.instance_id;
    const char* argv[] = {"CLIENT", "SETNAME", name.c_str()};
    const std::size_t lengths[] = {6, 7, name.size()};
    redisAsyncCommandArgv(ac, &Core::OnHandshake, &conn, 3, argv, lengths);  // the last step
    conn.connect_timer.expires_after(options_.connect_timeout);
    conn.connect_timer.async_wait(
        [self = shared_from_this(), &conn, generation = conn.generation](boost::system::error_code ec) {
          if (ec || conn.generation != generation || conn.state != Conn::State::kConnecting || conn.ac == nullptr) {
            return;
          }
          self->errors_.With({"connect_timeout"}).Inc();
          self->Drop(conn, "connect timed out");
        });
  }

  static Conn* ConnOf(const redisAsyncContext* ac) { return static_cast<Conn*>(ac->data); }

  static void OnConnect(const redisAsyncContext* ac, int status) {
    Conn* conn = ConnOf(ac);
    if (conn == nullptr || status == REDIS_OK) return;
    // hiredis frees the context after this callback.
    Core& self = *conn->core;
    const_cast<redisAsyncContext*>(ac)->data = nullptr;
    conn->ac = nullptr;
    self.errors_.With({"connect"}).Inc();
    self.logger_.Warn("redis connect failed", {{"address", conn->address.Text()}, {"error", ac->errstr}});
    self.Lost(*conn);
  }

  static void OnDisconnect(const redisAsyncContext* ac, int /*status*/) {
    Conn* conn = ConnOf(ac);
    if (conn == nullptr) return;
    Core& self = *conn->core;
    const_cast<redisAsyncContext*>(ac)->data = nullptr;
    conn->ac = nullptr;
    self.logger_.Warn("redis connection lost", {{"address", conn->address.Text()}});
    self.Lost(*conn);
  }

  static void OnHandshake(redisAsyncContext* ac, void* reply_ptr, void* privdata) {
    Conn* conn = ConnOf(ac);
    if (conn == nullptr || reply_ptr == nullptr) return;
    Core& self = *conn->core;
    const auto* reply = static_cast<const redisReply*>(reply_ptr);
    if (reply->type == REDIS_REPLY_ERROR) {
      self.errors_.With({"handshake"}).Inc();
      self.logger_.Error("redis handshake refused", {{"error", std::string_view(reply->str, reply->len)}});
      Conn& c = *conn;
      asio::post(self.strand_, [core = self.shared_from_this(), &c, generation = c.generation] {
        if (c.generation == generation && c.ac != nullptr) core->Drop(c, "handshake refused");
      });
      return;
    }
    if (privdata != nullptr) self.Ready(*conn);
  }

  void Ready(Conn& conn) {
    conn.state = Conn::State::kReady;
    conn.connect_timer.cancel();
    conn.failures = 0;
    if (conn.was_ready) reconnects_.Inc();
    conn.was_ready = true;
    {
      std::lock_guard lock(address_mutex_);
      connected_address_ = conn.address.Text();
    }
    if (subscriber_) {
      for (const auto& [channel, handler] : channels_) SendSubscribe(conn, channel);
      return;
    }
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (const auto& pending : waiting) Dispatch(pending);
  }

  // Closes the connection on our side; pending callbacks run with no reply.
  void Drop(Conn& conn, std::string_view reason) {
    redisAsyncContext* ac = conn.ac;
    if (ac == nullptr) return;
    logger_.Warn("redis connection dropped", {{"address", conn.address.Text()}, {"reason", reason}});
    conn.ac = nullptr;
    ac->data = nullptr;
    redisAsyncFree(ac);
    Lost(conn);
  }

  void Lost(Conn& conn) {
    conn.state = Conn::State::kIdle;
    conn.connect_timer.cancel();
    if (!options_.sentinels.empty()) primary_known_ = false;
    if (closed_) return;
    ++conn.failures;
    // Commands waiting for a connection fail at once when none is on its way.
    if (!AnyConnecting()) {
      auto waiting = std::move(waiting_);
      waiting_.clear();
      for (const auto& pending : waiting) {
        if (pending->redirects > 0) {
          waiting_.push_back(pending);
          continue;
        }
        errors_.With({"connection"}).Inc();
        Finish(pending, Fail(ErrorCode::kUnavailable, "redis not connected"));
      }
    }
    const int shift = std::min(conn.failures - 1, 10);
    const auto delay = std::min(options_.reconnect_max, options_.reconnect_min * (1 << shift));
    conn.retry_timer.expires_after(delay);
    conn.retry_timer.async_wait([self = shared_from_this(), &conn](boost::system::error_code ec) {
      if (ec || self->closed_ || conn.state != Conn::State::kIdle) return;
      self->Connect(conn);
    });
  }

  void CloseAll() {
    if (closed_) return;
    closed_ = true;
    for (auto& conn : conns_) {
      conn->retry_timer.cancel();
      conn->connect_timer.cancel();
      if (redisAsyncContext* ac = conn->ac) {
        conn->ac = nullptr;
        ac->data = nullptr;
        redisAsyncFree(ac);
      }
      conn->state = Conn::State::kIdle;
    }
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (const auto& pending : waiting) Finish(pending, Fail(ErrorCode::kUnavailable, "redis client closed"));
    for (auto& [channel, acks] : acks_) {
      for (auto& ack : acks) {
        ack.timer->cancel();
        ReplyCompletion::Set(ack.done, Fail(ErrorCode::kUnavailable, "redis client closed"));
      }
    }
    acks_.clear();
    if (ask_) ask_->timer.cancel();
    ask_.reset();
    watch_timer_.cancel();
    if (redisAsyncContext* ac = std::exchange(watch_ac_, nullptr)) {
      ac->data = nullptr;
      redisAsyncFree(ac);
    }
  }

  // --- the sentinels' +switch-master announcements (strand) ---
  // A failover is followed as soon as a sentinel announces it, rather than
  // when the old primary, demoted later, first answers READONLY.
  void Watch(std::size_t index) {
    if (closed_) return;
    index %= options_.sentinels.size();
    const auto address = ParseHostPort(options_.sentinels[index]);
    redisAsyncContext* ac = address ? redisAsyncConnect(address->host.c_str(), address->port) : nullptr;
    if (ac == nullptr || ac->err != 0) {
      if (ac != nullptr) redisAsyncFree(ac);
      WatchLater(index + 1);
      return;
    }
    watch_ac_ = ac;
    watch_index_ = index;
    ac->data = this;
    AsioAdapter::Attach(strand_, ac);
    redisAsyncSetConnectCallback(ac, &Core::OnWatchConnect);
    redisAsyncSetDisconnectCallback(ac, &Core::OnWatchDisconnect);
    const char* argv[] = {"SUBSCRIBE", "+switch-master"};
    const std::size_t lengths[] = {9, 14};
    redisAsyncCommandArgv(ac, &Core::OnSwitchMaster, nullptr, 2, argv, lengths);
  }

  void WatchLater(std::size_t index) {
    watch_timer_.expires_after(options_.reconnect_max);
    watch_timer_.async_wait([self = shared_from_this(), index](boost::system::error_code ec) {
      if (!ec && !self->closed_) self->Watch(index);
    });
  }

  static void OnWatchConnect(const redisAsyncContext* ac, int status) {
    auto* self = static_cast<Core*>(ac->data);
    if (self == nullptr || status == REDIS_OK) return;
    const_cast<redisAsyncContext*>(ac)->data = nullptr;  // hiredis frees it after this callback
    self->watch_ac_ = nullptr;
    self->WatchLater(self->watch_index_ + 1);
  }

  static void OnWatchDisconnect(const redisAsyncContext* ac, int /*status*/) {
    auto* self = static_cast<Core*>(ac->data);
    if (self == nullptr) return;
    const_cast<redisAsyncContext*>(ac)->data = nullptr;
    self->watch_ac_ = nullptr;
    self->WatchLater(self->watch_index_ + 1);
  }

  // "<master> <old ip> <old port> <new ip> <new port>"
  static void OnSwitchMaster(redisAsyncContext* ac, void* reply_ptr, void* /*privdata*/) {
    auto* self = static_cast<Core*>(ac->data);
    const auto* reply = static_cast<const redisReply*>(reply_ptr);
    if (self == nullptr || reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
    if (reply->element[0]->type != REDIS_REPLY_STRING || reply->element[2]->type != REDIS_REPLY_STRING ||
        std::string_view(reply->element[0]->str, reply->element[0]->len) != "message") {
      return;
    }
    std::vector<std::string> words;
    std::string word;
    for (const char c : std::string_view(reply->element[2]->str, reply->element[2]->len)) {
      if (c == ' ') {
        words.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    words.push_back(std::move(word));
    if (words.size() != 5 || words[0] != self->options_.master_name) return;
    const auto primary = ParseHostPort(words[3] + ":" + words[4]);
    if (!primary) return;
    asio::post(self->strand_, [core = self->shared_from_this(), address = *primary] { core->Resolved(address); });
  }

  // --- sentinels (strand) ---
  void AskSentinel(std::size_t index) {
    if (closed_) return;
    resolving_ = true;
    if (index >= options_.sentinels.size()) {
      resolving_ = false;
      errors_.With({"sentinel"}).Inc();
      logger_.Warn("no sentinel named a primary", {{"master", options_.master_name}});
      for (auto& conn : conns_) {
        if (conn->state == Conn::State::kResolving) Lost(*conn);
      }
      return;
    }
    auto ask = std::make_shared<SentinelAsk>(strand_);
    ask->index = index;
    ask->core = shared_from_this();
    ask_ = ask;
    const auto address = ParseHostPort(options_.sentinels[index]);
    redisAsyncContext* ac = address ? redisAsyncConnect(address->host.c_str(), address->port) : nullptr;
    if (ac == nullptr || ac->err != 0) {
      if (ac != nullptr) redisAsyncFree(ac);
      AskSentinel(index + 1);
      return;
    }
    ask->ac = ac;
    AsioAdapter::Attach(strand_, ac);
    const char* argv[] = {"SENTINEL", "get-master-addr-by-name", options_.master_name.c_str()};
    const std::size_t lengths[] = {8, 23, options_.master_name.size()};
    redisAsyncCommandArgv(ac, &Core::OnSentinelReply, new std::shared_ptr<SentinelAsk>(ask), 3, argv, lengths);
    ask->timer.expires_after(options_.connect_timeout);
    ask->timer.async_wait([ask](boost::system::error_code ec) {
      if (ask->answered) return;
      ask->answered = true;
      if (redisAsyncContext* c = std::exchange(ask->ac, nullptr)) redisAsyncFree(c);
      if (!ec) ask->core->AskSentinel(ask->index + 1);
    });
  }

  static void OnSentinelReply(redisAsyncContext* ac, void* reply_ptr, void* privdata) {
    std::unique_ptr<std::shared_ptr<SentinelAsk>> holder(static_cast<std::shared_ptr<SentinelAsk>*>(privdata));
    auto ask = *holder;
    if (ask->answered) return;
    ask->answered = true;
    ask->timer.cancel();
    ask->ac = nullptr;
    const auto* reply = static_cast<const redisReply*>(reply_ptr);
    std::optional<Address> primary;
    if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
        reply->element[0]->type == REDIS_REPLY_STRING && reply->element[1]->type == REDIS_REPLY_STRING) {
      primary = ParseHostPort(std::string(reply->element[0]->str, reply->element[0]->len) + ":" +
                              std::string(reply->element[1]->str, reply->element[1]->len));
    }
    if (reply != nullptr) redisAsyncDisconnect(ac);
    Core& self = *ask->core;
    asio::post(self.strand_, [ask, primary] {
      Core& core = *ask->core;
      if (primary) {
        core.Resolved(*primary);
      } else {
        core.AskSentinel(ask->index + 1);
      }
    });
  }

  void Resolved(const Address& primary) {
    resolving_ = false;
    if (closed_) return;
    if (had_primary_ && !(primary == primary_)) {
      failovers_.Inc();
      logger_.Warn("redis primary moved", {{"from", primary_.Text()}, {"to", primary.Text()}});
      for (auto& conn : conns_) {
        if (conn->ac != nullptr && !(conn->address == primary)) Drop(*conn, "primary moved");
      }
    }
    primary_ = primary;
    had_primary_ = true;
    primary_known_ = true;
    for (auto& conn : conns_) {
      if (conn->state == Conn::State::kResolving) Open(*conn);
    }
  }

  // --- subscriptions (strand) ---
  void UnsubscribeOnStrand(const std::string& channel) {
    if (channels_.erase(channel) == 0) return;
    Conn& conn = *conns_.front();
    if (conn.state == Conn::State::kReady && conn.ac != nullptr) {
      const char* argv[] = {"UNSUBSCRIBE", channel.c_str()};
      const std::size_t lengths[] = {11, channel.size()};
      redisAsyncCommandArgv(conn.ac, nullptr, nullptr, 2, argv, lengths);
    }
  }

 public:
  void Forget(std::string channel) {
    asio::post(strand_,
               [self = shared_from_this(), channel = std::move(channel)] { self->UnsubscribeOnStrand(channel); });
  }

 private:
  void SubscribeOnStrand(const std::string& channel, RedisSubscriber::MessageHandler handler,
                         const std::shared_ptr<ReplyCompletion>& done) {
    if (closed_) {
      ReplyCompletion::Set(done, Fail(ErrorCode::kUnavailable, "redis subscriber closed"));
      return;
    }
    channels_[channel] = std::move(handler);
    Conn& conn = *conns_.front();
    if (conn.state != Conn::State::kReady || conn.ac == nullptr) {
      errors_.With({"connection"}).Inc();
      ReplyCompletion::Set(done, Fail(ErrorCode::kUnavailable, "redis subscriber not connected"));
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(strand_, options_.command_timeout);
    acks_[channel].push_back(Ack{done, timer});
    SendSubscribe(conn, channel);
    timer->async_wait([self = shared_from_this(), channel, done](boost::system::error_code ec) {
      if (ec) return;
      auto it = self->acks_.find(channel);
      if (it == self->acks_.end()) return;
      auto& list = it->second;
      const auto found = std::find_if(list.begin(), list.end(), [&](const Ack& ack) { return ack.done == done; });
      if (found == list.end()) return;
      list.erase(found);
      if (list.empty()) self->acks_.erase(it);
      self->errors_.With({"timeout"}).Inc();
      ReplyCompletion::Set(done, Fail(ErrorCode::kUnavailable, "redis subscribe timed out"));
    });
  }

  void SendSubscribe(Conn& conn, const std::string& channel) {
    const char* argv[] = {"SUBSCRIBE", channel.c_str()};
    const std::size_t lengths[] = {9, channel.size()};
    redisAsyncCommandArgv(conn.ac, &Core::OnMessage, nullptr, 2, argv, lengths);
  }

  static void OnMessage(redisAsyncContext* ac, void* reply_ptr, void* /*privdata*/) {
    Conn* conn = ConnOf(ac);
    const auto* reply = static_cast<const redisReply*>(reply_ptr);
    if (conn == nullptr || reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
    Core& self = *conn->core;
    if (reply->element[0]->type != REDIS_REPLY_STRING || reply->element[1]->type != REDIS_REPLY_STRING) return;
    const std::string_view kind(reply->element[0]->str, reply->element[0]->len);
    const std::string channel(reply->element[1]->str, reply->element[1]->len);
    if (kind == "message" && reply->element[2]->type == REDIS_REPLY_STRING) {
      const auto it = self.channels_.find(channel);
      if (it == self.channels_.end()) return;
      const std::string payload(reply->element[2]->str, reply->element[2]->len);
      const auto handler = it->second;  // a copy: the handler may unsubscribe
      handler(channel, payload);
    } else if (kind == "subscribe") {
      const auto it = self.acks_.find(channel);
      if (it == self.acks_.end()) return;
      for (const auto& ack : it->second) {
        ack.timer->cancel();
        ReplyCompletion::Set(ack.done, RedisValue{});
      }
      self.acks_.erase(it);
    } else if (kind == "unsubscribe" && self.channels_.contains(channel)) {
      // hiredis 0.14 forgets the channel's callback on this reply even when it
      // was subscribed again meanwhile: subscribe once more.
      Conn& c = *conn;
      asio::post(self.strand_, [core = self.shared_from_this(), &c, channel, generation = c.generation] {
        if (c.generation == generation && c.ac != nullptr && core->channels_.contains(channel)) {
          core->SendSubscribe(c, channel);
        }
      });
    }
  }

  asio::strand<asio::any_io_executor> strand_;
  const RedisOptions options_;
  core::Logger logger_;
  const bool subscriber_;
  core::Histogram& duration_;
  core::Family<core::Counter>& errors_;
  core::Gauge& breaker_gauge_;
  core::Counter& reconnects_;
  core::Counter& failovers_;
  resilience::CircuitBreaker breaker_;

  // Touched on the strand only.
  std::vector<std::unique_ptr<Conn>> conns_;
  std::deque<PendingPtr> waiting_;  // commands waiting for a connection
  std::size_t next_ = 0;
  bool closed_ = false;
  Address primary_;
  int db_ = 0;
  bool primary_known_ = true;
  bool had_primary_ = false;
  bool resolving_ = false;
  std::shared_ptr<SentinelAsk> ask_;
  redisAsyncContext* watch_ac_ = nullptr;  // subscribed to +switch-master on a sentinel
  std::size_t watch_index_ = 0;
  asio::steady_timer watch_timer_{strand_};
  std::map<std::string, RedisSubscriber::MessageHandler> channels_;
  struct Ack {
    std::shared_ptr<ReplyCompletion> done;
    std::shared_ptr<asio::steady_timer> timer;
  };
  std::map<std::string, std::vector<Ack>> acks_;  // subscriptions waiting for the server's confirmation

  mutable std::mutex address_mutex_;
  std::string connected_address_;  // guarded by address_mutex_
};

}  // namespace redis_detail

RedisClient::RedisClient(const asio::any_io_executor& executor, RedisOptions options, core::MetricsRegistry& metrics,
                         const core::Clock& clock, core::Logger logger)
    : core_(std::make_shared<redis_detail::Core>(executor, std::move(options), metrics, clock, std::move(logger),
                                                 false)) {
  core_->Start();
}

RedisClient::~RedisClient() { core_->Close(); }

asio::awaitable<Result<RedisValue>> RedisClient::Command(std::vector<std::string> args) {
  co_return co_await core_->Run(std::move(args));
}

asio::awaitable<Result<RedisValue>> RedisClient::Eval(const RedisScript& script, std::vector<std::string> keys,
                                                      std::vector<std::string> args) {
  std::vector<std::string> command{"EVALSHA", script.Sha1(), std::to_string(keys.size())};
  for (auto& key : keys) command.push_back(std::move(key));
  for (auto& arg : args) command.push_back(std::move(arg));
  auto reply = co_await core_->Run(command);
  if (reply || !reply.error().message.starts_with("NOSCRIPT")) co_return reply;
  command[0] = "EVAL";
  command[1] = script.Source();
  co_return co_await core_->Run(std::move(command));
}

const std::string& RedisClient::InstanceId() const { return core_->Options().instance_id; }

resilience::BreakerState RedisClient::BreakerState() const { return core_->Breaker().State(); }

std::string RedisClient::PrimaryAddress() const { return core_->PrimaryAddress(); }

RedisSubscriber::RedisSubscriber(const asio::any_io_executor& executor, RedisOptions options,
                                 core::MetricsRegistry& metrics, const core::Clock& clock, core::Logger logger)
    : core_(
          std::make_shared<redis_detail::Core>(executor, std::move(options), metrics, clock, std::move(logger), true)) {
  core_->Start();
}

RedisSubscriber::~RedisSubscriber() { core_->Close(); }

asio::awaitable<Result<void>> RedisSubscriber::Subscribe(std::string channel, MessageHandler handler) {
  co_return co_await core_->Subscribe(std::move(channel), std::move(handler));
}

void RedisSubscriber::Forget(std::string channel) { core_->Forget(std::move(channel)); }

asio::awaitable<Result<void>> RedisSubscriber::Unsubscribe(std::string channel) {
  co_return co_await core_->Unsubscribe(std::move(channel));
}

}  // namespace salesboost::infra
