// TurnLedger: the turn de-duplication memory, which outlives sockets and
// restarts. It answers "has this turn_id of this session been answered?".
// The coordinator keeps running and queued turns in memory (it owns the
// session); the ledger is asked before a turn is accepted. StoreTurnLedger
// reads the event log itself (a turn is committed when its turn.done is
// stored, in the same transaction as the rest of the turn); a Redis front
// (SET NX EX) implements the same port when instances scale out.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "conversation/session_store.hpp"
#include "core/result.hpp"

namespace salesboost::conversation {

struct TurnRecord {
  enum class State { kUnknown, kCommitted, kAborted };
  State state = State::kUnknown;
  std::int64_t first_seq = 0;  // kCommitted: the turn's events are first_seq..last_seq
  std::int64_t last_seq = 0;
};

class TurnLedger {
 public:
  virtual ~TurnLedger() = default;
  // The latest attempt of `turn_id` in the session.
  virtual boost::asio::awaitable<core::Result<TurnRecord>> Find(std::string session_id, std::string turn_id) = 0;
};

class StoreTurnLedger final : public TurnLedger {
 public:
  explicit StoreTurnLedger(SessionStore& sessions) : sessions_(sessions) {}
  boost::asio::awaitable<core::Result<TurnRecord>> Find(std::string session_id, std::string turn_id) override;

 private:
  SessionStore& sessions_;
};

}  // namespace salesboost::conversation
