// Alerts from UW events, spoken premiums, phrase templates, `when` conditions and the rate limits (no sleeping).
#include <gtest/gtest.h>

#include "alert.hpp"
#include "alert_condition.hpp"
#include "rate_limit.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;

const char* flow_payload =
    R"({"ticker":"DIA","option_chain":"DIA241018C00415000","underlying_price":415.981,"total_premium":36466,)"
    R"("has_sweep":false,"price":7.3,"total_size":50})";

TEST(AudioAlert, ReadsSymbolKindPremiumAndContractFromUwEvents) {
  const auto flow = make_alert(Event("flow-alerts", flow_payload), "");
  EXPECT_EQ(flow.symbol, "DIA");
  EXPECT_EQ(flow.kind, "flow");
  EXPECT_EQ(flow.premium, 36466);
  EXPECT_EQ(flow.contract, "415 call");

  const auto sweep =
      make_alert(Event("flow-alerts", R"({"ticker":"NVDA","has_sweep":true,"total_premium":"2100000"})"), "");
  EXPECT_EQ(sweep.kind, "sweep");
  EXPECT_EQ(sweep.premium, 2100000);

  Event whale_event("off_lit_trades", R"({"ticker":"QID","premium":"121538.56","price":"18.99","size":6400})");
  EXPECT_EQ(make_alert(whale_event, "").kind, "dark_pool");
  whale_event.annotate("whale", true);
  EXPECT_EQ(make_alert(whale_event, "").kind, "whale");
  whale_event.annotate("alert_kind", "block");
  EXPECT_EQ(make_alert(whale_event, "").kind, "block");
  EXPECT_EQ(make_alert(whale_event, "fixed").kind, "fixed");

  const auto price = make_alert(Event("price:SPY", R"({"close":"562.82","time":1726670327692})"), "");
  EXPECT_EQ(price.symbol, "SPY");
  EXPECT_EQ(price.kind, "price");
  EXPECT_FALSE(price.premium);

  const auto computed = make_alert(
      Event("option_trades", R"({"symbol":"AAPL","price":"2.5","size":"10","option_chain":"AAPL241018P00227500"})"),
      "");
  EXPECT_EQ(computed.premium, 2500);
  EXPECT_EQ(computed.contract, "227.5 put");

  const auto broken = make_alert(Event("news", "not json"), "");
  EXPECT_EQ(broken.kind, "alert");
  EXPECT_TRUE(broken.symbol.empty());
}

TEST(AudioAlert, SaysPremiumsTheWayPeopleDo) {
  EXPECT_EQ(premium_short(2'100'000), "2.1 million");
  EXPECT_EQ(premium_short(1'000'000), "1 million");
  EXPECT_EQ(premium_short(12'345'678), "12.3 million");
  EXPECT_EQ(premium_short(350'000), "350 thousand");
  EXPECT_EQ(premium_short(36'466), "36.5 thousand");
  EXPECT_EQ(premium_short(1'250'000'000), "1.25 billion");
  EXPECT_EQ(premium_short(980), "980");
}

TEST(AudioAlert, RendersTemplatesAndTidiesMissingParts) {
  Event event("flow-alerts", flow_payload);
  event.annotate("sentiment", "bullish");
  const auto alert = make_alert(event, "");
  EXPECT_EQ(render_template("{symbol} {kind} sweep, {premium_short}", alert, 0), "DIA flow sweep, 36.5 thousand");
  EXPECT_EQ(render_template("{symbol} {contract} {annotations.sentiment} at {underlying_price} ({count})", alert, 2),
            "DIA 415 call bullish at 415.981 (3)");
  const auto price = make_alert(Event("price:SPY", "{}"), "");
  EXPECT_EQ(render_template("{symbol} {kind}, {contract}, {premium_short}", price, 0), "SPY price");
  EXPECT_EQ(render_template("{kind}", make_alert(Event("off_lit_trades", "{}"), ""), 0), "dark pool");
  EXPECT_EQ(render_template("{nope} {symbol}", price, 0), "SPY");
  const auto json = alert_json(alert, "text", 4);
  EXPECT_EQ(json["more"], 4);
  EXPECT_EQ(json["data"]["ticker"], "DIA");
  EXPECT_EQ(json["annotations"]["sentiment"], "bullish");
}

TEST(AudioCondition, ComparesTolerantlyAndHandlesMissingFields) {
  Event event("off_lit_trades", R"({"ticker":"QQQ","premium":"1500000.5","tags":["ask_side","bullish"]})");
  event.annotate("sentiment", "bullish");
  const auto check = [&](const nlohmann::json& item) { return AlertCondition::from_json(item).matches(event); };
  EXPECT_TRUE(check({{"field", "premium"}, {"op", "gte"}, {"value", 1000000}}));
  EXPECT_FALSE(check({{"field", "premium"}, {"op", "lt"}, {"value", 1000000}}));
  EXPECT_TRUE(check({{"field", "ticker"}, {"op", "in"}, {"value", {"SPY", "QQQ"}}}));
  EXPECT_TRUE(check({{"field", "tags"}, {"op", "contains"}, {"value", "bullish"}}));
  EXPECT_TRUE(check({{"field", "channel"}, {"value", "off_lit_trades"}}));
  EXPECT_TRUE(check({{"field", "annotations.sentiment"}, {"op", "eq"}, {"value", "bullish"}}));
  EXPECT_FALSE(check({{"field", "missing"}, {"op", "eq"}, {"value", 1}}));
  EXPECT_TRUE(check({{"field", "missing"}, {"op", "ne"}, {"value", 1}}));
  EXPECT_TRUE(check({{"field", "missing"}, {"op", "exists"}, {"value", false}}));
  EXPECT_TRUE(check({{"field", "ticker"}, {"op", "exists"}}));
  EXPECT_THROW(AlertCondition::from_json({{"field", "x"}, {"op", "gte"}, {"value", "big"}}), std::invalid_argument);
  EXPECT_THROW(AlertCondition::from_json({{"field", "x"}, {"op", "in"}, {"value", 3}}), std::invalid_argument);
}

TEST(AudioRateLimit, CooldownHoldsEachSymbolOnItsOwn) {
  SymbolCooldown cooldown(30s, 3);
  const std::chrono::steady_clock::time_point t0{};
  EXPECT_TRUE(cooldown.allow("SPY", t0));
  EXPECT_FALSE(cooldown.allow("SPY", t0 + 29s));
  EXPECT_TRUE(cooldown.allow("QQQ", t0 + 29s));
  EXPECT_TRUE(cooldown.allow("SPY", t0 + 30s));
  EXPECT_TRUE(cooldown.allow("", t0 + 30s));
  EXPECT_TRUE(cooldown.allow("", t0 + 30s));
  // Bounded memory: a fourth symbol pushes out the oldest still cooling down.
  EXPECT_TRUE(cooldown.allow("NVDA", t0 + 31s));
  EXPECT_TRUE(cooldown.allow("AAPL", t0 + 32s));
  EXPECT_TRUE(cooldown.allow("QQQ", t0 + 33s));  // was forgotten
  EXPECT_TRUE(SymbolCooldown(0s).allow("SPY", t0) && SymbolCooldown(0s).allow("SPY", t0));
}

TEST(AudioRateLimit, BudgetCountsASlidingMinute) {
  MinuteBudget budget(2);
  const std::chrono::steady_clock::time_point t0{};
  EXPECT_TRUE(budget.take(t0));
  EXPECT_TRUE(budget.take(t0 + 10s));
  EXPECT_FALSE(budget.take(t0 + 59s));
  EXPECT_TRUE(budget.take(t0 + 60s));
  EXPECT_FALSE(budget.take(t0 + 65s));
  EXPECT_TRUE(budget.take(t0 + 70s));
  MinuteBudget unlimited(0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(unlimited.take(t0));
}

}  // namespace
}  // namespace flowmind
