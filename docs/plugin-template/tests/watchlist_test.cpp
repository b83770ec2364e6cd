// Unit tests of the watchlist logic, linked directly (no loader, no engine).
#include "watchlist.hpp"

#include <gtest/gtest.h>

namespace watchlist {
namespace {

class NoEmitter final : public flowmind::Emitter {
 public:
  void emit(flowmind::Event /*event*/) override { FAIL() << "the watchlist filter never emits"; }
};

flowmind::Config config(nlohmann::json tickers, bool drop_others) {
  return flowmind::Config({{"tickers", std::move(tickers)}, {"drop_others", drop_others}});
}

WatchlistFilter make_filter(nlohmann::json tickers, bool drop_others) {
  return WatchlistFilter(std::make_shared<const WatchlistConfig>(WatchlistConfig::from(config(tickers, drop_others))));
}

TEST(Watchlist, TagsWatchedTickersCaseInsensitively) {
  auto filter = make_filter({"spy", "QQQ"}, false);
  NoEmitter out;
  flowmind::Event event("flow-alerts", R"({"ticker":"SPY","total_premium":250000})");
  EXPECT_EQ(filter.process(event, out), flowmind::Filter::Verdict::keep);
  ASSERT_TRUE(event.annotation("watchlist").has_value());
  EXPECT_EQ(*event.annotation("watchlist"), "SPY");
  EXPECT_EQ(event.raw(), R"({"ticker":"SPY","total_premium":250000})");
  EXPECT_EQ(filter.status()["matched"], 1);
}

TEST(Watchlist, PassesOrDropsOthersAsConfigured) {
  NoEmitter out;
  auto passing = make_filter({"SPY"}, false);
  flowmind::Event kept("flow-alerts", R"({"ticker":"IWM"})");
  EXPECT_EQ(passing.process(kept, out), flowmind::Filter::Verdict::keep);
  EXPECT_FALSE(kept.annotation("watchlist").has_value());

  auto dropping = make_filter({"SPY"}, true);
  flowmind::Event dropped("flow-alerts", R"({"ticker":"IWM"})");
  EXPECT_EQ(dropping.process(dropped, out), flowmind::Filter::Verdict::drop);
  EXPECT_EQ(dropping.status()["dropped"], 1);
}

TEST(Watchlist, FindsTheTickerUnderOtherNamesAndInTheChannel) {
  EXPECT_EQ(event_ticker(flowmind::Event("off_lit_trades", R"({"symbol":"aapl"})")), "AAPL");
  EXPECT_EQ(event_ticker(flowmind::Event("gex:TSLA", R"({"gamma":"1.5"})")), "TSLA");
  EXPECT_EQ(event_ticker(flowmind::Event("news", R"({"headline":"markets"})")), std::nullopt);
}

TEST(Watchlist, ValidateReportsEmptyListsAndBlankTickers) {
  EXPECT_TRUE(validate(config({"SPY"}, false)).empty());
  const auto empty = validate(config(nlohmann::json::array(), false));
  ASSERT_EQ(empty.size(), 1U);
  EXPECT_EQ(empty[0].path, "tickers");
  const auto blank = validate(config({"SPY", " "}, false));
  ASSERT_EQ(blank.size(), 1U);
  EXPECT_EQ(blank[0].path, "tickers/1");
}

}  // namespace
}  // namespace watchlist
