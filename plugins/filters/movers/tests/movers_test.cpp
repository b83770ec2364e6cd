// Tests of movers: change vs reference, updates only on change, reference file, snapshots, bounds.
#include "movers.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"reference", "first"},         {"max_symbols", 5000}, {"snapshot_interval", 0}, {"top", 10},
                        {"snapshot_channel", "movers"}, {"prefix", ""}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

const Event::Clock::time_point t0{std::chrono::milliseconds(1726670327692)};

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  // A price tick; the event is kept in `last` for inspection.
  Filter::Verdict tick(const std::string& symbol, const std::string& close, Event::Clock::duration after = 0s,
                       const std::string& extra = "") {
    last = std::make_unique<Event>("price:" + symbol, R"({"close":)" + close + extra + "}", t0 + after);
    return filter.process(*last, out);
  }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  MoversFilter filter;
  std::unique_ptr<Event> last;
};

constexpr auto keep = Filter::Verdict::keep;
constexpr auto drop = Filter::Verdict::drop;

TEST(Movers, FirstPriceIsTheReferenceAndUpdatesOnlyOnChange) {
  Harness h(config());
  EXPECT_EQ(h.tick("SPY", R"("500")", 0s, R"(,"vol":100)"), keep);
  EXPECT_EQ(h.last->annotations()["change"], 0.0);
  EXPECT_EQ(h.last->annotations()["change_pct"], 0.0);
  EXPECT_EQ(h.tick("SPY", R"("510")", 1s, R"(,"vol":"250")"), keep);
  const auto& a = h.last->annotations();
  EXPECT_EQ(a["symbol"], "SPY");
  EXPECT_EQ(a["last"], 510.0);
  EXPECT_EQ(a["reference"], 500.0);
  EXPECT_EQ(a["change"], 10.0);
  EXPECT_DOUBLE_EQ(a["change_pct"].get<double>(), 2.0);
  EXPECT_EQ(a["volume"], 250.0);
  EXPECT_EQ(h.tick("SPY", "510.0", 2s), drop);  // the same price: no update
  EXPECT_EQ(h.ctx.value("updates"), 2U);
  EXPECT_EQ(h.ctx.value("unchanged"), 1U);
  EXPECT_EQ(h.tick("SPY", R"("495")", 3s), keep);
  EXPECT_DOUBLE_EQ(h.last->annotations()["change_pct"].get<double>(), -1.0);
  EXPECT_EQ(h.last->annotations()["volume"], 250.0);  // the last known volume
}

TEST(Movers, OtherChannelsPassAndBadTicksAreDropped) {
  Harness h(config());
  Event alert("flow-alerts", R"({"ticker":"SPY"})");
  EXPECT_EQ(h.filter.process(alert, h.out), keep);
  EXPECT_TRUE(alert.annotations().empty());
  EXPECT_EQ(h.tick("SPY", R"("")"), drop);
  EXPECT_EQ(h.tick("SPY", R"("n/a")"), drop);
  EXPECT_EQ(h.tick("SPY", "0"), drop);
  EXPECT_EQ(h.tick("SPY", R"({"v":1})"), drop);
  Event broken("price:SPY", R"({"close":"56)");
  EXPECT_EQ(h.filter.process(broken, h.out), drop);
  Event nameless("price:", R"({"close":"5"})");
  EXPECT_EQ(h.filter.process(nameless, h.out), drop);
  EXPECT_EQ(h.ctx.value("no_price"), 6U);
  EXPECT_EQ(h.ctx.value("unreadable_price"), 2U);
  EXPECT_EQ(h.ctx.value("unreadable_payload"), 1U);
  EXPECT_EQ(h.filter.status()["symbols"], 0);
}

TEST(Movers, ReferencesFromAFile) {
  testing::TempDir dir;
  const auto file = dir.write("closes.csv", "symbol,close\nspy,500\nQQQ,400.5\n");
  Harness h(config({{"reference", "file"}, {"reference_file", file.string()}}));
  EXPECT_EQ(h.tick("SPY", R"("505")"), keep);
  EXPECT_EQ(h.last->annotations()["reference"], 500.0);
  EXPECT_DOUBLE_EQ(h.last->annotations()["change_pct"].get<double>(), 1.0);
  EXPECT_EQ(h.tick("NVDA", R"("120")"), keep);  // not in the file: its first price stands in
  EXPECT_EQ(h.last->annotations()["reference"], 120.0);
  EXPECT_EQ(h.ctx.value("no_reference"), 1U);

  const auto yaml = dir.write("closes.yaml", "SPY: 500\n");
  Harness from_yaml(config({{"reference", "file"}, {"reference_file", yaml.string()}}));
  EXPECT_EQ(from_yaml.tick("SPY", "450"), keep);
  EXPECT_EQ(from_yaml.last->annotations()["change"], -50.0);
}

TEST(Movers, BadReferenceFilesFailCreation) {
  testing::TempDir dir;
  EXPECT_THROW(MoversFilter(config({{"reference", "file"}, {"reference_file", (dir.path() / "x.csv").string()}})),
               PluginError);
  const auto bad = dir.write("bad.csv", "symbol,close\nSPY,lots\n");
  EXPECT_THROW(MoversFilter(config({{"reference", "file"}, {"reference_file", bad.string()}})), PluginError);
  const auto narrow = dir.write("narrow.csv", "symbol\nSPY\n");
  EXPECT_THROW(MoversFilter(config({{"reference", "file"}, {"reference_file", narrow.string()}})), PluginError);
  EXPECT_THROW(MoversFilter(config({{"reference", "file"}})), PluginError);
}

TEST(Movers, SnapshotsEmittedFromProcessWhenThePeriodHasElapsed) {
  Harness h(config({{"snapshot_interval", 60'000'000'000LL}, {"top", 2}}));
  h.tick("SPY", "500", 0s);
  h.tick("QQQ", "400", 1s);
  h.tick("NVDA", "100", 2s);
  h.tick("TSLA", "200", 3s);
  h.tick("SPY", "510", 10s);   // +2%
  h.tick("QQQ", "392", 20s);   // -2%
  h.tick("NVDA", "105", 30s);  // +5%
  h.tick("TSLA", "199", 40s);  // -0.5%
  EXPECT_TRUE(h.out.events.empty());
  h.tick("SPY", "511", 61s);
  ASSERT_EQ(h.out.events.size(), 1U);
  const Event& snapshot = h.out.events[0];
  EXPECT_EQ(snapshot.channel(), "movers");
  EXPECT_EQ(snapshot.received_at(), t0 + 61s);
  const auto& p = snapshot.payload();
  EXPECT_EQ(p["type"], "movers");
  EXPECT_EQ(p["symbols"], 4);
  ASSERT_EQ(p["gainers"].size(), 2U);
  EXPECT_EQ(p["gainers"][0]["symbol"], "NVDA");
  EXPECT_EQ(p["gainers"][1]["symbol"], "SPY");
  EXPECT_EQ(p["gainers"][1]["last"], 511.0);
  ASSERT_EQ(p["losers"].size(), 2U);
  EXPECT_EQ(p["losers"][0]["symbol"], "QQQ");
  EXPECT_EQ(p["losers"][1]["symbol"], "TSLA");
  // Nothing changed since: no snapshot even after the period.
  h.tick("SPY", "511", 200s);
  EXPECT_EQ(h.out.events.size(), 1U);
  h.tick("SPY", "512", 201s);
  EXPECT_EQ(h.out.events.size(), 2U);
  EXPECT_EQ(h.ctx.value("snapshots"), 2U);
}

TEST(Movers, SymbolTableIsBounded) {
  Harness h(config({{"max_symbols", 2}}));
  EXPECT_EQ(h.tick("A", "1"), keep);
  EXPECT_EQ(h.tick("B", "1"), keep);
  EXPECT_EQ(h.tick("C", "1"), keep);
  EXPECT_TRUE(h.last->annotations().empty());
  EXPECT_EQ(h.ctx.value("over_limit"), 1U);
  EXPECT_EQ(h.filter.status()["symbols"], 2);
}

TEST(Movers, PrefixAndEventTime) {
  Harness h(config({{"prefix", "mv_"}}));
  h.tick("SPY", "500", 0s, R"(,"time":1726670000000)");
  EXPECT_EQ(h.last->annotations()["mv_last"], 500.0);
  EXPECT_EQ(h.filter.snapshot(1)["gainers"].size(), 0U);
}

}  // namespace
}  // namespace flowmind
