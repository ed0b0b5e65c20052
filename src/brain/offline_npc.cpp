#include "brain/offline_npc.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "brain/customer/customer_policy.hpp"
#include "core/utf8.hpp"

namespace salesboost::brain {

using conversation::NpcReply;
using conversation::TurnContext;

std::vector<std::string> SplitDeltas(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  int cjk = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = core::Utf8SequenceLength(text.substr(i));
    if (n == 0) n = 1;
    const std::string_view piece = text.substr(i, n);
    i += n;
    current.append(piece);
    if (n >= 3) {  // CJK and other wide scripts: two characters a delta
      if (++cjk == 2) out.push_back(std::exchange(current, {})), cjk = 0;
    } else if (piece == " ") {
      out.push_back(std::exchange(current, {}));
      cjk = 0;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

NpcReply OfflineNpc::Decide(const TurnContext& turn) { return customer::DecideReply(turn); }

boost::asio::awaitable<core::Result<NpcReply>> OfflineNpc::Reply(const TurnContext& turn,
                                                                 conversation::DeltaSink& sink) {
  NpcReply reply = Decide(turn);
  std::optional<boost::asio::steady_timer> pause;
  if (options_.delta_interval.count() > 0) pause.emplace(co_await boost::asio::this_coro::executor);
  bool first = true;
  for (auto& delta : SplitDeltas(reply.text)) {
    if (pause && !first) {
      pause->expires_after(options_.delta_interval);
      co_await pause->async_wait(boost::asio::use_awaitable);  // throws when the turn is cancelled
    }
    first = false;
    co_await sink.Delta(std::move(delta));
  }
  co_return reply;
}

}  // namespace salesboost::brain
