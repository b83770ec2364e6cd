// Market data generation: per-ticker random walks and records shaped like UW's, consistent with the walk.
#include "generator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace flowmind::uwsim {
namespace {

using nlohmann::json;
using Rng = std::mt19937_64;

constexpr double kSqrt2 = 1.4142135623730951;
constexpr std::int64_t kMsPerDay = 86'400'000;

double uniform(Rng& rng, double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng); }
long long uniform_int(Rng& rng, long long low, long long high) {
  return std::uniform_int_distribution<long long>(low, high)(rng);
}
bool chance(Rng& rng, double probability) { return uniform(rng, 0.0, 1.0) < probability; }
double normal(Rng& rng) { return std::normal_distribution<double>(0.0, 1.0)(rng); }
template <class T, std::size_t N>
const T& pick(Rng& rng, const std::array<T, N>& items) {
  return items[static_cast<std::size_t>(uniform_int(rng, 0, static_cast<long long>(N) - 1))];
}

double round_to(double value, int places) {
  const double scale = std::pow(10.0, places);
  return std::round(value * scale) / scale;
}

std::string uuid(Rng& rng) {
  const auto high = rng();
  const auto low = rng();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(0x8000 | ((low >> 48) & 0x3fff)),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

// Howard Hinnant's civil-from-days: days since 1970-01-01 to year/month/day.
void civil_from_days(std::int64_t days, int& year, unsigned& month, unsigned& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0));
}

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned weekday(std::int64_t days) {  // 0 = Sunday
  return static_cast<unsigned>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / kSqrt2); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / 2.5066282746310002; }

struct OptionQuote {
  double value = 0;
  double delta = 0;
  double gamma = 0;
  double theta = 0;  // per day
  double vega = 0;   // per vol point
};

// Black-Scholes with zero rates: enough to keep option prices consistent with the underlying.
OptionQuote black_scholes(bool call, double spot, double strike, double years, double vol) {
  OptionQuote quote;
  const double root_t = std::sqrt(years);
  const double d1 = (std::log(spot / strike) + 0.5 * vol * vol * years) / (vol * root_t);
  const double d2 = d1 - vol * root_t;
  quote.value =
      call ? spot * normal_cdf(d1) - strike * normal_cdf(d2) : strike * normal_cdf(-d2) - spot * normal_cdf(-d1);
  quote.delta = call ? normal_cdf(d1) : normal_cdf(d1) - 1.0;
  quote.gamma = normal_pdf(d1) / (spot * vol * root_t);
  quote.theta = -(spot * normal_pdf(d1) * vol) / (2.0 * root_t) / 365.0;
  quote.vega = spot * normal_pdf(d1) * root_t / 100.0;
  return quote;
}

// An OCC root drops punctuation (BRK.B -> BRKB).
std::string occ_root(const std::string& ticker) {
  std::string root;
  for (char c : ticker) {
    if (c != '.') root += c;
  }
  return root.substr(0, 6);
}

struct Contract {
  bool call = true;
  double strike = 0;
  std::int64_t expiry_days = 0;  // days since epoch
  double years = 0;
  std::string symbol;
};

double strike_increment(const std::string& ticker, double spot) {
  static constexpr std::array kEtfs = {"SPY", "QQQ", "IWM", "DIA"};
  if (std::find(kEtfs.begin(), kEtfs.end(), ticker) != kEtfs.end()) return 1.0;
  if (spot < 25) return 0.5;
  if (spot < 200) return 1.0;
  if (spot < 500) return 2.5;
  return 5.0;
}

Contract choose_contract(Rng& rng, const std::string& ticker, double spot, double now_ms_value) {
  static constexpr std::array<int, 12> kDays = {0, 1, 2, 4, 7, 10, 14, 21, 30, 45, 90, 180};
  Contract contract;
  contract.call = chance(rng, 0.56);
  const int ahead = pick(rng, kDays);
  const auto today = static_cast<std::int64_t>(now_ms_value) / kMsPerDay;
  std::int64_t expiry = today + ahead;
  const bool dailies = ticker == "SPY" || ticker == "QQQ" || ticker == "IWM";
  if (dailies && ahead < 7) {
    while (weekday(expiry) == 0 || weekday(expiry) == 6) ++expiry;
  } else {
    while (weekday(expiry) != 5) ++expiry;  // weeklies and monthlies expire on Fridays
  }
  contract.expiry_days = expiry;
  // Time to expiry in whole hours, so a seed gives the same prices for runs a few seconds apart.
  const double hour_start = std::floor(now_ms_value / 3'600'000.0) * 3'600'000.0;
  const double ms_left = static_cast<double>((expiry + 1) * kMsPerDay - 4 * 3'600'000) - hour_start;
  contract.years = std::max(ms_left / static_cast<double>(kMsPerDay), 0.25) / 365.0;
  // Traders mostly buy out-of-the-money: calls above spot, puts below, wider for longer expiries.
  const double spread = 0.015 + 0.05 * std::sqrt(contract.years * 12.0);
  double moneyness = std::abs(normal(rng)) * spread * (chance(rng, 0.8) ? 1.0 : -1.0);
  if (!contract.call) moneyness = -moneyness;
  moneyness = std::clamp(moneyness, -0.35, 0.35);
  const double increment = strike_increment(ticker, spot);
  contract.strike = std::max(increment, std::round(spot * (1.0 + moneyness) / increment) * increment);
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(expiry, year, month, day);
  char text[32];
  std::snprintf(text, sizeof text, "%02d%02u%02u%c%08lld", year % 100, month, day, contract.call ? 'C' : 'P',
                static_cast<long long>(std::llround(contract.strike * 1000.0)));
  contract.symbol = occ_root(ticker) + text;
  return contract;
}

double base_price(const std::string& ticker, std::uint64_t hash) {
  static const std::map<std::string, double> kKnown = {
      {"SPY", 562.8},  {"QQQ", 476.5},  {"AAPL", 220.9}, {"NVDA", 116.2}, {"TSLA", 227.4},  {"MSFT", 436.0},
      {"AMZN", 186.4}, {"META", 536.6}, {"AMD", 151.1},  {"IWM", 220.4},  {"GOOGL", 160.8}, {"DIA", 415.9},
      {"NFLX", 689.2}, {"JPM", 211.3},  {"XOM", 116.5},  {"KO", 71.2},    {"DIS", 92.1},    {"LMT", 567.3},
      {"AVGO", 160.5}, {"COIN", 187.9}, {"PLTR", 36.4},  {"SMCI", 45.2},  {"BA", 153.8},    {"INTC", 20.1}};
  if (const auto found = kKnown.find(ticker); found != kKnown.end()) return found->second;
  return 10.0 + static_cast<double>(hash % 39000) / 100.0;
}

double base_iv(const std::string& ticker) {
  if (ticker == "SPY" || ticker == "DIA") return 0.14;
  if (ticker == "QQQ" || ticker == "IWM") return 0.19;
  if (ticker == "TSLA" || ticker == "COIN" || ticker == "SMCI" || ticker == "PLTR") return 0.6;
  if (ticker == "NVDA" || ticker == "AMD") return 0.48;
  return 0.3;
}

constexpr std::array<const char*, 14> kOptionExchanges = {"XCBO", "MPRL", "ARCO", "AMXO", "XISX", "GMNI", "XBOX",
                                                          "BATO", "EDGO", "C2OX", "XPHO", "MIHI", "EMLD", "XNDQ"};

}  // namespace

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string decimal_string(double value, int max_places) {
  char text[64];
  const auto [end, code] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, max_places);
  if (code != std::errc()) return "0";
  std::string result(text, end);
  if (result.find('.') != std::string::npos) {
    while (result.back() == '0') result.pop_back();
    if (result.back() == '.') result.pop_back();
  }
  if (result == "-0") result = "0";
  return result;
}

std::string iso_date(std::int64_t epoch_days) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(epoch_days, year, month, day);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day);
  return text;
}

std::string iso_time(std::int64_t epoch_ms) {
  const std::int64_t days = (epoch_ms >= 0 ? epoch_ms : epoch_ms - kMsPerDay + 1) / kMsPerDay;
  const std::int64_t seconds = (epoch_ms - days * kMsPerDay) / 1000;
  char text[64];
  std::snprintf(text, sizeof text, "T%02lld:%02lld:%02lldZ", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return iso_date(days) + text;
}

std::int64_t days_from_date(const std::string& text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char extra = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &extra) != 3) return -1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return -1;
  return days_from_civil(year, month, day);
}

MarketGenerator::MarketGenerator(std::uint64_t seed, std::vector<std::string> tickers)
    : seed_(seed),
      tickers_(std::move(tickers)),
      flow_rng_(seed ^ fnv1a("flow-alerts")),
      option_rng_(seed ^ fnv1a("option_trades")),
      stock_rng_(seed ^ fnv1a("stock_trades")),
      rest_rng_(seed ^ fnv1a("rest")),
      gex_rng_(seed ^ fnv1a("gex")),
      news_rng_(seed ^ fnv1a("news")),
      congress_rng_(seed ^ fnv1a("congress")) {
  // Index ETFs and mega caps trade (and alert) more than the rest of a watch list.
  for (const auto& ticker : tickers_) {
    const bool heavy = ticker == "SPY" || ticker == "QQQ" || ticker == "NVDA" || ticker == "TSLA";
    ticker_weights_.push_back(heavy ? 3.0 : 1.0);
  }
}

MarketGenerator::TickerState& MarketGenerator::state(const std::string& ticker) {
  auto found = states_.find(ticker);
  if (found != states_.end()) return found->second;
  const auto hash = fnv1a(ticker);
  TickerState fresh;
  fresh.base = base_price(ticker, hash);
  fresh.price = fresh.base;
  fresh.iv = base_iv(ticker);
  fresh.rng.seed(seed_ ^ hash);
  fresh.volume = 2'000'000 + hash % 60'000'000;
  return states_.emplace(ticker, std::move(fresh)).first->second;
}

double MarketGenerator::step(TickerState& ticker) {
  // Geometric walk with a weak pull back to the base so a long demo stays plausible.
  const double drift = -0.0005 * std::log(ticker.price / ticker.base);
  ticker.price *= std::exp(drift + 0.0004 * normal(ticker.rng) * (ticker.iv / 0.3));
  ticker.price = std::max(ticker.price, 0.5);
  return ticker.price;
}

double MarketGenerator::current_price(const std::string& ticker) { return state(ticker).price; }

const std::string& MarketGenerator::pick_ticker(Rng& rng) {
  std::discrete_distribution<std::size_t> choose(ticker_weights_.begin(), ticker_weights_.end());
  return tickers_[choose(rng)];
}

json MarketGenerator::flow_alert(std::int64_t now_ms) {
  auto& rng = flow_rng_;
  const std::string ticker = pick_ticker(rng);
  auto& ticker_state = state(ticker);
  const double spot = step(ticker_state);
  const auto contract = choose_contract(rng, ticker, spot, static_cast<double>(now_ms));
  const double vol = ticker_state.iv * std::exp(0.15 * normal(rng));
  const auto quote = black_scholes(contract.call, spot, contract.strike, contract.years, vol);
  const double mid = std::max(0.03, quote.value);
  const double spread = std::max(0.01, round_to(mid * uniform(rng, 0.01, 0.05), 2));
  const double bid = std::max(0.01, round_to(mid - spread / 2, 2));
  const double ask = round_to(bid + spread, 2);
  const bool ask_side = chance(rng, 0.6);
  const double price = ask_side ? ask : bid;
  // Premiums spread from a few thousand dollars to several million, most of them small.
  const double target_premium = std::pow(10.0, std::min(7.0, 3.7 + std::exponential_distribution<double>(1.3)(rng)));
  const long long size = std::max(1LL, std::llround(target_premium / (price * 100.0)));
  const long long premium = std::llround(price * static_cast<double>(size) * 100.0);
  const double ask_share = ask_side ? uniform(rng, 0.65, 1.0) : uniform(rng, 0.0, 0.35);
  const long long ask_premium = std::llround(static_cast<double>(premium) * ask_share);
  const long long trade_count = std::min<long long>(size, uniform_int(rng, 1, 24));
  const bool sweep = trade_count > 1 && chance(rng, 0.35);
  const bool floor = chance(rng, 0.06);
  const bool multileg = chance(rng, 0.05);
  const long long volume = size + uniform_int(rng, 0, 4 * size + 800);
  const long long open_interest = std::llround(std::exp(uniform(rng, 2.0, 11.0)));
  const long long ask_vol =
      std::llround(static_cast<double>(volume) * (ask_side ? uniform(rng, 0.55, 0.9) : uniform(rng, 0.05, 0.35)));
  const long long mid_vol = std::llround(static_cast<double>(volume - ask_vol) * uniform(rng, 0.0, 0.15));
  const long long no_side_vol = chance(rng, 0.2) ? uniform_int(rng, 0, (volume - ask_vol - mid_vol) / 10) : 0;
  const long long bid_vol = volume - ask_vol - mid_vol - no_side_vol;
  const std::int64_t end_time = now_ms - uniform_int(rng, 0, 150);
  const std::int64_t start_time = end_time - (trade_count > 1 ? uniform_int(rng, 40, 4000) : 0);

  std::string rule;
  if (floor) {
    rule = spot > 150 ? "FloorTradeLargeCap" : "FloorTradeMidCap";
  } else if (sweep) {
    static constexpr std::array<const char*, 3> kSweepRules = {"RepeatedHits", "SweepsFollowedByFloor",
                                                               "RepeatedHitsAscendingFill"};
    rule = pick(rng, kSweepRules);
  } else {
    static constexpr std::array<const char*, 4> kRules = {"RepeatedHitsDescendingFill", "RepeatedHitsAscendingFill",
                                                          "OtmEarningsFloor", "LowHistoricVolumeFloor"};
    rule = pick(rng, kRules);
  }
  json trade_ids = json::array();
  for (long long index = 0; index < std::min<long long>(trade_count, 10); ++index) trade_ids.push_back(uuid(rng));
  json exchanges = json::array();
  const auto exchange_count = uniform_int(rng, 1, std::min<long long>(5, trade_count));
  const auto first_exchange = uniform_int(rng, 0, static_cast<long long>(kOptionExchanges.size()) - 1);
  for (long long index = 0; index < exchange_count; ++index) {
    exchanges.push_back(
        kOptionExchanges[static_cast<std::size_t>(first_exchange + index * 3) % kOptionExchanges.size()]);
  }
  static constexpr std::array<const char*, 6> kConditions = {"auto", "slan", "isoi", "mlat", "mlet", "slai"};
  json conditions = json::array({pick(rng, kConditions)});
  if (conditions[0] != "slan" && chance(rng, 0.5)) conditions.push_back("slan");

  return {{"rule_id", uuid(rng)},
          {"rule_name", rule},
          {"ticker", ticker},
          {"option_chain", contract.symbol},
          {"underlying_price", round_to(spot, 3)},
          {"volume", volume},
          {"total_size", size},
          {"total_premium", premium},
          {"total_ask_side_prem", ask_premium},
          {"total_bid_side_prem", premium - ask_premium},
          {"start_time", start_time},
          {"end_time", end_time},
          {"url", ""},
          {"price", price},
          {"has_multileg", multileg},
          {"has_sweep", sweep},
          {"has_floor", floor},
          {"open_interest", open_interest},
          {"all_opening_trades", chance(rng, 0.1)},
          {"id", uuid(rng)},
          {"has_singleleg", !multileg},
          {"volume_oi_ratio", round_to(static_cast<double>(volume) / static_cast<double>(open_interest), 4)},
          {"trade_ids", trade_ids},
          {"trade_count", trade_count},
          {"expiry_count", 1},
          {"executed_at", end_time},
          {"ask_vol", ask_vol},
          {"bid_vol", bid_vol},
          {"no_side_vol", no_side_vol},
          {"mid_vol", mid_vol},
          {"multi_vol", multileg ? size : 0},
          {"stock_multi_vol", 0},
          {"upstream_condition_details", conditions},
          {"exchanges", exchanges},
          {"bid", decimal_string(bid, 2)},
          {"ask", decimal_string(ask, 2)}};
}

json MarketGenerator::option_trade(const std::vector<std::string>& tickers, std::int64_t now_ms) {
  auto& rng = option_rng_;
  const std::string ticker =
      tickers.empty()
          ? pick_ticker(rng)
          : tickers[static_cast<std::size_t>(uniform_int(rng, 0, static_cast<long long>(tickers.size()) - 1))];
  auto& ticker_state = state(ticker);
  const double spot = step(ticker_state);
  const auto contract = choose_contract(rng, ticker, spot, static_cast<double>(now_ms));
  const double vol = ticker_state.iv * std::exp(0.1 * normal(rng));
  const auto quote = black_scholes(contract.call, spot, contract.strike, contract.years, vol);
  const double mid = std::max(0.02, quote.value);
  const double spread = std::max(0.01, round_to(mid * uniform(rng, 0.01, 0.06), 2));
  const double bid = std::max(0.01, round_to(mid - spread / 2, 2));
  const double ask = round_to(bid + spread, 2);
  const double side_roll = uniform(rng, 0.0, 1.0);
  const char* side = side_roll < 0.45   ? "ask_side"
                     : side_roll < 0.85 ? "bid_side"
                     : side_roll < 0.96 ? "mid_side"
                                        : "no_side";
  const double price = side_roll < 0.45 ? ask : side_roll < 0.85 ? bid : round_to((bid + ask) / 2, 2);
  const long long size =
      chance(rng, 0.03) ? uniform_int(rng, 200, 3000) : std::max(1LL, std::llround(std::exp(uniform(rng, 0.0, 3.5))));
  json tags = json::array({side});
  const bool buyer = side_roll < 0.45;
  const bool seller = side_roll >= 0.45 && side_roll < 0.85;
  if (buyer || seller) tags.push_back((contract.call == buyer) ? "bullish" : "bearish");
  if (size >= 100 && chance(rng, 0.3)) tags.push_back("sweep");
  ticker_state.volume += static_cast<std::uint64_t>(size);
  json trade = {{"id", uuid(rng)},
                {"underlying_symbol", ticker},
                {"option_symbol", contract.symbol},
                {"option_type", contract.call ? "call" : "put"},
                {"strike", decimal_string(contract.strike, 2)},
                {"expiry", iso_date(contract.expiry_days)},
                {"executed_at", now_ms - uniform_int(rng, 0, 80)},
                {"price", decimal_string(price, 2)},
                {"size", size},
                {"premium", decimal_string(price * static_cast<double>(size) * 100.0, 2)},
                {"volume", uniform_int(rng, size, size + 40000)},
                {"open_interest", std::llround(std::exp(uniform(rng, 2.0, 11.0)))},
                {"underlying_price", decimal_string(spot, 2)},
                {"nbbo_bid", decimal_string(bid, 2)},
                {"nbbo_ask", decimal_string(ask, 2)},
                {"ewma_nbbo_bid", decimal_string(bid, 2)},
                {"ewma_nbbo_ask", decimal_string(ask, 2)},
                {"implied_volatility", decimal_string(vol, 4)},
                {"delta", decimal_string(quote.delta, 4)},
                {"gamma", decimal_string(quote.gamma, 4)},
                {"theta", decimal_string(quote.theta, 4)},
                {"vega", decimal_string(quote.vega, 4)},
                {"theo", decimal_string(quote.value, 4)},
                {"exchange", pick(rng, kOptionExchanges)},
                {"tags", tags},
                {"report_flags", json::array()},
                {"trade_code", nullptr},
                {"upstream_condition_detail", size >= 100 && chance(rng, 0.5) ? "slan" : "auto"},
                {"canceled", false}};
  return trade;
}

json MarketGenerator::stock_trade(bool off_lit, Rng& rng, std::int64_t now_ms) {
  const std::string ticker = pick_ticker(rng);
  auto& ticker_state = state(ticker);
  const double spot = step(ticker_state);
  const double tick = spot < 50 ? 0.01 : 0.02;
  const double bid = round_to(spot - tick / 2, 2);
  const double ask = round_to(bid + tick, 2);
  long long size = 0;
  if (off_lit && chance(rng, 0.06)) {
    // Block prints: $1M to $25M in one trade.
    size = std::llround(std::exp(uniform(rng, std::log(1.0e6), std::log(2.5e7))) / spot);
  } else {
    size = std::max(1LL, std::llround(std::exp(uniform(rng, 0.0, off_lit ? 8.0 : 6.0))));
  }
  ticker_state.volume += static_cast<std::uint64_t>(size);
  // Off-exchange prints land anywhere in (and sometimes just outside) the spread with sub-penny prices.
  const double price =
      off_lit ? round_to(uniform(rng, bid - tick / 2, ask + tick / 2), 4) : (chance(rng, 0.5) ? ask : bid);
  static constexpr std::array<const char*, 4> kDarkCenters = {"D", "L", "T", "N"};
  static constexpr std::array<const char*, 6> kLitCenters = {"Q", "N", "P", "Z", "K", "V"};
  static constexpr std::array<const char*, 4> kConditions = {"contingent_trade", "average_price_trade",
                                                             "intermarket_sweep", "odd_lot_execution"};
  json sale_condition = nullptr;
  if (chance(rng, 0.3)) sale_condition = pick(rng, kConditions);
  return {{"canceled", false},
          {"executed_at", iso_time(now_ms)},
          {"ext_hour_sold_codes", nullptr},
          {"market_center", off_lit ? pick(rng, kDarkCenters) : pick(rng, kLitCenters)},
          {"nbbo_ask", decimal_string(ask, 2)},
          {"nbbo_ask_quantity", uniform_int(rng, 1, 300) * 100},
          {"nbbo_bid", decimal_string(bid, 2)},
          {"nbbo_bid_quantity", uniform_int(rng, 1, 300) * 100},
          {"premium", decimal_string(price * static_cast<double>(size), 2)},
          {"price", decimal_string(price, 4)},
          {"sale_cond_codes", sale_condition},
          {"size", size},
          {"ticker", ticker},
          {"tracking_id", uniform_int(rng, 10'000'000'000'000LL, 99'999'999'999'999LL)},
          {"trade_code", nullptr},
          {"trade_settlement", "regular_settlement"},
          {"volume", ticker_state.volume}};
}

json MarketGenerator::price(const std::string& ticker, std::int64_t now_ms) {
  auto& ticker_state = state(ticker);
  const double spot = step(ticker_state);
  ticker_state.volume += static_cast<std::uint64_t>(std::exp(uniform(ticker_state.rng, 5.0, 10.0)));
  return {{"close", decimal_string(spot, 2)}, {"time", now_ms}, {"vol", ticker_state.volume}};
}

json MarketGenerator::gex(const std::string& ticker, std::int64_t now_ms) {
  auto& rng = gex_rng_;
  const double spot = current_price(ticker);
  // Exposure scales with the square of the price and the size of the options market on the name.
  const double scale = spot * spot * (ticker == "SPY" || ticker == "QQQ" ? 400.0 : 60.0);
  auto value = [&](double bias) { return decimal_string(scale * (bias + normal(rng)), 4); };
  auto maybe_empty = [&](double bias) { return chance(rng, 0.15) ? std::string() : value(bias); };
  return {{"ticker", ticker},
          {"price", decimal_string(spot, 2)},
          {"time", now_ms},
          {"gamma_per_one_percent_move_oi", value(1.5)},
          {"gamma_per_one_percent_move_vol", value(0.5)},
          {"gamma_per_one_percent_move_dir", maybe_empty(0.2)},
          {"delta_per_one_percent_move_oi", value(3.0)},
          {"charm_per_one_percent_move_oi", value(-0.5)},
          {"charm_per_one_percent_move_vol", value(0.0)},
          {"charm_per_one_percent_move_dir", maybe_empty(0.0)},
          {"vanna_per_one_percent_move_oi", value(0.8)},
          {"vanna_per_one_percent_move_vol", value(0.2)},
          {"vanna_per_one_percent_move_dir", maybe_empty(0.0)}};
}

json MarketGenerator::gex_strike(const std::string& ticker, std::int64_t now_ms, bool with_expiry) {
  auto& rng = gex_rng_;
  const double spot = current_price(ticker);
  const auto contract = choose_contract(rng, ticker, spot, static_cast<double>(now_ms));
  const double scale = spot * spot * 5.0;
  auto value = [&](double bias) { return decimal_string(scale * (bias + 0.5 * normal(rng)), 4); };
  auto maybe_empty = [&](double bias) { return chance(rng, 0.15) ? std::string() : value(bias); };
  json record = {{"ticker", ticker},
                 {"strike", decimal_string(contract.strike, 2)},
                 {"price", decimal_string(spot, 2)},
                 {"time", now_ms},
                 {"call_gamma_oi", value(1.0)},
                 {"put_gamma_oi", value(-1.0)},
                 {"call_gamma_vol", value(0.4)},
                 {"put_gamma_vol", value(-0.4)},
                 {"call_gamma_ask", maybe_empty(0.2)},
                 {"call_gamma_bid", maybe_empty(0.2)},
                 {"put_gamma_ask", maybe_empty(-0.2)},
                 {"put_gamma_bid", maybe_empty(-0.2)},
                 {"call_delta_oi", value(2.0)},
                 {"put_delta_oi", value(-2.0)},
                 {"call_charm_oi", value(0.1)},
                 {"put_charm_oi", value(-0.1)},
                 {"call_vanna_oi", value(0.3)},
                 {"put_vanna_oi", value(-0.3)}};
  if (with_expiry) record["expiry"] = iso_date(contract.expiry_days);
  return record;
}

json MarketGenerator::news(std::int64_t now_ms) {
  auto& rng = news_rng_;
  static constexpr std::array<const char*, 10> kTickerHeadlines = {
      "%s shares rise after analyst upgrade to Buy",
      "%s announces $%d billion share buyback",
      "Options traders pile into %s calls ahead of earnings",
      "%s falls as regulators open probe into sales practices",
      "%s unveils new AI product lineup at developer event",
      "%s beats quarterly revenue estimates, raises guidance",
      "%s slides after guidance disappoints",
      "Unusual put activity in %s as shares test support",
      "%s to join S&P 500 index next week",
      "%s CFO to step down at end of quarter"};
  static constexpr std::array<const char*, 6> kMarketHeadlines = {
      "Treasury yields climb after hotter-than-expected CPI print",
      "Fed officials signal patience on further rate cuts",
      "Oil jumps as supply concerns return",
      "US jobless claims fall to lowest in four months",
      "US Energy Secretary foresees many more LNG export deals signed",
      "Dollar slips ahead of central bank decisions"};
  static constexpr std::array<const char*, 5> kSources = {"social-media", "benzinga", "reuters", "press-release",
                                                          "bloomberg"};
  json tickers = json::array();
  std::string headline;
  bool trump = false;
  if (chance(rng, 0.7)) {
    const std::string ticker = pick_ticker(rng);
    char text[256];
    std::snprintf(text, sizeof text, pick(rng, kTickerHeadlines), ticker.c_str(),
                  static_cast<int>(uniform_int(rng, 2, 60)));
    headline = text;
    tickers.push_back(ticker);
  } else if (chance(rng, 0.08)) {
    headline = "Trump says tariffs on imported chips are coming soon";
    trump = true;
    tickers.push_back("NVDA");
    tickers.push_back("AMD");
  } else {
    headline = pick(rng, kMarketHeadlines);
  }
  return {{"headline", headline},
          {"timestamp", iso_time(now_ms)},
          {"source", trump ? "social-media" : pick(rng, kSources)},
          {"tickers", tickers},
          {"is_trump_ts", trump}};
}

json MarketGenerator::market_tide(std::int64_t now_ms) {
  auto& rng = gex_rng_;
  return {{"date", iso_date(now_ms / kMsPerDay)},
          {"timestamp", iso_time(now_ms)},
          {"net_call_premium", decimal_string(uniform(rng, -2.0e8, 4.0e8), 2)},
          {"net_put_premium", decimal_string(uniform(rng, -3.0e8, 2.0e8), 2)},
          {"net_volume", uniform_int(rng, -400000, 900000)}};
}

json MarketGenerator::congress_trade(std::int64_t now_ms, int filed_days_ago) {
  auto& rng = congress_rng_;
  struct Member {
    const char* name;
    const char* reporter;
    const char* chamber;
  };
  // Fictional members: the simulator must not attribute made-up trades to real people.
  static constexpr std::array<Member, 14> kMembers = {{{"Avery Lindqvist", "Avery L.", "house"},
                                                       {"Marcus Delacroix", "Marcus D.", "house"},
                                                       {"Helena Okafor", "Helena O.", "senate"},
                                                       {"Walter Brennan-Hale", "Walter B.", "house"},
                                                       {"Priya Castellanos", "Priya C.", "house"},
                                                       {"Jonas Whitfield", "Jonas W.", "senate"},
                                                       {"Ruth Abernathy", "Ruth A.", "house"},
                                                       {"Dmitri Vasquez", "Dmitri V.", "house"},
                                                       {"Evelyn Stroud", "Evelyn S.", "senate"},
                                                       {"Calvin Moreau", "Calvin M.", "house"},
                                                       {"Nadia Fairbanks", "Nadia F.", "senate"},
                                                       {"Theodore Quist", "Theodore Q.", "house"},
                                                       {"Lorraine Ashby", "Lorraine A.", "house"},
                                                       {"Samuel Oyelaran", "Samuel O.", "senate"}}};
  static constexpr std::array<const char*, 7> kAmounts = {
      "$1,001 - $15,000",    "$15,001 - $50,000",     "$50,001 - $100,000",     "$100,001 - $250,000",
      "$250,001 - $500,000", "$500,001 - $1,000,000", "$1,000,001 - $5,000,000"};
  static constexpr std::array<double, 7> kAmountWeights = {45, 25, 12, 9, 5, 3, 1};
  static constexpr std::array<const char*, 10> kOtherTickers = {"JPM",  "XOM",  "KO", "DIS",  "LMT",
                                                                "AVGO", "NFLX", "BA", "COIN", "PLTR"};
  static constexpr std::array<const char*, 5> kIssuers = {"not-disclosed", "self", "spouse", "joint", "dependent"};
  const auto& member = pick(rng, kMembers);
  const std::string ticker = chance(rng, 0.6) ? pick_ticker(rng) : std::string(pick(rng, kOtherTickers));
  std::discrete_distribution<std::size_t> amount(kAmountWeights.begin(), kAmountWeights.end());
  const double txn_roll = uniform(rng, 0.0, 1.0);
  const char* txn = txn_roll < 0.5 ? "Buy" : txn_roll < 0.8 ? "Sell" : txn_roll < 0.95 ? "Sell (partial)" : "Exchange";
  // The STOCK Act allows 45 days; about one filing in six is later than that.
  const int delay =
      chance(rng, 0.17) ? static_cast<int>(uniform_int(rng, 46, 240)) : static_cast<int>(uniform_int(rng, 2, 44));
  const std::int64_t filed_day = now_ms / kMsPerDay - filed_days_ago;
  std::string notes;
  const double notes_roll = uniform(rng, 0.0, 1.0);
  if (notes_roll < 0.25) {
    notes = "Subholding Of: " + std::string(member.reporter) + " Brokerage Account Description: " + ticker +
            " common stock";
  } else if (notes_roll < 0.35) {
    notes = "Description: " + ticker + " call options, strike and expiry not disclosed";
  }
  return {{"amounts", kAmounts[amount(rng)]},
          {"filed_at_date", iso_date(filed_day)},
          {"is_active", true},
          {"issuer", pick(rng, kIssuers)},
          {"member_type", member.chamber},
          {"name", member.name},
          {"notes", notes},
          {"politician_id",
           [&] {
             Rng id_rng(fnv1a(member.name));
             return uuid(id_rng);
           }()},
          {"reporter", member.reporter},
          {"ticker", ticker},
          {"transaction_date", iso_date(filed_day - delay)},
          {"txn_type", txn}};
}

}  // namespace flowmind::uwsim
