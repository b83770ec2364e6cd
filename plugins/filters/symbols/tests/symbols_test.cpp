// Tests of symbols: inline lists, list files re-read on change (throttled), news tickers, messy input.
#include "symbols.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"allow", nlohmann::json::array()},
                        {"deny", nlohmann::json::array()},
                        {"reload_interval", 1'000'000'000},
                        {"on_missing", "keep"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(const std::string& channel, const std::string& payload,
                      SymbolsFilter::Clock::time_point now = SymbolsFilter::Clock::now()) {
    Event event(channel, payload);
    return filter.process_at(event, now);
  }
  Filter::Verdict ticker(const std::string& symbol,
                         SymbolsFilter::Clock::time_point now = SymbolsFilter::Clock::now()) {
    return run("flow-alerts", R"({"ticker":")" + symbol + R"("})", now);
  }
  uw::testing::TestStageContext ctx;
  SymbolsFilter filter;
};

constexpr auto keep = Filter::Verdict::keep;
constexpr auto drop = Filter::Verdict::drop;

// Sets a file's text and moves its modification time, so a change is seen even within one clock tick.
void rewrite(const std::filesystem::path& file, const std::string& text, int seconds_later) {
  const auto before = std::filesystem::last_write_time(file);
  std::ofstream(file, std::ios::trunc) << text;
  std::filesystem::last_write_time(file, before + std::chrono::seconds(seconds_later));
}

TEST(Symbols, InlineAllowAndDenyAreCaseInsensitive) {
  Harness h(config({{"allow", {"spy", "QQQ", " nvda "}}, {"deny", {"QQQ"}}}));
  EXPECT_EQ(h.ticker("SPY"), keep);
  EXPECT_EQ(h.ticker("nvda"), keep);
  EXPECT_EQ(h.ticker("QQQ"), drop);  // deny wins
  EXPECT_EQ(h.ticker("AAPL"), drop);
  EXPECT_EQ(h.ctx.value("kept"), 2U);
  EXPECT_EQ(h.ctx.value("dropped"), 2U);
}

TEST(Symbols, DenyOnlyPassesTheRest) {
  Harness h(config({{"deny", {"TSLA"}}}));
  EXPECT_EQ(h.ticker("TSLA"), drop);
  EXPECT_EQ(h.ticker("AAPL"), keep);
}

TEST(Symbols, SymbolFromAnyChannelShape) {
  Harness h(config({{"allow", {"SPY"}}}));
  EXPECT_EQ(h.run("price:SPY", R"({"close":"562.82"})"), keep);
  EXPECT_EQ(h.run("price:QQQ", R"({"close":"478"})"), drop);
  EXPECT_EQ(h.run("option_trades", R"({"underlying_symbol":"spy"})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"option_chain":"SPY241018C00550000"})"), keep);  // OCC root
}

TEST(Symbols, NewsWithSeveralTickers) {
  Harness h(config({{"allow", {"NVDA"}}, {"deny", {"TSLA"}}}));
  EXPECT_EQ(h.run("news", R"({"tickers":["AAPL","NVDA"]})"), keep);
  EXPECT_EQ(h.run("news", R"({"tickers":["NVDA","TSLA"]})"), drop);
  EXPECT_EQ(h.run("news", R"({"tickers":["AAPL","MSFT"]})"), drop);
}

TEST(Symbols, EventsWithoutASymbol) {
  Harness keeping(config({{"allow", {"SPY"}}}));
  EXPECT_EQ(keeping.run("news", R"({"headline":"x","tickers":[]})"), keep);
  EXPECT_EQ(keeping.run("flow-alerts", R"({"ticker":""})"), keep);
  EXPECT_EQ(keeping.run("flow-alerts", R"({"ticker":42})"), keep);
  EXPECT_EQ(keeping.run("flow-alerts", "broken"), keep);
  EXPECT_EQ(keeping.ctx.value("no_symbol"), 4U);
  EXPECT_EQ(keeping.ctx.value("unreadable_symbol"), 1U);
  EXPECT_EQ(keeping.ctx.value("unreadable_payload"), 1U);
  Harness dropping(config({{"allow", {"SPY"}}, {"on_missing", "drop"}}));
  EXPECT_EQ(dropping.run("flow-alerts", R"({"ticker":""})"), drop);
}

TEST(Symbols, AllowFileIsReadAndReReadWhenItChanges) {
  testing::TempDir dir;
  const auto file = dir.write("allow.txt", "# watch list\nSPY, QQQ\n");
  Harness h(config({{"allow_file", file.string()}}));
  const auto start = SymbolsFilter::Clock::now();
  EXPECT_EQ(h.ticker("SPY", start), keep);
  EXPECT_EQ(h.ticker("NVDA", start), drop);

  rewrite(file, "nvda\n", 10);
  EXPECT_EQ(h.ticker("NVDA", start + 500ms), drop);  // not looked at yet: at most once per second
  EXPECT_EQ(h.ticker("NVDA", start + 2s), keep);
  EXPECT_EQ(h.ticker("SPY", start + 2s), drop);
  EXPECT_EQ(h.ctx.value("reloads"), 1U);
  EXPECT_TRUE(h.ctx.logger().contains("1 symbols"));
  EXPECT_EQ(h.filter.status()["allow_size"], 1);
}

TEST(Symbols, AMissingFileKeepsThePreviousListUntilItReturns) {
  testing::TempDir dir;
  const auto file = dir.write("deny.txt", "TSLA\n");
  Harness h(config({{"deny_file", file.string()}, {"reload_interval", 1'000'000}}));
  const auto start = SymbolsFilter::Clock::now();
  EXPECT_EQ(h.ticker("TSLA", start), drop);
  std::filesystem::remove(file);
  EXPECT_EQ(h.ticker("TSLA", start + 1s), drop);  // gone: the last list stays
  EXPECT_EQ(h.ctx.value("reloads"), 0U);
  std::ofstream(file) << "AAPL\n";
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() + 1h);
  EXPECT_EQ(h.ticker("TSLA", start + 2s), keep);
  EXPECT_EQ(h.ticker("AAPL", start + 2s), drop);
  EXPECT_EQ(h.ctx.value("reloads"), 1U);
  EXPECT_EQ(h.ctx.value("reload_errors"), 0U);
}

TEST(Symbols, ReloadDisabledWithZeroInterval) {
  testing::TempDir dir;
  const auto file = dir.write("allow.txt", "SPY\n");
  Harness h(config({{"allow_file", file.string()}, {"reload_interval", 0}}));
  rewrite(file, "QQQ\n", 10);
  EXPECT_EQ(h.ticker("SPY", SymbolsFilter::Clock::now() + 1h), keep);
  EXPECT_EQ(h.ctx.value("reloads"), 0U);
}

TEST(Symbols, AnEmptyAllowFileAllowsNothing) {
  testing::TempDir dir;
  const auto file = dir.write("allow.txt", "# nothing yet\n");
  Harness h(config({{"allow_file", file.string()}}));
  EXPECT_EQ(h.ticker("SPY"), drop);
}

TEST(Symbols, MissingFileAtStartIsAPluginError) {
  testing::TempDir dir;
  try {
    SymbolsFilter filter(config({{"allow_file", (dir.path() / "nope.txt").string()}}));
    FAIL();
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("allow_file"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("nope.txt"), std::string::npos);
  }
}

TEST(Symbols, NormalizeSymbol) {
  EXPECT_EQ(normalize_symbol(" brk.b "), "BRK.B");
  EXPECT_EQ(normalize_symbol(""), "");
}

}  // namespace
}  // namespace flowmind
