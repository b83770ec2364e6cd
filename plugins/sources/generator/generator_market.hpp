// The generator's toy market: drifting underlying prices, option expiries, OCC symbols, price text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generator_random.hpp"

namespace flowmind {

// A calendar date (proleptic Gregorian, UTC).
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
};

// Days since 1970-01-01 <-> date, and the UTC date of an epoch-milliseconds time.
CivilDate civil_from_days(std::int64_t days);
std::int64_t days_from_civil(const CivilDate& date);
std::int64_t epoch_days(std::int64_t epoch_ms);

// The Friday `weeks_out` weeks after the first Friday on or after the day of `epoch_ms`.
CivilDate friday_expiry(std::int64_t epoch_ms, int weeks_out);

// OCC option symbol as UW sends it: root, YYMMDD, C or P, strike x 1000 on 8 digits
// (DIA241018C00415000). The root is the ticker without dots.
std::string occ_symbol(const std::string& ticker, const CivilDate& expiry, bool call, double strike);

// Decimal text with at most `max_decimals` decimals and no trailing zeros ("7.3", "18.9904", "7").
std::string decimal_text(double value, int max_decimals);
// Rounds to a number of decimals (the result prints shortest, e.g. 415.981).
double round_to(double value, int decimals);

// One underlying: its current price (a random walk) and its cumulative volume of the day.
struct Instrument {
  std::string ticker;
  double price = 0;
  double strike_step = 1;
  std::int64_t day_volume = 0;
};

class Market {
 public:
  // Starting prices are realistic for well-known tickers and derived from the name otherwise,
  // so they do not depend on the seed.
  Market(const std::vector<std::string>& tickers, SeededRandom& random);

  // A random instrument whose price has moved one step.
  Instrument& next(SeededRandom& random);

 private:
  std::vector<Instrument> instruments_;
};

// Reference price of a ticker (the table of liquid names, else 20..500 from a hash of the name).
double reference_price(const std::string& ticker);

}  // namespace flowmind
