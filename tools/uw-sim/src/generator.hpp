// Seeded, internally consistent market data for every UW channel and REST endpoint.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind::uwsim {

// Every kind of record draws from its own seeded stream, and every ticker walks with its own stream,
// so the sequence of one channel does not depend on which other channels are being generated.
class MarketGenerator {
 public:
  MarketGenerator(std::uint64_t seed, std::vector<std::string> tickers);

  nlohmann::json flow_alert(std::int64_t now_ms);
  // One trade on one of `tickers` (the firehose spreads over them).
  nlohmann::json option_trade(const std::vector<std::string>& tickers, std::int64_t now_ms);
  nlohmann::json off_lit_trade(std::int64_t now_ms) { return stock_trade(true, stock_rng_, now_ms); }
  nlohmann::json lit_trade(std::int64_t now_ms) { return stock_trade(false, stock_rng_, now_ms); }
  nlohmann::json darkpool_record(std::int64_t now_ms) { return stock_trade(true, rest_rng_, now_ms); }
  nlohmann::json price(const std::string& ticker, std::int64_t now_ms);
  nlohmann::json gex(const std::string& ticker, std::int64_t now_ms);
  nlohmann::json gex_strike(const std::string& ticker, std::int64_t now_ms, bool with_expiry);
  nlohmann::json news(std::int64_t now_ms);
  nlohmann::json market_tide(std::int64_t now_ms);
  // A congress trade filed on the day `filed_days_ago` days before now.
  nlohmann::json congress_trade(std::int64_t now_ms, int filed_days_ago);

  // The ticker's current price (the walk position) without moving it.
  double current_price(const std::string& ticker);
  [[nodiscard]] const std::vector<std::string>& tickers() const { return tickers_; }

 private:
  struct TickerState {
    double base = 100;
    double price = 100;
    double iv = 0.3;
    std::uint64_t volume = 0;
    std::mt19937_64 rng;
  };
  TickerState& state(const std::string& ticker);
  double step(TickerState& ticker);  // moves the walk one step and returns the new price
  nlohmann::json stock_trade(bool off_lit, std::mt19937_64& rng, std::int64_t now_ms);
  const std::string& pick_ticker(std::mt19937_64& rng);

  std::uint64_t seed_;
  std::vector<std::string> tickers_;
  std::vector<double> ticker_weights_;
  std::map<std::string, TickerState> states_;
  std::mt19937_64 flow_rng_;
  std::mt19937_64 option_rng_;
  std::mt19937_64 stock_rng_;
  std::mt19937_64 rest_rng_;
  std::mt19937_64 gex_rng_;
  std::mt19937_64 news_rng_;
  std::mt19937_64 congress_rng_;
};

// Helpers shared with the REST layer and the tests.
std::uint64_t fnv1a(const std::string& text);
std::string decimal_string(double value, int max_places);    // "562.80" -> "562.8", "19.00" -> "19"
std::string iso_time(std::int64_t epoch_ms);                 // 2024-09-18T14:30:00Z
std::string iso_date(std::int64_t epoch_days);               // 2024-09-18
std::int64_t days_from_date(const std::string& yyyy_mm_dd);  // -1 when malformed

}  // namespace flowmind::uwsim
