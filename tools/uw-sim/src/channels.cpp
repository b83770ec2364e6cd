// UW channel names: the documented list and the ticker-scoped patterns.
#include "channels.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace flowmind::uwsim {
namespace {

constexpr std::array kPlainChannels = {"flow-alerts",   "option_trades",     "off_lit_trades", "lit_trades",
                                       "news",          "market_tide",       "net_flow",       "interval_flow",
                                       "trading_halts", "contract_screener", "custom_alerts"};
constexpr std::array kScopedChannels = {"price", "gex", "gex_strike", "gex_strike_expiry", "option_trades"};

bool plausible_ticker(const std::string& ticker) {
  return !ticker.empty() && ticker.size() <= 10 && std::all_of(ticker.begin(), ticker.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_scoped_channel(const std::string& channel) {
  const auto colon = channel.find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto base = channel.substr(0, colon);
  auto ticker = channel.substr(colon + 1);
  if (std::find(kScopedChannels.begin(), kScopedChannels.end(), base) == kScopedChannels.end()) return std::nullopt;
  if (!plausible_ticker(ticker)) return std::nullopt;
  return std::pair{std::move(base), std::move(ticker)};
}

bool is_known_channel(const std::string& channel) {
  if (std::find(kPlainChannels.begin(), kPlainChannels.end(), channel) != kPlainChannels.end()) return true;
  return split_scoped_channel(channel).has_value();
}

}  // namespace flowmind::uwsim
