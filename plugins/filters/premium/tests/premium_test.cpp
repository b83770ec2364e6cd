// Tests of premium: the [min, max] window, computed values, missing values, other channels.
#include "premium.hpp"

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"min", 0}, {"on_missing", "drop"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(const std::string& channel, const std::string& payload) {
    Event event(channel, payload);
    return filter.process(event, out);
  }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  PremiumFilter filter;
};

constexpr auto keep = Filter::Verdict::keep;
constexpr auto drop = Filter::Verdict::drop;

TEST(Premium, WindowIsInclusive) {
  Harness h(config({{"min", 100000}, {"max", 1000000}}));
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":36466})"), drop);
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":"100000"})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":"250000.5"})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":1000000})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":1000000.01})"), drop);
  EXPECT_EQ(h.ctx.value("below"), 1U);
  EXPECT_EQ(h.ctx.value("above"), 1U);
  EXPECT_EQ(h.ctx.value("kept"), 3U);
}

TEST(Premium, ComputedFromPriceAndSize) {
  Harness h(config({{"min", 100000}}));
  EXPECT_EQ(h.run("option_trades", R"({"option_symbol":"SPY241018C00550000","price":"12.5","size":"100"})"), keep);
  EXPECT_EQ(h.run("off_lit_trades", R"({"ticker":"SPY","price":"12.5","size":"100"})"), drop);  // 1,250 for stock
}

TEST(Premium, MissingValuesOnTradeChannels) {
  Harness dropping(config({{"min", 1}}));
  EXPECT_EQ(dropping.run("flow-alerts", R"({"ticker":"DIA","total_premium":""})"), drop);
  EXPECT_EQ(dropping.run("off_lit_trades", R"({"ticker":"DIA","premium":"lots"})"), drop);
  EXPECT_EQ(dropping.ctx.value("no_value"), 2U);
  EXPECT_EQ(dropping.ctx.value("unreadable_premium"), 1U);
  Harness keeping(config({{"min", 1}, {"on_missing", "keep"}}));
  EXPECT_EQ(keeping.run("flow-alerts", R"({"ticker":"DIA"})"), keep);
  EXPECT_EQ(keeping.run("flow-alerts", "garbage"), keep);
  EXPECT_EQ(keeping.ctx.value("unreadable_payload"), 1U);
}

TEST(Premium, OtherChannelsPassUnlessTheyCarryAValue) {
  Harness h(config({{"min", 1000000}}));
  EXPECT_EQ(h.run("price:SPY", R"({"close":"562.82"})"), keep);
  EXPECT_EQ(h.run("news", R"({"headline":"x"})"), keep);
  EXPECT_EQ(h.run("congress-trades", R"({"ticker":"X","amounts":"$1,001 - $15,000"})"), keep);
  // An unnamed channel with a premium is judged like a trade.
  EXPECT_EQ(h.run("sweeps", R"({"premium":5000})"), drop);
  EXPECT_EQ(h.filter.status()["below"], 1);
}

TEST(Premium, ZeroMinKeepsEverythingWithAValue) {
  Harness h(config());
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":0})"), keep);
}

}  // namespace
}  // namespace flowmind
