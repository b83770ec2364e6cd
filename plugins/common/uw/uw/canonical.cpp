// Extraction of the canonical UW fields: one scan of the payload's members, then resolution.
#include "uw/canonical.hpp"

#include <cmath>
#include <cstring>
#include <initializer_list>

#include "uw/json_scan.hpp"
#include "uw/time.hpp"
#include "uw/values.hpp"

namespace flowmind::uw {
namespace {

// Payload members the extraction looks at. The scan only records where each one is; the
// resolution step reads them in priority order.
#define FLOWMIND_UW_SLOTS(X)                                                                                         \
  X(ticker)                                                                                                          \
  X(underlying_symbol)                                                                                               \
  X(symbol)                                                                                                          \
  X(option_chain)                                                                                                    \
  X(option_symbol)                                                                                                   \
  X(option_type) X(strike) X(expiry) X(expiration_date) X(side) X(tags) X(size) X(total_size) X(price) X(close)      \
      X(premium) X(total_premium) X(executed_at) X(time) X(timestamp) X(tape_time) X(end_time) X(start_time)         \
          X(created_at) X(has_sweep) X(total_ask_side_prem) X(total_bid_side_prem) X(ask_vol) X(bid_vol) X(exchange) \
              X(market_center) X(volume) X(vol) X(nbbo_bid) X(nbbo_ask) X(bid) X(ask) X(transaction_date)            \
                  X(filed_at_date) X(txn_type) X(tickers)

enum class Slot : std::uint8_t {
#define FLOWMIND_UW_ENUM(name) name,
  FLOWMIND_UW_SLOTS(FLOWMIND_UW_ENUM)
#undef FLOWMIND_UW_ENUM
      count,
  none
};

// A name comparison with the length known at compile time, so it compiles to a few loads
// instead of a call to memcmp.
template <std::size_t N>
bool same_name(std::string_view key, const char (&name)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), name, N - 1) == 0;
}

Slot slot_of(std::string_view key) {
  switch (name_code(key)) {
#define FLOWMIND_UW_CASE(name) \
  case name_code(#name): return same_name(key, #name) ? Slot::name : Slot::none;
    FLOWMIND_UW_SLOTS(FLOWMIND_UW_CASE)
#undef FLOWMIND_UW_CASE
    default: return Slot::none;
  }
}

class Slots {
 public:
  [[nodiscard]] const JsonView& operator[](Slot slot) const { return views_[static_cast<std::size_t>(slot)]; }
  JsonView& operator[](Slot slot) { return views_[static_cast<std::size_t>(slot)]; }

 private:
  std::array<JsonView, static_cast<std::size_t>(Slot::count)> views_{};
};

// The first readable value among `order`; marks `field` unreadable when something was there but
// nothing could be read.
template <typename T, typename Reader>
std::optional<T> resolve(const Slots& slots, std::initializer_list<Slot> order, Field field, FieldMask& unreadable,
                         Reader read) {
  bool bad = false;
  for (Slot slot : order) {
    const auto result = read(slots[slot]);
    if (result.ok()) return result.value;
    if (result.status == ReadStatus::unreadable) bad = true;
  }
  if (bad) unreadable |= mask(field);
  return std::nullopt;
}

std::optional<double> resolve_number(const Slots& slots, std::initializer_list<Slot> order, Field field,
                                     FieldMask& unreadable) {
  return resolve<double>(slots, order, field, unreadable, [](const JsonView& v) { return read_number(v); });
}

bool symbol_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == '/' || c == '^' || c == '_';
}

// A ticker: 1-31 of letters, digits and . - / ^ _ (BRK.B, BF/B, ^VIX).
Read<std::string_view> read_symbol(const JsonView& value, std::string& scratch) {
  const auto text = read_text(value, scratch);
  if (!text.ok()) return text;
  if (text.value.size() > ShortText::capacity) return Read<std::string_view>::unreadable();
  for (char c : text.value) {
    if (!symbol_char(c)) return Read<std::string_view>::unreadable();
  }
  return text;
}

bool assign_symbol(ShortText& target, std::string_view text) {
  if (!target.assign(text)) return false;
  target.to_upper();
  return true;
}

Read<OptionKind> read_option_kind(const JsonView& value, std::string& scratch) {
  const auto text = read_text(value, scratch);
  if (!text.ok()) return {text.status, OptionKind::none};
  const auto t = text.value;
  if (iequals(t, "call") || iequals(t, "c") || iequals(t, "calls")) return Read<OptionKind>::of(OptionKind::call);
  if (iequals(t, "put") || iequals(t, "p") || iequals(t, "puts")) return Read<OptionKind>::of(OptionKind::put);
  return Read<OptionKind>::unreadable();
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

Read<Side> read_side_text(const JsonView& value, std::string& scratch) {
  const auto text = read_text(value, scratch);
  if (!text.ok()) return {text.status, Side::unknown};
  const auto t = text.value;
  if (iequals(t, "buy") || iequals(t, "b") || iequals(t, "bought") || iequals(t, "ask") || iequals(t, "ask_side") ||
      iequals(t, "a")) {
    return Read<Side>::of(Side::buy);
  }
  if (iequals(t, "sell") || iequals(t, "s") || iequals(t, "sold") || iequals(t, "bid") || iequals(t, "bid_side")) {
    return Read<Side>::of(Side::sell);
  }
  if (iequals(t, "mid") || iequals(t, "mid_side") || iequals(t, "no_side") || iequals(t, "unknown") ||
      iequals(t, "none")) {
    return Read<Side>::of(Side::unknown);
  }
  return Read<Side>::unreadable();
}

// Congress txn_type: "Buy", "Purchase", "Sell", "Sale", "Sell (partial)", "Sale (Full)",
// "Exchange", "Receive"... Only buys and sells have a side.
Read<Side> read_transaction_type(const JsonView& value, std::string& scratch) {
  const auto text = read_text(value, scratch);
  if (!text.ok()) return {text.status, Side::unknown};
  const auto t = text.value;
  if (starts_with_nocase(t, "buy") || starts_with_nocase(t, "purchase")) return Read<Side>::of(Side::buy);
  if (starts_with_nocase(t, "sell") || starts_with_nocase(t, "sale")) return Read<Side>::of(Side::sell);
  return Read<Side>::of(Side::unknown);
}

void read_tags(const JsonView& value, CanonicalFields& out) {
  if (value.type == JsonType::missing || value.type == JsonType::null) return;
  if (value.type != JsonType::array) {
    out.unreadable |= mask(Field::tags);
    return;
  }
  ArrayCursor cursor(value.text);
  JsonView item;
  while (cursor.next(item)) {
    if (item.type != JsonType::string) {
      out.unreadable |= mask(Field::tags);
      continue;
    }
    const auto tag = item.text;
    if (tag == "ask_side") out.tags |= tag_ask_side;
    if (tag == "bid_side") out.tags |= tag_bid_side;
    if (tag == "bullish") out.tags |= tag_bullish;
    if (tag == "bearish") out.tags |= tag_bearish;
    if (tag == "sweep") out.tags |= tag_sweep;
  }
  if (!cursor.ok()) out.unreadable |= mask(Field::tags);
}

void read_tickers(const JsonView& value, CanonicalFields& out) {
  if (value.type == JsonType::missing || value.type == JsonType::null) return;
  if (value.type != JsonType::array) {
    out.unreadable |= mask(Field::tickers);
    return;
  }
  ArrayCursor cursor(value.text);
  JsonView item;
  std::string scratch;
  while (cursor.next(item)) {
    const auto text = read_symbol(item, scratch);
    if (text.ok()) {
      if (out.tickers.size() < CanonicalFields::max_tickers) {
        std::string ticker(text.value);
        for (char& c : ticker) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        out.tickers.push_back(std::move(ticker));
      }
    } else if (text.status == ReadStatus::unreadable) {
      out.unreadable |= mask(Field::tickers);
    }
  }
  if (!cursor.ok()) out.unreadable |= mask(Field::tickers);
}

void resolve_symbols(const Slots& slots, std::string_view channel, CanonicalFields& out) {
  std::string scratch;
  bool bad = false;
  for (Slot slot : {Slot::ticker, Slot::underlying_symbol, Slot::symbol}) {
    const auto text = read_symbol(slots[slot], scratch);
    if (text.ok() && assign_symbol(out.symbol, text.value)) break;
    if (text.status == ReadStatus::unreadable) bad = true;
  }

  std::optional<OccSymbol> occ;
  for (Slot slot : {Slot::option_chain, Slot::option_symbol}) {
    const auto text = read_text(slots[slot], scratch);
    if (text.status == ReadStatus::missing) continue;
    if (text.ok()) occ = parse_occ(text.value);
    if (occ && out.option_symbol.assign(text.value)) {
      out.option_symbol.to_upper();
      occ = parse_occ(out.option_symbol.view());  // root now points into the stored copy
      break;
    }
    occ.reset();
    out.unreadable |= mask(Field::option_symbol);
  }
  if (occ) out.unreadable &= ~mask(Field::option_symbol);

  if (out.symbol.empty()) {
    const auto from_channel = channel_ticker(channel);
    if (!from_channel.empty() && from_channel.size() <= ShortText::capacity) {
      assign_symbol(out.symbol, from_channel);
    } else if (!out.tickers.empty()) {
      assign_symbol(out.symbol, out.tickers.front());
    } else if (occ) {
      assign_symbol(out.symbol, occ->root);
    }
  }
  if (out.symbol.empty() && bad) out.unreadable |= mask(Field::symbol);

  const auto kind = resolve<OptionKind>(slots, {Slot::option_type}, Field::option_kind, out.unreadable,
                                        [&](const JsonView& v) { return read_option_kind(v, scratch); });
  out.option_kind = kind ? *kind : (occ ? occ->kind : OptionKind::none);
  if (out.option_kind != OptionKind::none) out.unreadable &= ~mask(Field::option_kind);

  out.strike = resolve_number(slots, {Slot::strike}, Field::strike, out.unreadable);
  if (out.strike && *out.strike == 0) {
    out.strike.reset();
    out.unreadable |= mask(Field::strike);
  }
  if (!out.strike && occ) {
    out.strike = occ->strike;
    out.unreadable &= ~mask(Field::strike);
  }
  out.expiry_day = resolve<std::int64_t>(slots, {Slot::expiry, Slot::expiration_date}, Field::expiry, out.unreadable,
                                         [](const JsonView& v) { return read_date(v); });
  if (!out.expiry_day && occ) {
    out.expiry_day = occ->expiry_day;
    out.unreadable &= ~mask(Field::expiry);
  }
}

void resolve_side(const Slots& slots, CanonicalFields& out) {
  std::string scratch;
  const bool ask_tag = out.has_tag(tag_ask_side);
  const bool bid_tag = out.has_tag(tag_bid_side);
  if (ask_tag != bid_tag) {
    out.side = ask_tag ? Side::buy : Side::sell;
    return;
  }
  bool bad = false;
  for (const auto& read :
       {read_side_text(slots[Slot::side], scratch), read_transaction_type(slots[Slot::txn_type], scratch)}) {
    if (read.ok()) {
      out.side = read.value;
      return;
    }
    if (read.status == ReadStatus::unreadable) bad = true;
  }
  if (bad) out.unreadable |= mask(Field::side);
  if (out.ask_side_premium && out.bid_side_premium) {
    out.side = side_from_amounts(*out.ask_side_premium, *out.bid_side_premium, 1.0);
    if (out.side != Side::unknown) return;
  }
  if (out.ask_volume && out.bid_volume) {
    out.side = side_from_amounts(*out.ask_volume, *out.bid_volume, 1.0);
    if (out.side != Side::unknown) return;
  }
  if (out.price && out.bid && out.ask && *out.bid > 0 && *out.ask >= *out.bid) {
    if (*out.price >= *out.ask) {
      out.side = Side::buy;
    } else if (*out.price <= *out.bid) {
      out.side = Side::sell;
    }
  }
}

}  // namespace

const char* to_string(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::flow_alert: return "flow_alert";
    case ChannelKind::option_trade: return "option_trade";
    case ChannelKind::off_lit_trade: return "off_lit_trade";
    case ChannelKind::lit_trade: return "lit_trade";
    case ChannelKind::price: return "price";
    case ChannelKind::news: return "news";
    case ChannelKind::congress: return "congress";
    case ChannelKind::gex: return "gex";
    case ChannelKind::other: return "other";
  }
  return "other";
}

ChannelKind classify_channel(std::string_view channel) {
  const auto base = channel.substr(0, channel.find(':'));
  if (base == "flow-alerts" || base == "flow_alerts") return ChannelKind::flow_alert;
  if (base == "option_trades") return ChannelKind::option_trade;
  if (base == "off_lit_trades" || base.starts_with("darkpool")) return ChannelKind::off_lit_trade;
  if (base == "lit_trades") return ChannelKind::lit_trade;
  if (base == "price") return ChannelKind::price;
  if (base == "news") return ChannelKind::news;
  if (base.starts_with("congress")) return ChannelKind::congress;
  if (base.starts_with("gex")) return ChannelKind::gex;
  return ChannelKind::other;
}

std::string_view channel_ticker(std::string_view channel) {
  const auto colon = channel.find(':');
  if (colon == std::string_view::npos) return {};
  const auto ticker = channel.substr(colon + 1);
  for (char c : ticker) {
    if (!symbol_char(c)) return {};
  }
  return ticker;
}

const char* to_string(Side side) {
  switch (side) {
    case Side::buy: return "buy";
    case Side::sell: return "sell";
    case Side::unknown: return "unknown";
  }
  return "unknown";
}

Side side_from_amounts(double ask_side, double bid_side, double ratio) {
  if (ask_side > bid_side && ask_side >= ratio * bid_side) return Side::buy;
  if (bid_side > ask_side && bid_side >= ratio * ask_side) return Side::sell;
  return Side::unknown;
}

const char* field_name(Field field) {
  switch (field) {
    case Field::payload: return "payload";
    case Field::symbol: return "symbol";
    case Field::option_symbol: return "option_symbol";
    case Field::option_kind: return "option_kind";
    case Field::strike: return "strike";
    case Field::expiry: return "expiry";
    case Field::side: return "side";
    case Field::size: return "size";
    case Field::price: return "price";
    case Field::premium: return "premium";
    case Field::executed_at: return "executed_at";
    case Field::has_sweep: return "has_sweep";
    case Field::ask_side_premium: return "ask_side_premium";
    case Field::bid_side_premium: return "bid_side_premium";
    case Field::tags: return "tags";
    case Field::exchange: return "exchange";
    case Field::volume: return "volume";
    case Field::quote: return "quote";
    case Field::transaction_date: return "transaction_date";
    case Field::filed_date: return "filed_date";
    case Field::tickers: return "tickers";
  }
  return "unknown";
}

CanonicalFields extract_canonical(std::string_view channel, std::string_view raw_payload) {
  CanonicalFields out;
  out.channel_kind = classify_channel(channel);

  Slots slots;
  {
    ObjectCursor cursor(payload_object(raw_payload));
    std::string_view key;
    bool key_escaped = false;
    JsonView value;
    std::string decoded;
    while (cursor.next(key, key_escaped, value)) {
      if (key_escaped) {  // no UW field name needs an escape, but "\u0070rice" is still "price"
        decoded.clear();
        if (!decode_string(key, decoded)) continue;
        key = decoded;
      }
      const Slot slot = slot_of(key);
      if (slot != Slot::none) slots[slot] = value;
    }
    out.payload_ok = cursor.ok();
  }
  if (!out.payload_ok) {
    // A truncated or broken payload: nothing from it is trusted.
    out.unreadable = mask(Field::payload);
    const auto from_channel = channel_ticker(channel);
    if (!from_channel.empty()) assign_symbol(out.symbol, from_channel);
    return out;
  }

  read_tags(slots[Slot::tags], out);
  read_tickers(slots[Slot::tickers], out);
  resolve_symbols(slots, channel, out);

  auto& bad = out.unreadable;
  out.size = resolve_number(slots, {Slot::size, Slot::total_size}, Field::size, bad);
  out.price = resolve_number(slots, {Slot::price, Slot::close}, Field::price, bad);
  out.premium = resolve_number(slots, {Slot::premium, Slot::total_premium}, Field::premium, bad);
  if (!out.premium && out.price && out.size) {
    const double value = *out.price * *out.size * (out.is_option() ? 100.0 : 1.0);
    if (std::isfinite(value)) {
      out.premium = value;
      out.premium_computed = true;
    } else {
      bad |= mask(Field::premium);
    }
  }
  out.executed_at_ms =
      resolve<std::int64_t>(slots,
                            {Slot::executed_at, Slot::time, Slot::timestamp, Slot::tape_time, Slot::end_time,
                             Slot::start_time, Slot::created_at},
                            Field::executed_at, bad, [](const JsonView& v) { return read_timestamp(v); });
  out.has_sweep =
      resolve<bool>(slots, {Slot::has_sweep}, Field::has_sweep, bad, [](const JsonView& v) { return read_bool(v); });
  out.ask_side_premium = resolve_number(slots, {Slot::total_ask_side_prem}, Field::ask_side_premium, bad);
  out.bid_side_premium = resolve_number(slots, {Slot::total_bid_side_prem}, Field::bid_side_premium, bad);
  out.ask_volume = resolve_number(slots, {Slot::ask_vol}, Field::volume, bad);
  out.bid_volume = resolve_number(slots, {Slot::bid_vol}, Field::volume, bad);
  out.volume = resolve_number(slots, {Slot::volume, Slot::vol}, Field::volume, bad);
  out.bid = resolve_number(slots, {Slot::nbbo_bid, Slot::bid}, Field::quote, bad);
  out.ask = resolve_number(slots, {Slot::nbbo_ask, Slot::ask}, Field::quote, bad);
  {
    std::string scratch;
    const auto exchange = resolve<std::string_view>(slots, {Slot::exchange, Slot::market_center}, Field::exchange, bad,
                                                    [&](const JsonView& v) { return read_symbol(v, scratch); });
    if (exchange) out.exchange.assign(*exchange);
  }
  out.transaction_day = resolve<std::int64_t>(slots, {Slot::transaction_date}, Field::transaction_date, bad,
                                              [](const JsonView& v) { return read_date(v); });
  out.filed_day = resolve<std::int64_t>(slots, {Slot::filed_at_date}, Field::filed_date, bad,
                                        [](const JsonView& v) { return read_date(v); });
  if (!out.executed_at_ms && out.transaction_day) out.executed_at_ms = *out.transaction_day * ms_per_day;

  resolve_side(slots, out);
  return out;
}

const CanonicalFields& canonical(Event& event) {
  if (const auto* fields = event.attachment<CanonicalFields>(canonical_key)) return *fields;
  auto fields = std::make_shared<const CanonicalFields>(extract_canonical(event.channel(), event.raw()));
  const CanonicalFields& ref = *fields;
  static const std::string key(canonical_key);
  event.attach<CanonicalFields>(key, std::move(fields));
  return ref;
}

}  // namespace flowmind::uw
