// OCC option symbol parsing.
#include "uw/occ.hpp"

#include "uw/time.hpp"

namespace flowmind::uw {

const char* to_string(OptionKind kind) {
  switch (kind) {
    case OptionKind::call: return "call";
    case OptionKind::put: return "put";
    case OptionKind::none: return "none";
  }
  return "none";
}

std::optional<OccSymbol> parse_occ(std::string_view symbol) {
  if (symbol.size() > 2 && symbol[0] == 'O' && symbol[1] == ':') symbol.remove_prefix(2);
  constexpr std::size_t tail = 15;  // YYMMDD + C/P + 8 strike digits
  if (symbol.size() <= tail || symbol.size() > tail + 6) return std::nullopt;
  std::string_view root = symbol.substr(0, symbol.size() - tail);
  while (!root.empty() && root.back() == ' ') root.remove_suffix(1);
  if (root.empty()) return std::nullopt;
  for (char c : root) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) return std::nullopt;
  }
  const std::string_view rest = symbol.substr(symbol.size() - tail);
  auto number = [&](std::size_t pos, std::size_t count, std::int64_t& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
      if (rest[i] < '0' || rest[i] > '9') return false;
      out = out * 10 + (rest[i] - '0');
    }
    return true;
  };
  std::int64_t year = 0;
  std::int64_t month = 0;
  std::int64_t day = 0;
  std::int64_t strike = 0;
  if (!number(0, 2, year) || !number(2, 2, month) || !number(4, 2, day) || !number(7, 8, strike)) {
    return std::nullopt;
  }
  OptionKind kind = OptionKind::none;
  if (rest[6] == 'C' || rest[6] == 'c') kind = OptionKind::call;
  if (rest[6] == 'P' || rest[6] == 'p') kind = OptionKind::put;
  const int full_year = 2000 + static_cast<int>(year);
  if (kind == OptionKind::none || strike == 0 ||
      !valid_date(full_year, static_cast<int>(month), static_cast<int>(day))) {
    return std::nullopt;
  }
  return OccSymbol{root, days_from_date({full_year, static_cast<int>(month), static_cast<int>(day)}), kind,
                   static_cast<double>(strike) / 1000.0};
}

}  // namespace flowmind::uw
