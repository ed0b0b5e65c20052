// TurnLedger: the turn de-duplication memory, which outlives sockets and
// restarts. It answers "has this turn_id of this session been answered?".
// The coordinator keeps running and queued turns in memory (it owns the
// session); the ledger is asked before a turn is accepted. StoreTurnLedger
// (store_turn_ledger.hpp) reads the event log itself; a Redis front (SET NX
// EX) implements the same port when instances scale out. Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace salesboost::conversation {

struct TurnRecord {
  // kRunning: another instance has claimed this turn_id and runs it now (a
  // distributed ledger only); its events reach the session's subscriber.
  enum class State { kUnknown, kCommitted, kAborted, kRunning };
  State state = State::kUnknown;
  std::int64_t first_seq = 0;  // kCommitted: the turn's events are first_seq..last_seq
  std::int64_t last_seq = 0;
};

class TurnLedger {
 public:
  virtual ~TurnLedger() = default;
  // The latest attempt of `turn_id` in the session. A distributed ledger also
  // claims an unknown or aborted turn_id for the caller, so that the same
  // turn_id sent to two instances at once runs once.
  virtual boost::asio::awaitable<core::Result<TurnRecord>> Find(std::string session_id, std::string turn_id) = 0;
};

}  // namespace salesboost::conversation
