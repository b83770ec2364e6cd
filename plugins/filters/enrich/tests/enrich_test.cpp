// Tests of enrich: CSV and YAML tables, key matching, columns, misses, reloads, messy fields.
#include "enrich.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;

Config config(nlohmann::json values) {
  nlohmann::json all = {{"key_column", ""},  {"columns", nlohmann::json::array()},
                        {"prefix", ""},      {"case_sensitive", false},
                        {"on_miss", "keep"}, {"reload_interval", 5'000'000'000LL}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(Event& event, EnrichFilter::Clock::time_point now = EnrichFilter::Clock::now()) {
    return filter.process_at(event, now);
  }
  uw::testing::TestStageContext ctx;
  EnrichFilter filter;
};

std::string congress_record() {
  std::ifstream in(std::string(UW_FIXTURE_DIR) + "/congress-recent-trades.json");
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str()).at("data").at(0).dump();
}

TEST(Enrich, TheExampleTableEnrichesTheUwCongressRecord) {
  Harness h(config({{"table", EXAMPLE_TABLE}, {"field", "name"}}));
  Event event("congress-trades", congress_record());
  EXPECT_EQ(h.run(event), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"party", "D"}, {"chamber", "house"}, {"state", "TN"}}));
  EXPECT_EQ(h.ctx.value("hits"), 1U);
  EXPECT_EQ(h.filter.status()["rows"], 19);
}

TEST(Enrich, KeysIgnoreCaseAndBlanksUnlessCaseSensitive) {
  Harness h(config({{"table", EXAMPLE_TABLE}, {"field", "name"}, {"prefix", "member_"}, {"columns", {"party"}}}));
  Event event("congress-trades", R"({"name":"  nancy   PELOSI "})");
  h.run(event);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"member_party", "D"}}));
  Harness strict(config({{"table", EXAMPLE_TABLE}, {"field", "name"}, {"case_sensitive", true}}));
  Event lower("congress-trades", R"({"name":"nancy pelosi"})");
  strict.run(lower);
  EXPECT_TRUE(lower.annotations().empty());
  EXPECT_EQ(strict.ctx.value("misses"), 1U);
}

TEST(Enrich, MissesAndMissingFieldsKeepOrDrop) {
  Harness keep(config({{"table", EXAMPLE_TABLE}, {"field", "name"}}));
  Event stranger("congress-trades", R"({"name":"Nobody Known"})");
  Event nameless("congress-trades", R"({"ticker":"X"})");
  Event listed("congress-trades", R"({"name":["Nancy Pelosi"]})");
  Event broken("congress-trades", R"({"name":"Nancy Pel)");
  EXPECT_EQ(keep.run(stranger), Filter::Verdict::keep);
  EXPECT_EQ(keep.run(nameless), Filter::Verdict::keep);
  EXPECT_EQ(keep.run(listed), Filter::Verdict::keep);
  EXPECT_EQ(keep.run(broken), Filter::Verdict::keep);
  EXPECT_EQ(keep.ctx.value("misses"), 1U);
  EXPECT_EQ(keep.ctx.value("no_field"), 3U);
  EXPECT_EQ(keep.ctx.value("unreadable_field"), 1U);
  Harness drop(config({{"table", EXAMPLE_TABLE}, {"field", "name"}, {"on_miss", "drop"}}));
  Event again("congress-trades", R"({"name":"Nobody Known"})");
  EXPECT_EQ(drop.run(again), Filter::Verdict::drop);
}

TEST(Enrich, YamlTableNestedFieldNumberKeyAndKeyColumn) {
  testing::TempDir dir;
  const auto table = dir.write("sectors.yaml",
                               "- {sector: Tech, ticker: NVDA, cik: 1045810}\n"
                               "- {sector: Energy, ticker: XOM, cik: 34088}\n");
  Harness by_ticker(
      config({{"table", table.string()}, {"field", "ticker"}, {"key_column", "ticker"}, {"columns", {"sector"}}}));
  Event nvda("flow-alerts", R"({"ticker":"nvda"})");
  by_ticker.run(nvda);
  EXPECT_EQ(nvda.annotations(), (nlohmann::json{{"sector", "Tech"}}));
  Harness by_cik(config({{"table", table.string()}, {"field", "filing.cik"}, {"key_column", "cik"}}));
  Event filing("x", R"({"filing":{"cik":34088}})");
  by_cik.run(filing);
  EXPECT_EQ(filing.annotations(), (nlohmann::json{{"sector", "Energy"}, {"ticker", "XOM"}}));
}

TEST(Enrich, EmptyCellsAddNothingAndDuplicateKeysKeepTheFirstRow) {
  testing::TempDir dir;
  const auto table = dir.write("t.csv", "name,party,state\nA,D,\nA,R,TX\n");
  Harness h(config({{"table", table.string()}, {"field", "name"}}));
  Event event("x", R"({"name":"a"})");
  h.run(event);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"party", "D"}}));
  EXPECT_TRUE(h.ctx.logger().contains("1 duplicate keys"));
}

TEST(Enrich, TableIsReloadedWhenItChangesAndKeptWhenTheNewOneIsBroken) {
  testing::TempDir dir;
  const auto table = dir.write("t.csv", "name,party\nA,D\n");
  Harness h(config({{"table", table.string()}, {"field", "name"}, {"reload_interval", 1'000'000'000}}));
  const auto start = EnrichFilter::Clock::now();
  auto party_of = [&](const std::string& name, EnrichFilter::Clock::time_point now) {
    Event event("x", R"({"name":")" + name + R"("})");
    h.run(event, now);
    const auto party = event.annotation("party");
    return party ? std::string(party->text_or("(not text)")) : std::string("-");
  };
  EXPECT_EQ(party_of("A", start), "D");
  auto rewrite = [&](const std::string& text, int seconds) {
    std::ofstream(table, std::ios::trunc) << text;
    std::filesystem::last_write_time(table,
                                     std::filesystem::file_time_type::clock::now() + std::chrono::seconds(seconds));
  };
  rewrite("name,party\nA,R\nB,I\n", 10);
  EXPECT_EQ(party_of("A", start + 100ms), "D");  // not looked at yet
  EXPECT_EQ(party_of("A", start + 2s), "R");
  EXPECT_EQ(party_of("B", start + 2s), "I");
  rewrite("name,party\n\"broken,R\n", 20);
  EXPECT_EQ(party_of("A", start + 4s), "R");  // the previous table stays
  EXPECT_EQ(h.ctx.value("reloads"), 1U);
  EXPECT_EQ(h.ctx.value("reload_errors"), 1U);
  EXPECT_TRUE(h.ctx.logger().contains("keeping the previous table"));
  rewrite("name,party\nA,D\n", 30);
  EXPECT_EQ(party_of("A", start + 6s), "D");
}

TEST(Enrich, CreationFailsOnMissingTablesAndColumns) {
  testing::TempDir dir;
  EXPECT_THROW(EnrichFilter(config({{"table", (dir.path() / "none.csv").string()}, {"field", "name"}})), PluginError);
  const auto table = dir.write("t.csv", "name,party\nA,D\n");
  try {
    EnrichFilter filter(config({{"table", table.string()}, {"field", "name"}, {"columns", {"party", "state"}}}));
    FAIL();
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("no column 'state'"), std::string::npos);
  }
  EXPECT_THROW(EnrichFilter(config({{"table", table.string()}, {"field", "name"}, {"key_column", "nope"}})),
               PluginError);
  const auto bad = dir.write("bad.csv", "a,b\n1,2,3\n");
  EXPECT_THROW(EnrichFilter(config({{"table", bad.string()}, {"field", "a"}})), PluginError);
}

}  // namespace
}  // namespace flowmind
