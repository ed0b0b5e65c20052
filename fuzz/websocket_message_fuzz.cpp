// A client's text message on /ws as the WebSocket API decodes it
// (api::ParseClientMessage), with the invariants the handler relies on.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "api/client_message.hpp"
#include "core/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = salesboost::api::ParseClientMessage(text);
  if (!message) {
    SB_CHECK(!message.error().message.empty());
    SB_CHECK(message.error().close || !message.error().code.empty());
    return 0;
  }
  if (const auto* join = std::get_if<salesboost::api::JoinMessage>(&*message)) {
    SB_CHECK(!join->session_id.empty() && join->session_id.size() <= 64 && join->last_seq >= 0);
  } else if (const auto* turn = std::get_if<salesboost::api::TurnMessage>(&*message)) {
    SB_CHECK(!turn->turn_id.empty());
  }
  return 0;
}
