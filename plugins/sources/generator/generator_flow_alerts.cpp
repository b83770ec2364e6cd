// Synthetic UW `flow-alerts` payloads: real field names, consistent OCC symbols, whale-heavy premiums.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "generator_market.hpp"
#include "generator_shapes.hpp"

namespace flowmind {
namespace {

struct Rule {
  std::string name;
  std::string id;
};

// UW rule ids are constants per rule, so they are derived from the rule name, not the seed.
std::vector<Rule> make_rules() {
  std::vector<Rule> rules;
  for (const char* name : {"RepeatedHits", "RepeatedHitsAscendingFill", "RepeatedHitsDescendingFill",
                           "FloorTradeSmallCap", "FloorTradeMidCap", "FloorTradeLargeCap", "OtmEarningsFloor",
                           "LowHistoricVolumeFloor", "SweepsFollowedByFloor"}) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char* c = name; *c != '\0'; ++c) hash = (hash ^ static_cast<unsigned char>(*c)) * 1099511628211ULL;
    SeededRandom random(hash);
    rules.push_back({name, random.uuid()});
  }
  return rules;
}

const std::vector<std::string>& option_exchanges() {
  static const std::vector<std::string> exchanges = {"XCBO", "MPRL", "ARCO", "XPHL", "XISX", "BATO",
                                                     "EDGO", "GMNI", "XBOX", "C2OX", "AMXO", "XMIO"};
  return exchanges;
}

// Price ticks: a nickel above $3, a penny below.
double tick_round(double price) { return price >= 3.0 ? std::round(price * 20.0) / 20.0 : round_to(price, 2); }

// A rough option value: intrinsic plus a time value that fades away from the money.
double option_price(double underlying, double strike, bool call, double days) {
  const double years = std::max(days, 0.5) / 365.0;
  const double volatility = 0.3;
  const double spread = volatility * std::sqrt(years);
  const double moneyness = std::log(strike / underlying) / spread;
  const double intrinsic = call ? std::max(underlying - strike, 0.0) : std::max(strike - underlying, 0.0);
  const double time_value = 0.4 * underlying * spread * std::exp(-0.5 * moneyness * moneyness);
  return std::max(0.01, tick_round(intrinsic + time_value));
}

class FlowAlertMaker final : public PayloadMaker {
 public:
  FlowAlertMaker(std::uint64_t seed, const std::vector<std::string>& tickers)
      : random_(seed), market_(tickers, random_), rules_(make_rules()) {}

  nlohmann::json make(std::uint64_t /*index*/, std::int64_t epoch_ms) override {
    Instrument& instrument = market_.next(random_);
    const double underlying = instrument.price;

    // Contract: mostly short-dated, near the money.
    const double week_roll = random_.uniform();
    const int weeks_out = week_roll < 0.35   ? 0
                          : week_roll < 0.6  ? 1
                          : week_roll < 0.75 ? 2
                          : week_roll < 0.9  ? static_cast<int>(random_.between(3, 8))
                                             : static_cast<int>(random_.between(9, 52));
    const CivilDate expiry = friday_expiry(epoch_ms, weeks_out);
    const double days = static_cast<double>(days_from_civil(expiry) - epoch_days(epoch_ms));
    const bool call = random_.chance(0.55);
    const double offset = std::clamp((0.03 + 0.002 * weeks_out) * random_.normal(), -0.35, 0.35);
    const double step = instrument.strike_step;
    const double strike = std::max(step, std::round(underlying * std::exp(offset) / step) * step);
    const double price = option_price(underlying, strike, call, days);

    // Premium: log-normal around $45k, with about 6% whales of $1M and more.
    const bool whale = random_.chance(0.06);
    const double target = whale ? random_.log_uniform(1'000'000, 12'000'000)
                                : std::clamp(random_.log_normal(45'000, 1.1), 2'500.0, 950'000.0);
    const auto total_size = static_cast<std::int64_t>(std::ceil(target / (price * 100.0)));
    const auto total_premium = static_cast<std::int64_t>(std::llround(static_cast<double>(total_size) * price * 100.0));

    // Side: most alerts are clearly ask-side (bought) or bid-side (sold).
    const double side_roll = random_.uniform();
    const double ask_share = side_roll < 0.45  ? random_.uniform(0.8, 1.0)
                             : side_roll < 0.8 ? random_.uniform(0.0, 0.2)
                                               : random_.uniform(0.3, 0.7);
    const auto ask_premium = static_cast<std::int64_t>(std::llround(static_cast<double>(total_premium) * ask_share));
    const double spread = std::max(0.01, tick_round(price * 0.02));
    double bid = 0;
    double ask = 0;
    if (ask_share >= 0.7) {
      ask = price;
      bid = std::max(0.0, price - spread);
    } else if (ask_share <= 0.3) {
      bid = price;
      ask = price + spread;
    } else {
      bid = std::max(0.0, price - spread / 2);
      ask = bid + spread;
    }

    const Rule& rule = random_.pick(rules_);
    const bool has_floor = rule.name.find("Floor") != std::string::npos;
    const bool has_sweep = rule.name == "SweepsFollowedByFloor" || random_.chance(0.35);
    const bool has_multileg = random_.chance(0.08);
    const auto trade_count = static_cast<std::int64_t>(1 + random_.below(has_sweep ? 12 : 6));
    nlohmann::json trade_ids = nlohmann::json::array();
    for (std::int64_t i = 0; i < trade_count; ++i) trade_ids.push_back(random_.uuid());

    const std::int64_t volume = total_size + random_.between(0, 4 * total_size);
    const auto open_interest = static_cast<std::int64_t>(std::llround(random_.log_normal(2'000, 1.5)));
    const auto ask_vol = static_cast<std::int64_t>(std::llround(static_cast<double>(volume) * ask_share * 0.9));
    const auto bid_vol = static_cast<std::int64_t>(std::llround(static_cast<double>(volume) * (1 - ask_share) * 0.9));
    const std::int64_t mid_vol = volume - ask_vol - bid_vol;

    nlohmann::json exchanges = nlohmann::json::array();
    const auto exchange_count = static_cast<std::size_t>(has_sweep ? random_.between(2, 4) : random_.between(1, 2));
    while (exchanges.size() < exchange_count) {
      const auto& exchange = random_.pick(option_exchanges());
      if (std::find(exchanges.begin(), exchanges.end(), exchange) == exchanges.end()) exchanges.push_back(exchange);
    }

    const std::int64_t start_time = epoch_ms - random_.between(0, has_sweep ? 2'000 : 200);
    const bool all_opening_trades = random_.chance(0.15);
    const double volume_oi_ratio =
        open_interest > 0 ? round_to(static_cast<double>(volume) / static_cast<double>(open_interest), 4) : 0.0;
    std::string id = random_.uuid();
    return {
        {"id", std::move(id)},
        {"rule_id", rule.id},
        {"rule_name", rule.name},
        {"ticker", instrument.ticker},
        {"option_chain", occ_symbol(instrument.ticker, expiry, call, strike)},
        {"underlying_price", underlying},
        {"price", price},
        {"bid", decimal_text(bid, 2)},
        {"ask", decimal_text(ask, 2)},
        {"volume", volume},
        {"open_interest", open_interest},
        {"volume_oi_ratio", volume_oi_ratio},
        {"total_size", total_size},
        {"total_premium", total_premium},
        {"total_ask_side_prem", ask_premium},
        {"total_bid_side_prem", total_premium - ask_premium},
        {"ask_vol", ask_vol},
        {"bid_vol", bid_vol},
        {"mid_vol", mid_vol},
        {"no_side_vol", 0},
        {"multi_vol", has_multileg ? volume / 2 : 0},
        {"stock_multi_vol", 0},
        {"has_sweep", has_sweep},
        {"has_floor", has_floor},
        {"has_multileg", has_multileg},
        {"has_singleleg", !has_multileg},
        {"all_opening_trades", all_opening_trades},
        {"trade_count", trade_count},
        {"trade_ids", std::move(trade_ids)},
        {"expiry_count", 1},
        {"exchanges", std::move(exchanges)},
        {"upstream_condition_details", has_sweep ? nlohmann::json{"auto", "slan"} : nlohmann::json{"auto"}},
        {"start_time", start_time},
        {"end_time", epoch_ms},
        {"executed_at", epoch_ms},
        {"url", ""},
    };
  }

 private:
  SeededRandom random_;
  Market market_;
  std::vector<Rule> rules_;
};

}  // namespace

std::unique_ptr<PayloadMaker> make_flow_alert_maker(std::uint64_t seed, const std::vector<std::string>& tickers) {
  return std::make_unique<FlowAlertMaker>(seed, tickers);
}

}  // namespace flowmind
