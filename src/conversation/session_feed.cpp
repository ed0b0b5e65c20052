#include "conversation/session_feed.hpp"

#include <algorithm>
#include <mutex>

namespace salesboost::conversation {
namespace {

// The events a join must send after the stored pages: the live buffer's copy,
// merged by seq (the stored log may already hold some of them).
std::vector<Event> BySeq(std::vector<Event> events) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
  events.erase(std::unique(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.seq == b.seq; }),
               events.end());
  return events;
}

}  // namespace

// Delivers a session's events to one subscriber exactly once each, in seq
// order. While a join replays stored events, live ones wait in `pending_`.
class SessionFeed::Subscription final : public EventSink {
 public:
  explicit Subscription(std::shared_ptr<FeedSubscriber> subscriber) : subscriber_(std::move(subscriber)) {}

  void BeginReplay(std::int64_t last_seq) {
    std::lock_guard lock(mutex_);
    delivered_ = last_seq;
    replaying_ = true;
    pending_.clear();
  }

  void ReplayChunk(const std::vector<Event>& events) {
    std::lock_guard lock(mutex_);
    SendLocked(events);
  }

  // The rest of the replay, then everything that arrived live meanwhile.
  void FinishReplay(const std::vector<Event>& replayed) {
    std::lock_guard lock(mutex_);
    SendLocked(replayed);
    SendLocked(pending_);
    std::vector<Event>().swap(pending_);
    replaying_ = false;
  }

  void Deliver(const std::vector<Event>& events) override {
    std::lock_guard lock(mutex_);
    if (replaying_) {
      pending_.insert(pending_.end(), events.begin(), events.end());
      return;
    }
    SendLocked(events);
  }

  void Replaced() override { subscriber_->Replaced(); }

  // The joined session; touched only by the connection's Join and Leave, one at a time.
  std::string session_id;

 private:
  void SendLocked(const std::vector<Event>& events) {
    for (const auto& event : events) {
      if (event.seq <= delivered_) continue;  // already delivered (replay and live overlap)
      delivered_ = event.seq;
      subscriber_->Send(event);
    }
  }

  std::shared_ptr<FeedSubscriber> subscriber_;
  std::mutex mutex_;
  std::int64_t delivered_ = 0;  // guarded by mutex_
  bool replaying_ = false;      // guarded by mutex_
  std::vector<Event> pending_;  // guarded by mutex_ (a vector: nothing allocated while empty)
};

SessionFeed::SessionFeed(FeedOptions options, SessionService& sessions, TurnCoordinator& coordinator, SessionHub& hub,
                         LiveBuffer& live)
    : options_(options), sessions_(sessions), coordinator_(coordinator), hub_(hub), live_(live) {}

std::shared_ptr<SessionFeed::Subscription> SessionFeed::Subscribe(std::shared_ptr<FeedSubscriber> subscriber) {
  return std::make_shared<Subscription>(std::move(subscriber));
}

boost::asio::awaitable<core::Result<void>> SessionFeed::Join(identity::Principal who, std::string session_id,
                                                             std::int64_t last_seq,
                                                             std::shared_ptr<Subscription> subscription) {
  auto session = co_await sessions_.Get(who, session_id);
  if (!session) co_return core::Fail(session.error());
  if (auto recovered = co_await coordinator_.Recover(*session); !recovered) co_return core::Fail(recovered.error());
  if (!subscription->session_id.empty() && subscription->session_id != session_id) {
    // Best effort: a subscriber left behind is replaced or expires on its own.
    [[maybe_unused]] auto left = co_await hub_.Detach(subscription->session_id, subscription.get());
  }
  subscription->session_id = session_id;
  std::int64_t after = last_seq;
  subscription->BeginReplay(after);
  // From here on, live events queue up behind the replay.
  if (auto attached = co_await hub_.Attach(session_id, subscription); !attached) {
    subscription->FinishReplay({});
    co_return core::Fail(attached.error());
  }
  auto live = co_await live_.Read(session_id, after);
  if (!live) {
    subscription->FinishReplay({});
    co_return core::Fail(live.error());
  }
  for (;;) {
    auto page = co_await sessions_.Events(who, session_id, after, options_.replay_page);
    if (!page) {
      subscription->FinishReplay({});
      co_return core::Fail(page.error());
    }
    if (page->empty()) break;
    after = page->back().seq;
    subscription->ReplayChunk(*page);
  }
  subscription->FinishReplay(BySeq(std::move(*live)));
  co_return core::Ok();
}

boost::asio::awaitable<void> SessionFeed::Leave(std::shared_ptr<Subscription> subscription) {
  if (subscription->session_id.empty()) co_return;
  [[maybe_unused]] auto left = co_await hub_.Detach(subscription->session_id, subscription.get());
}

}  // namespace salesboost::conversation
