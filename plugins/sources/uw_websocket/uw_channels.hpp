// The UW WebSocket channel names: which ones are known, and the join/leave frames for them.
#pragma once

#include <string>
#include <string_view>

namespace flowmind::uw_websocket {

// True for the documented names (flow-alerts, off_lit_trades, news, ...) and the ticker-scoped
// ones with a plausible ticker (price:SPY, gex_strike_expiry:AAPL, option_trades:BRK.B, ...).
bool known_channel(std::string_view name);

// `{"channel":"<name>","msg_type":"join"}` and the same with "leave".
std::string join_frame(std::string_view channel);
std::string leave_frame(std::string_view channel);

}  // namespace flowmind::uw_websocket
