// Synthetic UW `off_lit_trades` (dark-pool prints): numbers as strings like UW, occasional block whales.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "generator_market.hpp"
#include "generator_shapes.hpp"

namespace flowmind {
namespace {

// Regular US trading hours in UTC (13:30-20:00, daylight-saving time); prints outside carry the
// extended-hours code.
bool extended_hours(std::int64_t epoch_ms) {
  constexpr std::int64_t ms_per_day = 86'400'000;
  const std::int64_t time_of_day = ((epoch_ms % ms_per_day) + ms_per_day) % ms_per_day;
  return time_of_day < 48'600'000 || time_of_day >= 72'000'000;
}

class OffLitTradeMaker final : public PayloadMaker {
 public:
  OffLitTradeMaker(std::uint64_t seed, const std::vector<std::string>& tickers)
      : random_(seed),
        market_(tickers, random_),
        tracking_id_(71'984'388'012'245 + random_.between(0, 1'000'000'000)) {}

  nlohmann::json make(std::uint64_t /*index*/, std::int64_t epoch_ms) override {
    Instrument& instrument = market_.next(random_);

    const double spread = 0.01 * static_cast<double>(random_.between(1, instrument.price < 100 ? 1 : 3));
    const double bid = std::max(0.01, std::floor(instrument.price * 100.0) / 100.0);
    const double ask = round_to(bid + spread, 2);
    // Dark-pool prints land inside the spread, often at sub-penny prices.
    const double price = round_to(bid + random_.uniform() * (ask - bid), 4);

    const bool whale = random_.chance(0.03);
    const std::int64_t size =
        whale ? static_cast<std::int64_t>(std::ceil(random_.log_uniform(1'000'000, 30'000'000) / price))
              : std::clamp(static_cast<std::int64_t>(std::llround(random_.log_normal(250, 1.4))), std::int64_t{1},
                           std::int64_t{400'000});
    const double premium = round_to(price * static_cast<double>(size), 2);

    tracking_id_ += random_.between(1, 4'000);
    instrument.day_volume += size + random_.between(0, 20'000);

    const double center_roll = random_.uniform();
    const char* market_center = center_roll < 0.55 ? "L" : center_roll < 0.9 ? "N" : "D";
    const bool canceled = random_.chance(0.002);
    const bool average_price = random_.chance(0.05);
    const std::int64_t bid_quantity = 100 * random_.between(1, 300);
    const std::int64_t ask_quantity = 100 * random_.between(1, 300);

    return {
        {"ticker", instrument.ticker},
        {"price", decimal_text(price, 4)},
        {"size", size},
        {"premium", decimal_text(premium, 2)},
        {"volume", instrument.day_volume},
        {"executed_at", epoch_ms},
        {"market_center", market_center},
        {"tracking_id", tracking_id_},
        {"nbbo_bid", decimal_text(bid, 2)},
        {"nbbo_ask", decimal_text(ask, 2)},
        {"nbbo_bid_quantity", bid_quantity},
        {"nbbo_ask_quantity", ask_quantity},
        {"canceled", canceled},
        {"ext_hour_sold_codes", extended_hours(epoch_ms) ? nlohmann::json("extended_hours_trade") : nlohmann::json()},
        {"sale_cond_codes", average_price ? nlohmann::json("average_price_trade") : nlohmann::json()},
        {"trade_code", nullptr},
        {"trade_settlement", "regular_settlement"},
    };
  }

 private:
  SeededRandom random_;
  Market market_;
  std::int64_t tracking_id_;
};

}  // namespace

std::unique_ptr<PayloadMaker> make_off_lit_trade_maker(std::uint64_t seed, const std::vector<std::string>& tickers) {
  return std::make_unique<OffLitTradeMaker>(seed, tickers);
}

}  // namespace flowmind
