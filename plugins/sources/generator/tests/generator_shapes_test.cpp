// Tests of the generated payloads: UW field names and types, consistent OCC symbols, realistic values.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "collecting_source_context.hpp"
#include "generator.hpp"
#include "generator_market.hpp"
#include "generator_test_config.hpp"

namespace flowmind {
namespace {

using flowmind::testing::CollectingSourceContext;
using flowmind::testing::generator_config;

// Payloads of the UW documentation (the project's fixtures/uw/flow-alerts.json and darkpool-recent.json).
constexpr const char* flow_alert_fixture =
    R"({"rule_id":"5ce5ec11-087c-4c00-b164-08106b015856","rule_name":"RepeatedHitsDescendingFill","ticker":"DIA","option_chain":"DIA241018C00415000","underlying_price":415.981,"volume":106,"total_size":50,"total_premium":36466,"total_ask_side_prem":36466,"total_bid_side_prem":0,"start_time":1726670212648,"end_time":1726670212748,"url":"","price":7.3,"has_multileg":false,"has_sweep":false,"has_floor":false,"open_interest":575,"all_opening_trades":false,"id":"29ed5829-e4ce-4934-876b-51985d2f9b70","has_singleleg":true,"volume_oi_ratio":0,"trade_ids":["417f0cd6-09ae-4d43-8542-38557bb713aa","4af4c646-4b21-4a27-8326-db7b0698d3d8"],"trade_count":7,"expiry_count":1,"executed_at":1726670212748,"ask_vol":52,"bid_vol":49,"no_side_vol":0,"mid_vol":5,"multi_vol":0,"stock_multi_vol":0,"upstream_condition_details":["auto","slan"],"exchanges":["XCBO","MPRL"],"bid":"7.15","ask":"7.3"})";
constexpr const char* dark_pool_fixture =
    R"({"canceled":false,"executed_at":"2023-02-16T00:59:44Z","ext_hour_sold_codes":"extended_hours_trade","market_center":"L","nbbo_ask":"19","nbbo_ask_quantity":6600,"nbbo_bid":"18.99","nbbo_bid_quantity":29100,"premium":"121538.56","price":"18.9904","sale_cond_codes":null,"size":6400,"ticker":"QID","tracking_id":71984388012245,"trade_code":null,"trade_settlement":"regular_settlement","volume":9946819})";

std::vector<nlohmann::json> payloads(const nlohmann::json& overrides) {
  GeneratorSource source(generator_config(overrides));
  CollectingSourceContext ctx;
  source.run(ctx);
  std::vector<nlohmann::json> out;
  for (const auto& event : ctx.take()) out.push_back(event.payload());
  return out;
}

// JSON kinds as UW uses them (integers and floats are both "number").
std::string kind(const nlohmann::json& value) {
  if (value.is_number()) return "number";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "bool";
  if (value.is_array()) return "array";
  if (value.is_null()) return "null";
  return "object";
}

// The parts of an OCC symbol (ROOT YYMMDD C|P STRIKE*1000 on 8 digits); nullopt if malformed.
struct OccParts {
  std::string root;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char kind = '?';
  double strike = 0;
};

std::optional<OccParts> parse_occ(const std::string& symbol) {
  const auto digits = [](const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (symbol.size() < 16 || symbol.size() > 21) return std::nullopt;
  const std::string root = symbol.substr(0, symbol.size() - 15);
  const std::string date = symbol.substr(root.size(), 6);
  const char kind = symbol[root.size() + 6];
  const std::string strike = symbol.substr(root.size() + 7);
  if (!std::all_of(root.begin(), root.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }) ||
      !digits(date) || (kind != 'C' && kind != 'P') || strike.size() != 8 || !digits(strike)) {
    return std::nullopt;
  }
  return OccParts{root,
                  2000 + std::stoi(date.substr(0, 2)),
                  static_cast<unsigned>(std::stoi(date.substr(2, 2))),
                  static_cast<unsigned>(std::stoi(date.substr(4, 2))),
                  kind,
                  std::stod(strike) / 1000.0};
}

double number_of(const nlohmann::json& value) {
  return value.is_string() ? std::stod(value.get<std::string>()) : value.get<double>();
}

TEST(GeneratorFlowAlerts, HaveExactlyTheFieldsAndTypesOfTheUwPayload) {
  const auto fixture = nlohmann::json::parse(flow_alert_fixture);
  for (const auto& alert : payloads({{"count", 200}, {"rate", 0}, {"shape", "flow-alerts"}})) {
    ASSERT_EQ(alert.size(), fixture.size()) << alert.dump();
    for (const auto& [key, value] : fixture.items()) {
      ASSERT_TRUE(alert.contains(key)) << key;
      EXPECT_EQ(kind(alert[key]), kind(value)) << key;
    }
  }
}

TEST(GeneratorFlowAlerts, OptionChainMatchesTickerExpiryAndStrike) {
  const std::set<std::string> tickers(default_generator_tickers().begin(), default_generator_tickers().end());
  std::set<std::string> seen_tickers;
  int calls = 0;
  const auto alerts = payloads({{"count", 1000}, {"rate", 0}, {"shape", "flow-alerts"}, {"clock", "simulated"}});
  for (const auto& alert : alerts) {
    const auto chain = alert.at("option_chain").get<std::string>();
    const auto parts = parse_occ(chain);
    ASSERT_TRUE(parts.has_value()) << chain;
    const auto ticker = alert.at("ticker").get<std::string>();
    EXPECT_EQ(parts->root, ticker);
    EXPECT_TRUE(tickers.count(ticker)) << ticker;
    seen_tickers.insert(ticker);

    // The expiry is a real Friday, on or after the trade date.
    using namespace std::chrono;
    const year_month_day expiry{year(parts->year), month(parts->month), day(parts->day)};
    ASSERT_TRUE(expiry.ok()) << chain;
    EXPECT_EQ(weekday(sys_days(expiry)), Friday) << chain;
    const auto trade_day =
        floor<days>(sys_time<milliseconds>(milliseconds(alert.at("executed_at").get<std::int64_t>())));
    EXPECT_GE(sys_days(expiry), trade_day) << chain;
    EXPECT_LE(sys_days(expiry) - trade_day, days(7 * 53)) << chain;

    const double strike = parts->strike;
    const double underlying = alert.at("underlying_price").get<double>();
    EXPECT_GT(strike, 0);
    EXPECT_GT(strike, underlying * 0.5) << chain;
    EXPECT_LT(strike, underlying * 1.5) << chain;
    calls += parts->kind == 'C' ? 1 : 0;
  }
  EXPECT_EQ(seen_tickers, tickers);  // 1000 alerts touch every one of the 12 names
  EXPECT_GT(calls, 300);
  EXPECT_LT(calls, 700);
}

TEST(GeneratorFlowAlerts, PremiumsSizesAndSidesAreConsistent) {
  for (const auto& alert : payloads({{"count", 500}, {"rate", 0}, {"shape", "flow-alerts"}})) {
    const auto premium = alert.at("total_premium").get<std::int64_t>();
    const auto size = alert.at("total_size").get<std::int64_t>();
    const double price = alert.at("price").get<double>();
    EXPECT_GE(size, 1);
    EXPECT_GT(price, 0);
    EXPECT_LE(std::abs(static_cast<double>(premium) - static_cast<double>(size) * price * 100), 1.0);
    EXPECT_EQ(alert.at("total_ask_side_prem").get<std::int64_t>() + alert.at("total_bid_side_prem").get<std::int64_t>(),
              premium);
    EXPECT_LE(std::stod(alert.at("bid").get<std::string>()), price + 1e-9);
    EXPECT_GE(std::stod(alert.at("ask").get<std::string>()), price - 1e-9);
    EXPECT_GE(alert.at("volume").get<std::int64_t>(), size);
    EXPECT_EQ(alert.at("trade_ids").size(), alert.at("trade_count").get<std::size_t>());
    EXPECT_EQ(alert.at("has_singleleg").get<bool>(), !alert.at("has_multileg").get<bool>());
    EXPECT_LE(alert.at("start_time").get<std::int64_t>(), alert.at("end_time").get<std::int64_t>());
    EXPECT_EQ(alert.at("end_time"), alert.at("executed_at"));
    EXPECT_EQ(alert.at("ask_vol").get<std::int64_t>() + alert.at("bid_vol").get<std::int64_t>() +
                  alert.at("mid_vol").get<std::int64_t>() + alert.at("no_side_vol").get<std::int64_t>(),
              alert.at("volume").get<std::int64_t>());
  }
}

TEST(GeneratorFlowAlerts, IncludeSomeMillionDollarWhalesAmongOrdinaryFlow) {
  const auto alerts = payloads({{"count", 2000}, {"rate", 0}, {"shape", "flow-alerts"}});
  std::vector<std::int64_t> premiums;
  for (const auto& alert : alerts) premiums.push_back(alert.at("total_premium").get<std::int64_t>());
  const auto whales = std::count_if(premiums.begin(), premiums.end(), [](auto p) { return p >= 1'000'000; });
  EXPECT_GE(whales, 40);  // about 6%
  EXPECT_LE(whales, 250);
  std::sort(premiums.begin(), premiums.end());
  EXPECT_GT(premiums[premiums.size() / 2], 10'000);  // the median alert is tens of thousands
  EXPECT_LT(premiums[premiums.size() / 2], 200'000);
  EXPECT_GE(premiums.front(), 2'000);
}

TEST(GeneratorOffLitTrades, HaveTheFieldsOfTheUwDarkPoolPayload) {
  const auto fixture = nlohmann::json::parse(dark_pool_fixture);
  for (const auto& trade : payloads({{"count", 300}, {"rate", 0}, {"shape", "off_lit_trades"}})) {
    ASSERT_EQ(trade.size(), fixture.size()) << trade.dump();
    for (const auto& [key, value] : fixture.items()) {
      ASSERT_TRUE(trade.contains(key)) << key;
      if (key == "executed_at") {
        EXPECT_TRUE(trade[key].is_number_integer());  // epoch ms on the WebSocket (ISO only on REST)
      } else if (!value.is_null() && key != "ext_hour_sold_codes") {
        EXPECT_EQ(kind(trade[key]), kind(value)) << key;
      }
    }
    for (const char* key : {"price", "premium", "nbbo_bid", "nbbo_ask"}) {
      const auto text = trade.at(key).get<std::string>();
      EXPECT_NO_THROW((void)std::stod(text)) << key << "=" << text;
    }
  }
}

TEST(GeneratorOffLitTrades, PricesSitInTheSpreadAndCountersOnlyGrow) {
  std::map<std::string, std::int64_t> last_volume;
  std::int64_t last_tracking_id = 0;
  int blocks = 0;
  for (const auto& trade : payloads({{"count", 2000}, {"rate", 0}, {"shape", "off_lit_trades"}, {"seed", 11}})) {
    const double price = number_of(trade.at("price"));
    const auto size = trade.at("size").get<std::int64_t>();
    EXPECT_GE(size, 1);
    EXPECT_GE(price + 1e-9, number_of(trade.at("nbbo_bid")));
    EXPECT_LE(price - 1e-9, number_of(trade.at("nbbo_ask")));
    EXPECT_NEAR(number_of(trade.at("premium")), price * static_cast<double>(size), 0.01);
    blocks += number_of(trade.at("premium")) >= 1'000'000 ? 1 : 0;

    const auto tracking_id = trade.at("tracking_id").get<std::int64_t>();
    EXPECT_GT(tracking_id, last_tracking_id);
    last_tracking_id = tracking_id;
    const auto ticker = trade.at("ticker").get<std::string>();
    const auto volume = trade.at("volume").get<std::int64_t>();
    EXPECT_GE(volume, last_volume[ticker] + size);
    last_volume[ticker] = volume;
    EXPECT_EQ(trade.at("trade_settlement"), "regular_settlement");
  }
  EXPECT_GE(blocks, 20);  // about 3% block prints of $1M and more
  EXPECT_LE(blocks, 200);
}

TEST(GeneratorOffLitTrades, MarkPrintsOutsideRegularHours) {
  // The simulated clock starts at the 13:30 UTC open: every print of the first hour is regular.
  for (const auto& trade :
       payloads({{"count", 50}, {"rate", 1000}, {"shape", "off_lit_trades"}, {"clock", "simulated"}})) {
    EXPECT_TRUE(trade.at("ext_hour_sold_codes").is_null());
  }
}

TEST(GeneratorShapes, UseOnlyTheConfiguredTickers) {
  for (const std::string shape : {"flow-alerts", "off_lit_trades"}) {
    std::set<std::string> seen;
    for (const auto& payload :
         payloads({{"count", 200}, {"rate", 0}, {"shape", shape}, {"tickers", {"ABC", "BRK.B"}}})) {
      seen.insert(payload.at("ticker").get<std::string>());
      if (payload.contains("option_chain")) {
        const auto chain = payload.at("option_chain").get<std::string>();
        EXPECT_TRUE(chain.rfind(payload.at("ticker") == "BRK.B" ? "BRKB" : "ABC", 0) == 0) << chain;
      }
    }
    EXPECT_EQ(seen, (std::set<std::string>{"ABC", "BRK.B"})) << shape;
  }
}

TEST(GeneratorMarket, CalendarAndOccHelpers) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2024, 2, 29}), 19782);
  const auto date = civil_from_days(19782);
  EXPECT_EQ(date.year, 2024);
  EXPECT_EQ(date.month, 2);
  EXPECT_EQ(date.day, 29);
  EXPECT_EQ(epoch_days(-1), -1);
  // 2024-09-18 (a Wednesday): the same week's Friday is the 20th, four weeks on is Oct 18.
  const auto friday = friday_expiry(1'726'670'212'748, 4);
  EXPECT_EQ(friday.month, 10);
  EXPECT_EQ(friday.day, 18);
  EXPECT_EQ(occ_symbol("DIA", friday, true, 415), "DIA241018C00415000");
  EXPECT_EQ(occ_symbol("BRK.B", {2025, 1, 17}, false, 412.5), "BRKB250117P00412500");
  // The test's own OCC parser accepts those and nothing malformed.
  ASSERT_TRUE(parse_occ("BRKB250117P00412500").has_value());
  EXPECT_EQ(parse_occ("BRKB250117P00412500")->strike, 412.5);
  EXPECT_FALSE(parse_occ("DIA241018X00415000").has_value());
  EXPECT_FALSE(parse_occ("DIA24101C00415000").has_value());
  EXPECT_FALSE(parse_occ("dia241018C00415000").has_value());
  EXPECT_EQ(decimal_text(7.3, 2), "7.3");
  EXPECT_EQ(decimal_text(7.0, 2), "7");
  EXPECT_EQ(decimal_text(18.99041, 4), "18.9904");
  EXPECT_EQ(decimal_text(121538.56, 2), "121538.56");
  EXPECT_EQ(round_to(415.98123, 3), 415.981);
}

}  // namespace
}  // namespace flowmind
