// Tests of dedupe: keys by fields or whole payload, the window, refresh, the LRU bound, messy keys.
#include "dedupe.hpp"

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"key", nlohmann::json::array()},
                        {"window", 60'000'000'000LL},
                        {"max_keys", 100000},
                        {"per_channel", true},
                        {"refresh", false}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

const Event::Clock::time_point t0{std::chrono::seconds(1726670212)};

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(const std::string& channel, const std::string& payload, Event::Clock::duration after = 0s) {
    Event event(channel, payload, t0 + after);
    return filter.process(event, out);
  }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  DedupeFilter filter;
};

constexpr auto keep = Filter::Verdict::keep;
constexpr auto drop = Filter::Verdict::drop;

TEST(Dedupe, WholePayloadByDefault) {
  Harness h(config());
  EXPECT_EQ(h.run("flow-alerts", R"({"id":"a","p":1})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"id":"a","p":1})", 1s), drop);
  EXPECT_EQ(h.run("flow-alerts", R"({"id":"a","p":2})", 2s), keep);
  EXPECT_EQ(h.run("off_lit_trades", R"({"id":"a","p":1})", 3s), keep);  // another channel
  EXPECT_EQ(h.ctx.value("duplicates"), 1U);
  EXPECT_EQ(h.ctx.value("kept"), 3U);
}

TEST(Dedupe, ByKeyFieldsWithNumbersAndStringsNormalized) {
  Harness h(config({{"key", {"id"}}}));
  EXPECT_EQ(h.run("flow-alerts", R"({"id":"29ed5829","total_premium":1})"), keep);
  EXPECT_EQ(h.run("flow-alerts", R"({"total_premium":2,"id":"29ed5829"})"), drop);
  EXPECT_EQ(h.run("flow-alerts", R"({"id":"29ed\u0035829"})"), drop);  // the same text, escaped
  Harness numbers(config({{"key", {"tracking_id"}}}));
  EXPECT_EQ(numbers.run("off_lit_trades", R"({"tracking_id":71984388012245})"), keep);
  EXPECT_EQ(numbers.run("off_lit_trades", R"({"tracking_id":71984388012245.0})"), drop);
  EXPECT_EQ(numbers.run("off_lit_trades", R"({"tracking_id":"71984388012245"})"), keep);  // a string is not a number
}

TEST(Dedupe, SeveralAndNestedFields) {
  Harness h(config({{"key", {"ticker", "trade.id"}}}));
  EXPECT_EQ(h.run("x", R"({"ticker":"SPY","trade":{"id":1}})"), keep);
  EXPECT_EQ(h.run("x", R"({"ticker":"SPY","trade":{"id":2}})"), keep);
  EXPECT_EQ(h.run("x", R"({"ticker":"QQQ","trade":{"id":1}})"), keep);
  EXPECT_EQ(h.run("x", R"({"trade":{"id":1},"ticker":"SPY"})"), drop);
  // A missing field is part of the key, not a wildcard.
  EXPECT_EQ(h.run("x", R"({"ticker":"SPY"})"), keep);
  EXPECT_EQ(h.run("x", R"({"trade":{"id":1}})"), keep);
  EXPECT_EQ(h.run("x", R"({"ticker":"SPY","trade":null})"), drop);  // null = missing
}

TEST(Dedupe, EventsWithoutAnyKeyFieldPass) {
  Harness h(config({{"key", {"id"}}}));
  EXPECT_EQ(h.run("x", R"({"other":1})"), keep);
  EXPECT_EQ(h.run("x", R"({"other":1})"), keep);
  EXPECT_EQ(h.run("x", "broken {"), keep);
  EXPECT_EQ(h.run("x", "broken {"), keep);
  EXPECT_EQ(h.ctx.value("no_key"), 4U);
  EXPECT_EQ(h.filter.tracked(), 0U);
}

TEST(Dedupe, WindowExpiresKeys) {
  Harness h(config({{"key", {"id"}}, {"window", 10'000'000'000LL}}));
  EXPECT_EQ(h.run("x", R"({"id":1})"), keep);
  EXPECT_EQ(h.run("x", R"({"id":1})", 9s), drop);
  EXPECT_EQ(h.run("x", R"({"id":1})", 10s), keep);  // 10 s after it was kept
  EXPECT_EQ(h.run("x", R"({"id":1})", 15s), drop);
  EXPECT_EQ(h.filter.tracked(), 1U);
}

TEST(Dedupe, RefreshMakesTheWindowSlide) {
  Harness h(config({{"key", {"id"}}, {"window", 10'000'000'000LL}, {"refresh", true}}));
  EXPECT_EQ(h.run("x", R"({"id":1})"), keep);
  EXPECT_EQ(h.run("x", R"({"id":1})", 8s), drop);
  EXPECT_EQ(h.run("x", R"({"id":1})", 16s), drop);  // 8 s after the last sighting
  EXPECT_EQ(h.run("x", R"({"id":1})", 27s), keep);
}

TEST(Dedupe, MemoryIsBoundedByMaxKeys) {
  Harness h(config({{"key", {"id"}}, {"max_keys", 3}}));
  for (int id = 0; id < 10; ++id) EXPECT_EQ(h.run("x", R"({"id":)" + std::to_string(id) + "}"), keep);
  EXPECT_EQ(h.filter.tracked(), 3U);
  EXPECT_EQ(h.ctx.value("evicted"), 7U);
  EXPECT_EQ(h.run("x", R"({"id":9})"), drop);  // recent keys are still known
  EXPECT_EQ(h.run("x", R"({"id":0})"), keep);  // the oldest was forgotten
  EXPECT_EQ(h.filter.status()["tracked"], 3);
}

TEST(Dedupe, PerChannelOff) {
  Harness h(config({{"key", {"id"}}, {"per_channel", false}}));
  EXPECT_EQ(h.run("option_trades:SPY", R"({"id":"t1"})"), keep);
  EXPECT_EQ(h.run("option_trades", R"({"id":"t1"})"), drop);
}

TEST(Dedupe, MessyKeyValues) {
  Harness h(config({{"key", {"id"}}}));
  EXPECT_EQ(h.run("x", R"({"id":[1,2]})"), keep);
  EXPECT_EQ(h.run("x", R"({"id":[1,2]})"), drop);
  EXPECT_EQ(h.run("x", R"({"id":true})"), keep);
  EXPECT_EQ(h.run("x", R"({"id":"true"})"), keep);  // a string differs from a boolean
  EXPECT_EQ(h.run("x", R"({"id":""})"), keep);
  EXPECT_EQ(h.run("x", R"({"id":""})"), drop);
}

}  // namespace
}  // namespace flowmind
