// The UW WebSocket channel names: which ones are known, and the join/leave frames for them.
#include "uw_channels.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

namespace flowmind::uw_websocket {
namespace {

constexpr std::array<std::string_view, 11> plain_channels = {
    "flow-alerts", "option_trades", "off_lit_trades", "lit_trades",        "news",         "market_tide",
    "net_flow",    "interval_flow", "trading_halts",  "contract_screener", "custom_alerts"};
constexpr std::array<std::string_view, 5> ticker_channels = {"option_trades", "price", "gex", "gex_strike",
                                                             "gex_strike_expiry"};

// Upper-case letters and digits, with '.', '/' or '-' inside (BRK.B, BF/B), at most 10 characters.
bool plausible_ticker(std::string_view ticker) {
  if (ticker.empty() || ticker.size() > 10) return false;
  if (!std::isupper(static_cast<unsigned char>(ticker.front())) &&
      !std::isdigit(static_cast<unsigned char>(ticker.front()))) {
    return false;
  }
  return std::all_of(ticker.begin(), ticker.end(), [](unsigned char c) {
    return std::isupper(c) != 0 || std::isdigit(c) != 0 || c == '.' || c == '/' || c == '-';
  });
}

std::string frame(std::string_view channel, const char* type) {
  return nlohmann::json{{"channel", std::string(channel)}, {"msg_type", type}}.dump();
}

}  // namespace

bool known_channel(std::string_view name) {
  if (std::find(plain_channels.begin(), plain_channels.end(), name) != plain_channels.end()) return true;
  const auto colon = name.find(':');
  if (colon == std::string_view::npos) return false;
  const auto prefix = name.substr(0, colon);
  return std::find(ticker_channels.begin(), ticker_channels.end(), prefix) != ticker_channels.end() &&
         plausible_ticker(name.substr(colon + 1));
}

std::string join_frame(std::string_view channel) { return frame(channel, "join"); }
std::string leave_frame(std::string_view channel) { return frame(channel, "leave"); }

}  // namespace flowmind::uw_websocket
