// Tests of whale: stock prints, options with their own threshold, keep_only, missing and messy values.
#include "whale.hpp"

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"min_value", 1000000}, {"keep_only", false}, {"annotation", "whale"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(Event& event) { return filter.process(event, out); }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  WhaleFilter filter;
};

TEST(Whale, DarkPoolPrintsByPremiumOrPriceTimesSize) {
  Harness h(config());
  Event big("off_lit_trades", R"({"ticker":"SPY","premium":"2500000.5","price":"562","size":4448})");
  Event computed("off_lit_trades", R"({"ticker":"SPY","price":"562.5","size":"2000"})");  // 1,125,000
  Event small("off_lit_trades", R"({"ticker":"QID","premium":"121538.56"})");
  Event exact("lit_trades", R"({"ticker":"X","premium":1000000})");
  EXPECT_EQ(h.run(big), Filter::Verdict::keep);
  EXPECT_EQ(h.run(computed), Filter::Verdict::keep);
  EXPECT_EQ(h.run(small), Filter::Verdict::keep);
  EXPECT_EQ(h.run(exact), Filter::Verdict::keep);
  EXPECT_EQ(big.annotations()["whale"], true);
  EXPECT_EQ(big.annotations()["whale_value"], 2500000.5);
  EXPECT_EQ(computed.annotations()["whale_value"], 1125000.0);
  EXPECT_EQ(small.annotations(), (nlohmann::json{{"whale", false}}));
  EXPECT_EQ(exact.annotations()["whale"], true);
  EXPECT_EQ(h.ctx.value("whales"), 3U);
  EXPECT_EQ(h.ctx.value("small"), 1U);
}

TEST(Whale, OptionsOnlyWithTheirOwnThreshold) {
  Harness stock_only(config());
  Event alert("flow-alerts", R"({"option_chain":"DIA241018C00415000","total_premium":5000000})");
  EXPECT_EQ(stock_only.run(alert), Filter::Verdict::keep);
  EXPECT_TRUE(alert.annotations().empty());

  Harness with_options(config({{"options_min_value", 250000}, {"keep_only", true}}));
  Event big_alert("flow-alerts", R"({"option_chain":"DIA241018C00415000","total_premium":"300000"})");
  Event small_alert("flow-alerts", R"({"option_chain":"DIA241018C00415000","total_premium":36466})");
  Event trade("option_trades", R"({"option_symbol":"SPY241018C00550000","price":"30","size":100})");  // 300,000
  EXPECT_EQ(with_options.run(big_alert), Filter::Verdict::keep);
  EXPECT_EQ(with_options.run(small_alert), Filter::Verdict::drop);
  EXPECT_EQ(with_options.run(trade), Filter::Verdict::keep);
  EXPECT_EQ(trade.annotations()["whale_value"], 300000.0);
}

TEST(Whale, KeepOnlyDropsSmallAndValuelessTradesButNotOtherChannels) {
  Harness h(config({{"keep_only", true}}));
  Event small("off_lit_trades", R"({"ticker":"QID","premium":"121538.56"})");
  Event valueless("off_lit_trades", R"({"ticker":"QID","premium":"","price":"N/A"})");
  Event price("price:SPY", R"({"close":"562.82"})");
  Event news("news", R"({"headline":"x"})");
  EXPECT_EQ(h.run(small), Filter::Verdict::drop);
  EXPECT_EQ(h.run(valueless), Filter::Verdict::drop);
  EXPECT_EQ(h.run(price), Filter::Verdict::keep);
  EXPECT_EQ(h.run(news), Filter::Verdict::keep);
  EXPECT_TRUE(price.annotations().empty());
  EXPECT_EQ(h.ctx.value("dropped"), 2U);
  EXPECT_EQ(h.ctx.value("no_value"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_price"), 1U);
  EXPECT_EQ(h.filter.status()["dropped"], 2);
}

TEST(Whale, UnnamedChannelsAreJudgedWhenTheyCarryATrade) {
  Harness h(config());
  Event rest("darkpool-poller", R"({"ticker":"QID","premium":"1500000"})");
  Event tide("market_tide", R"({"net_call_premium":"5000000"})");
  h.run(rest);
  h.run(tide);
  EXPECT_EQ(rest.annotations()["whale"], true);
  EXPECT_TRUE(tide.annotations().empty());
}

TEST(Whale, MessyAndBrokenPayloadsAreCountedNotFatal) {
  Harness h(config());
  Event negative("off_lit_trades", R"({"ticker":"X","premium":"-2000000"})");
  Event huge("off_lit_trades", R"({"ticker":"X","premium":"1e308"})");
  Event broken("off_lit_trades", R"({"ticker":"X","premium":)");
  EXPECT_EQ(h.run(negative), Filter::Verdict::keep);
  EXPECT_EQ(h.run(huge), Filter::Verdict::keep);
  EXPECT_EQ(h.run(broken), Filter::Verdict::keep);
  EXPECT_FALSE(negative.annotations().contains("whale"));
  EXPECT_EQ(huge.annotations()["whale"], true);
  EXPECT_EQ(h.ctx.value("unreadable_premium"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_payload"), 1U);
  EXPECT_EQ(h.ctx.value("no_value"), 2U);
}

}  // namespace
}  // namespace flowmind
