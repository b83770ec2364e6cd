// An alert taken from an event: who (symbol), what (kind), how big (premium), and the phrase to say.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "flowmind/event.hpp"

namespace flowmind {

struct Alert {
  std::string channel;
  std::string symbol;  // "" when the event names none
  std::string kind;    // whale, sweep, dark_pool, flow, price, alert, or the configured/annotated one
  std::optional<double> premium;
  std::string contract;  // "415 call" from an OCC option symbol
  std::string timestamp;
  nlohmann::json payload;  // null when the payload is not JSON
  nlohmann::json annotations;
};

// Reads what the UW feeds and the filters in front give, tolerantly (numbers or numeric strings):
// symbol from annotations (symbol, ticker) or the payload (ticker, symbol, underlying_symbol) or the
// channel suffix (price:SPY); premium from annotations.premium, total_premium, premium, or price x
// size (x 100 for options); kind = `fixed_kind` if set, else annotations.alert_kind, else whale (a
// truthy `whale` annotation), sweep (has_sweep or a `sweep` annotation), dark_pool
// (off_lit_trades / lit_trades), flow (flow-alerts), price (price:*), else alert.
Alert make_alert(const Event& event, const std::string& fixed_kind);

// Premium as said aloud: "2.1 million", "350 thousand", "1.25 billion", "980".
std::string premium_short(double premium);

// "{symbol} {kind}, {premium_short}" with the alert's fields; `more` = alerts coalesced into this
// one. Placeholders: symbol, kind (spoken: "dark pool"), premium, premium_short, contract,
// channel, count (1 + more), more, text (`spoken`: the phrase, in command arguments); any other
// name is a payload field path or annotations.<path>. Missing values vanish and the spacing and
// commas around them are tidied.
std::string render_template(const std::string& text, const Alert& alert, std::uint64_t more,
                            const std::string& spoken = {});

// What command mode writes to the program's stdin.
nlohmann::json alert_json(const Alert& alert, const std::string& text, std::uint64_t more);

// A JSON number or numeric string as a number.
std::optional<double> tolerant_number(const nlohmann::json* value);

// A dotted path into a JSON object ("a.b.0.c"); nullptr when absent.
const nlohmann::json* json_path(const nlohmann::json& root, const std::string& path);

}  // namespace flowmind
