// Tests of sweep: flow-alert flags, detection in option trades, the emitted event, bounded state.
#include "sweep.hpp"

#include <string>

#include <gtest/gtest.h>

#include "uw/canonical.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {{"min_exchanges", 3},  {"window", 500'000'000}, {"max_contracts", 10000}, {"max_fills", 64},
                        {"channel", "sweeps"}, {"keep_only", false},    {"annotation", "sweep"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(Event& event) { return filter.process(event, out); }
  // An option trade of `contract` on `exchange` at `at_ms`.
  Filter::Verdict trade(const std::string& contract, const std::string& exchange, std::int64_t at_ms,
                        const std::string& side_tag = "ask_side", const std::string& price = "1.25", int size = 10) {
    Event event("option_trades", R"({"underlying_symbol":"SPY","option_symbol":")" + contract + R"(","exchange":")" +
                                     exchange + R"(","executed_at":)" + std::to_string(at_ms) + R"(,"tags":[")" +
                                     side_tag + R"("],"price":")" + price + R"(","size":)" + std::to_string(size) +
                                     "}");
    return run(event);
  }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  SweepFilter filter;
};

const std::string call = "SPY241018C00550000";
const std::string put = "SPY241018P00540000";
constexpr std::int64_t t0 = 1726670212000;

TEST(Sweep, FlowAlertsAreFlaggedFromHasSweep) {
  Harness h(config());
  Event sweep("flow-alerts", R"({"ticker":"DIA","has_sweep":true})");
  Event plain("flow-alerts", R"({"ticker":"DIA","has_sweep":"false"})");
  Event unknown("flow-alerts", R"({"ticker":"DIA"})");
  EXPECT_EQ(h.run(sweep), Filter::Verdict::keep);
  EXPECT_EQ(h.run(plain), Filter::Verdict::keep);
  EXPECT_EQ(h.run(unknown), Filter::Verdict::keep);
  EXPECT_EQ(sweep.annotations()["sweep"], true);
  EXPECT_EQ(plain.annotations()["sweep"], false);
  EXPECT_TRUE(unknown.annotations().empty());
  EXPECT_EQ(h.ctx.value("flagged_alerts"), 1U);
  EXPECT_EQ(h.ctx.value("not_sweeps"), 2U);
  EXPECT_TRUE(h.out.events.empty());
}

TEST(Sweep, KeepOnlyKeepsSweepsAndPassesOtherChannels) {
  Harness h(config({{"keep_only", true}}));
  Event sweep("flow-alerts", R"({"has_sweep":1})");
  Event plain("flow-alerts", R"({"has_sweep":false})");
  Event messy("flow-alerts", R"({"has_sweep":"perhaps"})");
  Event price("price:SPY", R"({"close":"1"})");
  EXPECT_EQ(h.run(sweep), Filter::Verdict::keep);
  EXPECT_EQ(h.run(plain), Filter::Verdict::drop);
  EXPECT_EQ(h.run(messy), Filter::Verdict::drop);
  EXPECT_EQ(h.run(price), Filter::Verdict::keep);
  EXPECT_EQ(h.ctx.value("unreadable_has_sweep"), 1U);
  EXPECT_EQ(h.ctx.value("dropped"), 2U);
}

TEST(Sweep, DetectsThreeExchangesWithinTheWindowAndEmitsOneEvent) {
  Harness h(config());
  EXPECT_EQ(h.trade(call, "XCBO", t0), Filter::Verdict::keep);
  EXPECT_EQ(h.trade(call, "XCBO", t0 + 10), Filter::Verdict::keep);  // same exchange again
  EXPECT_EQ(h.trade(call, "XPHO", t0 + 20, "ask_side", "1.30"), Filter::Verdict::keep);
  EXPECT_TRUE(h.out.events.empty());
  EXPECT_EQ(h.trade(call, "MPRL", t0 + 40, "ask_side", "1.20", 20), Filter::Verdict::keep);
  ASSERT_EQ(h.out.events.size(), 1U);
  EXPECT_EQ(h.ctx.value("sweeps_detected"), 1U);

  const Event& sweep = h.out.events[0];
  EXPECT_EQ(sweep.channel(), "sweeps");
  const auto& p = sweep.payload();
  EXPECT_EQ(p["type"], "sweep");
  EXPECT_EQ(p["symbol"], "SPY");
  EXPECT_EQ(p["option_symbol"], call);
  EXPECT_EQ(p["option_kind"], "call");
  EXPECT_EQ(p["strike"], 550.0);
  EXPECT_EQ(p["expiry"], "2024-10-18");
  EXPECT_EQ(p["side"], "buy");
  EXPECT_EQ(p["exchanges"], (nlohmann::json{"XCBO", "XPHO", "MPRL"}));
  EXPECT_EQ(p["exchange_count"], 3);
  EXPECT_EQ(p["fills"], 4);
  EXPECT_EQ(p["size"], 50.0);
  EXPECT_DOUBLE_EQ(p["premium"].get<double>(), 1250 + 1250 + 1300 + 2400);
  EXPECT_EQ(p["price_low"], 1.2);
  EXPECT_EQ(p["price_high"], 1.3);
  EXPECT_EQ(p["first_at"], t0);
  EXPECT_EQ(p["executed_at"], t0 + 40);
  EXPECT_EQ(p["window_ms"], 500);
  EXPECT_EQ(p["has_sweep"], true);

  // The emitted event carries its canonical fields for the filters after this one.
  const auto* fields = sweep.attachment<uw::CanonicalFields>(uw::canonical_key);
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(fields->side, uw::Side::buy);
  EXPECT_EQ(fields->option_kind, uw::OptionKind::call);
  EXPECT_DOUBLE_EQ(*fields->premium, 6200.0);
  EXPECT_TRUE(fields->is_option());
  // ... and re-extracting its payload gives the same answers.
  const auto again = uw::extract_canonical(sweep.channel(), sweep.raw());
  EXPECT_EQ(again.side, uw::Side::buy);
  EXPECT_EQ(again.premium, fields->premium);
  EXPECT_EQ(again.has_sweep, true);
}

TEST(Sweep, OneEventPerBurstThenANewSweepAfterTheWindow) {
  Harness h(config());
  h.trade(call, "A", t0);
  h.trade(call, "B", t0 + 1);
  h.trade(call, "C", t0 + 2);
  h.trade(call, "D", t0 + 3);  // the same burst: not reported again
  h.trade(call, "E", t0 + 4);
  EXPECT_EQ(h.out.events.size(), 1U);
  h.trade(call, "A", t0 + 1000);
  h.trade(call, "B", t0 + 1001);
  h.trade(call, "C", t0 + 1002);
  EXPECT_EQ(h.out.events.size(), 2U);
}

TEST(Sweep, FillsOutsideTheWindowDoNotCount) {
  Harness h(config({{"window", 100'000'000}}));  // 100 ms
  h.trade(call, "A", t0);
  h.trade(call, "B", t0 + 80);
  h.trade(call, "C", t0 + 161);  // A has left the window
  EXPECT_TRUE(h.out.events.empty());
  h.trade(call, "A", t0 + 170);
  EXPECT_EQ(h.out.events.size(), 1U);
  // A fill older than the window's newest minus the window is stale.
  h.trade(put, "A", t0 + 5000);
  h.trade(put, "B", t0 + 4000);
  EXPECT_EQ(h.ctx.value("stale_fills"), 1U);
}

TEST(Sweep, SidesAndContractsAreSeparate) {
  Harness h(config());
  h.trade(call, "A", t0);
  h.trade(call, "B", t0 + 1, "bid_side");
  h.trade(put, "C", t0 + 2);
  h.trade(call, "D", t0 + 3, "bid_side");
  EXPECT_TRUE(h.out.events.empty());
  h.trade(call, "E", t0 + 4, "bid_side");
  ASSERT_EQ(h.out.events.size(), 1U);
  EXPECT_EQ(h.out.events[0].payload()["side"], "sell");
  EXPECT_EQ(h.filter.contracts_tracked(), 3U);
}

TEST(Sweep, MinExchangesTwo) {
  Harness h(config({{"min_exchanges", 2}}));
  h.trade(call, "A", t0);
  h.trade(call, "B", t0 + 1);
  EXPECT_EQ(h.out.events.size(), 1U);
}

TEST(Sweep, TradesThatCannotBePartOfASweepAreCounted) {
  Harness h(config());
  Event no_contract("option_trades", R"({"exchange":"A","tags":["ask_side"],"executed_at":1726670212000})");
  Event bad_contract("option_trades", R"({"option_symbol":"SPY99","exchange":"A","tags":["ask_side"]})");
  Event no_side("option_trades", R"({"option_symbol":"SPY241018C00550000","exchange":"A","tags":[]})");
  Event no_exchange("option_trades", R"({"option_symbol":"SPY241018C00550000","tags":["bid_side"]})");
  Event broken("option_trades", R"({"option_symbol":"SPY241018C0055)");
  for (auto* event : {&no_contract, &bad_contract, &no_side, &no_exchange, &broken}) {
    EXPECT_EQ(h.run(*event), Filter::Verdict::keep);
  }
  EXPECT_EQ(h.ctx.value("no_contract"), 3U);
  EXPECT_EQ(h.ctx.value("no_side"), 1U);
  EXPECT_EQ(h.ctx.value("no_exchange"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_option_symbol"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_payload"), 1U);
  EXPECT_EQ(h.filter.contracts_tracked(), 0U);
}

TEST(Sweep, KeepOnlyDropsRawTradesButEmitsSweeps) {
  Harness h(config({{"keep_only", true}}));
  EXPECT_EQ(h.trade(call, "A", t0), Filter::Verdict::drop);
  EXPECT_EQ(h.trade(call, "B", t0 + 1), Filter::Verdict::drop);
  EXPECT_EQ(h.trade(call, "C", t0 + 2), Filter::Verdict::drop);
  EXPECT_EQ(h.out.events.size(), 1U);
}

TEST(Sweep, StateIsBoundedByMaxContracts) {
  Harness h(config({{"max_contracts", 4}}));
  for (int strike = 100; strike < 200; ++strike) {
    h.trade("SPY241018C00" + std::to_string(strike) + "000", "A", t0 + strike);
  }
  EXPECT_EQ(h.filter.contracts_tracked(), 4U);
  EXPECT_EQ(h.ctx.value("evicted"), 96U);
  EXPECT_EQ(h.filter.status()["contracts_tracked"], 4);
  // The most recent contracts are still tracked: two more exchanges complete a sweep.
  h.trade("SPY241018C00199000", "B", t0 + 300);
  h.trade("SPY241018C00199000", "C", t0 + 301);
  EXPECT_EQ(h.out.events.size(), 1U);
}

TEST(Sweep, FillsPerContractAreBounded) {
  Harness h(config({{"max_fills", 3}, {"min_exchanges", 3}}));
  for (int i = 0; i < 10; ++i) h.trade(call, "A", t0 + i);
  h.trade(call, "B", t0 + 20);
  EXPECT_TRUE(h.out.events.empty());  // only [A, A, B] are kept
  h.trade(call, "C", t0 + 21);
  EXPECT_EQ(h.out.events.size(), 1U);
}

TEST(Sweep, TimeFallsBackToReceivedAt) {
  Harness h(config());
  const auto base = Event::Clock::time_point(std::chrono::milliseconds(t0));
  int i = 0;
  for (const char* exchange : {"A", "B", "C"}) {
    Event event("option_trades",
                std::string(R"({"option_symbol":"SPY241018C00550000","tags":["ask_side"],"exchange":")") + exchange +
                    R"(","executed_at":""})",
                base + std::chrono::milliseconds(i++));
    h.run(event);
  }
  ASSERT_EQ(h.out.events.size(), 1U);
  EXPECT_EQ(h.out.events[0].payload()["first_at"], t0);
  EXPECT_EQ(h.out.events[0].received_at(), base + std::chrono::milliseconds(2));
}

}  // namespace
}  // namespace flowmind
