// The generator's toy market: drifting prices, calendar arithmetic, OCC symbols, decimal text.
#include "generator_market.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace flowmind {

// Howard Hinnant's civil calendar algorithms (exact for every day of the proleptic Gregorian calendar).
CivilDate civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

std::int64_t days_from_civil(const CivilDate& date) {
  const std::int64_t year = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t month = date.month;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + date.day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

std::int64_t epoch_days(std::int64_t epoch_ms) {
  constexpr std::int64_t ms_per_day = 86'400'000;
  return epoch_ms >= 0 ? epoch_ms / ms_per_day : (epoch_ms - ms_per_day + 1) / ms_per_day;
}

CivilDate friday_expiry(std::int64_t epoch_ms, int weeks_out) {
  const std::int64_t day = epoch_days(epoch_ms);
  const std::int64_t weekday = ((day + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  const std::int64_t to_friday = (5 - weekday + 7) % 7;
  return civil_from_days(day + to_friday + 7 * static_cast<std::int64_t>(weeks_out));
}

std::string occ_symbol(const std::string& ticker, const CivilDate& expiry, bool call, double strike) {
  std::string root;
  for (char c : ticker) {
    if (c != '.') root += c;
  }
  char tail[32];
  std::snprintf(tail, sizeof tail, "%02d%02d%02d%c%08lld", expiry.year % 100, expiry.month, expiry.day,
                call ? 'C' : 'P', static_cast<long long>(std::llround(strike * 1000)));
  return root + tail;
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string decimal_text(double value, int max_decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", max_decimals, value);
  std::string out = text;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

double reference_price(const std::string& ticker) {
  static const std::map<std::string, double> known = {
      {"SPY", 562.0},  {"QQQ", 478.0},  {"IWM", 218.0},  {"DIA", 416.0},  {"AAPL", 220.0},  {"MSFT", 430.0},
      {"NVDA", 118.0}, {"TSLA", 243.0}, {"AMZN", 186.0}, {"META", 537.0}, {"GOOGL", 160.0}, {"AMD", 152.0},
      {"NFLX", 701.0}, {"AVGO", 165.0}, {"PLTR", 36.0},  {"SMCI", 43.0},  {"COIN", 185.0},  {"QID", 19.0}};
  if (auto it = known.find(ticker); it != known.end()) return it->second;
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a: stable across runs and platforms
  for (unsigned char c : ticker) hash = (hash ^ c) * 1099511628211ULL;
  return 20.0 + static_cast<double>(hash % 48000) / 100.0;
}

namespace {

double strike_step_for(const std::string& ticker, double price) {
  if (ticker == "SPY" || ticker == "QQQ" || ticker == "IWM" || ticker == "DIA") return 1.0;
  if (price < 25) return 0.5;
  if (price < 100) return 1.0;
  if (price < 250) return 2.5;
  return 5.0;
}

}  // namespace

Market::Market(const std::vector<std::string>& tickers, SeededRandom& random) {
  for (const auto& ticker : tickers) {
    Instrument instrument;
    instrument.ticker = ticker;
    instrument.price = reference_price(ticker);
    instrument.strike_step = strike_step_for(ticker, instrument.price);
    instrument.day_volume = static_cast<std::int64_t>(random.log_normal(5'000'000, 0.8));
    instruments_.push_back(std::move(instrument));
  }
}

Instrument& Market::next(SeededRandom& random) {
  auto& instrument = instruments_[static_cast<std::size_t>(random.below(instruments_.size()))];
  // Small steps, pulled back towards the reference so a long run stays plausible.
  const double reference = reference_price(instrument.ticker);
  const double pull = 0.01 * std::log(reference / instrument.price);
  instrument.price = round_to(instrument.price * std::exp(pull + 0.0008 * random.normal()), 3);
  return instrument;
}

}  // namespace flowmind
