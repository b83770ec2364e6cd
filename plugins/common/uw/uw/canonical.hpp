// Canonical UW fields (symbol, option, side, size, price, premium, time...) extracted once per event.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flowmind/event.hpp"
#include "uw/occ.hpp"

namespace flowmind::uw {

// What a channel carries, from its name: "flow-alerts", "option_trades[:T]", "off_lit_trades"
// (also "darkpool..." for REST dark-pool records), "lit_trades", "price:T", "news",
// "congress..." (REST congress records), "gex...". Anything else is `other` and is read by the
// same field names.
enum class ChannelKind : std::uint8_t {
  flow_alert,
  option_trade,
  off_lit_trade,
  lit_trade,
  price,
  news,
  congress,
  gex,
  other
};
const char* to_string(ChannelKind kind);
ChannelKind classify_channel(std::string_view channel);
// The ticker after the ':' of "price:SPY", "option_trades:SPY", "gex:SPY" (empty when none).
std::string_view channel_ticker(std::string_view channel);

enum class Side : std::uint8_t { unknown, buy, sell };
const char* to_string(Side side);  // "buy", "sell", "unknown"

// Buy when the ask-side amount is at least `ratio` (>= 1) times the bid-side one and larger than
// it; sell the other way round; unknown otherwise (both zero, or neither dominates).
Side side_from_amounts(double ask_side, double bid_side, double ratio);

// The canonical fields, for counting what could not be read.
enum class Field : std::uint8_t {
  payload,  // the payload is not a JSON object (nothing else could be read)
  symbol,
  option_symbol,
  option_kind,
  strike,
  expiry,
  side,
  size,
  price,
  premium,
  executed_at,
  has_sweep,
  ask_side_premium,
  bid_side_premium,
  tags,
  exchange,
  volume,
  quote,  // bid / ask / nbbo_bid / nbbo_ask
  transaction_date,
  filed_date,
  tickers,
};
inline constexpr std::size_t field_count = static_cast<std::size_t>(Field::tickers) + 1;
const char* field_name(Field field);  // snake_case, as in counter names ("unreadable_premium")

using FieldMask = std::uint32_t;
constexpr FieldMask mask(Field field) { return FieldMask{1} << static_cast<unsigned>(field); }
template <typename... Fields>
constexpr FieldMask mask(Field first, Fields... rest) {
  return (mask(first) | ... | mask(rest));
}

// Up to 31 characters kept inline, so extracting fields allocates nothing for symbols.
class ShortText {
 public:
  static constexpr std::size_t capacity = 31;
  bool assign(std::string_view text) {
    if (text.size() > capacity) return false;
    std::memcpy(data_.data(), text.data(), text.size());
    size_ = static_cast<std::uint8_t>(text.size());
    return true;
  }
  [[nodiscard]] std::string_view view() const { return {data_.data(), size_}; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  void to_upper() {
    for (std::size_t i = 0; i < size_; ++i) {
      if (data_[i] >= 'a' && data_[i] <= 'z') data_[i] = static_cast<char>(data_[i] - 'a' + 'A');
    }
  }

 private:
  std::array<char, capacity> data_{};
  std::uint8_t size_ = 0;
};

// Bits of an option trade's `tags`.
enum Tag : std::uint8_t { tag_ask_side = 1, tag_bid_side = 2, tag_bullish = 4, tag_bearish = 8, tag_sweep = 16 };

// Everything the UW filters read, parsed once from the raw payload. Absent, null and "" values
// stay empty; present values that cannot be read stay empty and set their bit in `unreadable`.
// Field names read (first readable one wins):
//   symbol          ticker, underlying_symbol, symbol; else the channel's ":TICKER"; else the
//                   first of `tickers` (news); else the OCC root. Upper-cased.
//   option_symbol   option_chain, option_symbol (OCC; also gives kind, strike and expiry)
//   option_kind     option_type ("call"/"put"/"C"/"P"), else the OCC symbol
//   strike, expiry  strike; expiry, expiration_date; else the OCC symbol
//   size            size, total_size          price     price, close
//   premium         premium, total_premium; else price x size (x 100 for options)
//   executed_at     executed_at, time, timestamp, tape_time, end_time, start_time, created_at,
//                   else transaction_date (congress)
//   side            tags (ask_side/bid_side), side, txn_type (congress), total_ask_side_prem vs
//                   total_bid_side_prem (flow alerts, simple majority), ask_vol vs bid_vol,
//                   else price at/above the ask (buy) or at/below the bid (sell)
struct CanonicalFields {
  ChannelKind channel_kind = ChannelKind::other;
  bool payload_ok = false;  // the payload is a JSON object (or a UW ["channel", {...}] message)
  ShortText symbol;
  ShortText option_symbol;
  OptionKind option_kind = OptionKind::none;
  std::optional<double> strike;
  std::optional<std::int64_t> expiry_day;  // days since 1970-01-01
  Side side = Side::unknown;
  std::optional<double> size;
  std::optional<double> price;
  std::optional<double> premium;  // the trade's value in dollars
  bool premium_computed = false;  // premium = price x size (x 100), the payload had none
  std::optional<std::int64_t> executed_at_ms;
  std::optional<bool> has_sweep;
  std::optional<double> ask_side_premium;
  std::optional<double> bid_side_premium;
  std::optional<double> ask_volume;
  std::optional<double> bid_volume;
  std::uint8_t tags = 0;  // Tag bits
  ShortText exchange;     // exchange, market_center
  std::optional<double> volume;
  std::optional<double> bid;  // nbbo_bid, bid
  std::optional<double> ask;  // nbbo_ask, ask
  std::optional<std::int64_t> transaction_day;
  std::optional<std::int64_t> filed_day;
  std::vector<std::string> tickers;  // news (at most max_tickers)
  FieldMask unreadable = 0;

  static constexpr std::size_t max_tickers = 64;

  [[nodiscard]] bool is_option() const {
    return channel_kind == ChannelKind::flow_alert || channel_kind == ChannelKind::option_trade ||
           !option_symbol.empty() || option_kind != OptionKind::none;
  }
  [[nodiscard]] bool has_tag(Tag tag) const { return (tags & tag) != 0; }
  [[nodiscard]] bool is_unreadable(Field field) const { return (unreadable & mask(field)) != 0; }
};

// Extracts the fields from a raw payload without building a DOM. Never throws on bad input.
CanonicalFields extract_canonical(std::string_view channel, std::string_view raw_payload);

// The attachment key under which canonical() stores the fields on an event. Every UW plugin
// carries its own copy of this library, so the key names the layout version: change the number
// whenever CanonicalFields changes, and plugins built from different versions simply extract
// their own copy instead of misreading each other's.
inline constexpr std::string_view canonical_key = "uw.canonical/1";

// The event's canonical fields: the attached ones when an earlier filter extracted them,
// otherwise extracted now and attached for the filters after this one.
const CanonicalFields& canonical(Event& event);

}  // namespace flowmind::uw
