// OCC option symbols (DIA241018C00415000): root, expiry, call/put, strike.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace flowmind::uw {

enum class OptionKind : std::uint8_t { none, call, put };

const char* to_string(OptionKind kind);  // "call", "put", "none"

struct OccSymbol {
  std::string_view root;    // points into the parsed text
  std::int64_t expiry_day;  // days since 1970-01-01
  OptionKind kind;
  double strike;
};

// Accepts the compact form UW sends (root of 1-6 letters/digits, YYMMDD, C or P, strike x 1000 on
// 8 digits), the padded 21-character OSI form ("SPY   241018C00415000") and a leading "O:".
// Years are 20YY. Refuses impossible dates, a zero strike and anything else.
std::optional<OccSymbol> parse_occ(std::string_view symbol);

}  // namespace flowmind::uw
