#include "conversation/store_turn_ledger.hpp"

namespace salesboost::conversation {

boost::asio::awaitable<core::Result<TurnRecord>> StoreTurnLedger::Find(std::string session_id, std::string turn_id) {
  auto marks = co_await sessions_.TurnMarks(std::move(session_id), std::move(turn_id));
  if (!marks) co_return core::Fail(marks.error());
  TurnRecord record;
  for (const auto& mark : *marks) {  // oldest first: the last attempt wins
    if (mark.type == TurnStarted::kType) {
      record = TurnRecord{.state = TurnRecord::State::kUnknown, .first_seq = mark.seq, .last_seq = 0};
    } else if (mark.type == TurnDone::kType) {
      record.state = TurnRecord::State::kCommitted;
      record.last_seq = mark.seq;
    } else if (mark.type == TurnAborted::kType) {
      record.state = TurnRecord::State::kAborted;
      record.last_seq = mark.seq;
    }
  }
  co_return record;
}

}  // namespace salesboost::conversation
