// StoreTurnLedger: the TurnLedger read from the event log (a turn is committed
// when its turn.done is stored, in the same transaction as the rest of the
// turn). Thread-safe.
#pragma once

#include "conversation/session_store.hpp"
#include "conversation/turn_ledger.hpp"

namespace salesboost::conversation {

class StoreTurnLedger final : public TurnLedger {
 public:
  explicit StoreTurnLedger(SessionStore& sessions) : sessions_(sessions) {}
  boost::asio::awaitable<core::Result<TurnRecord>> Find(std::string session_id, std::string turn_id) override;

 private:
  SessionStore& sessions_;
};

}  // namespace salesboost::conversation
