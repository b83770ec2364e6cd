// Tests of uw_normalize: annotations per channel, messy payloads, counters, options.
#include "uw_normalize.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "uw/canonical.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json defaults = {{"fields", UwNormalizeFilter::output_names()},
                             {"prefix", ""},
                             {"time_format", "epoch_ms"},
                             {"drop_unreadable", false}};
  for (auto& [key, value] : values.items()) defaults[key] = value;
  return Config(defaults);
}

std::string fixture_payload(const std::string& name) {
  std::ifstream in(std::string(UW_FIXTURE_DIR) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str()).at(1).dump();
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  Filter::Verdict run(Event& event) { return filter.process(event, out); }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  UwNormalizeFilter filter;
};

TEST(UwNormalize, FlowAlertGetsEveryCanonicalField) {
  Harness h(config());
  Event event("flow-alerts", fixture_payload("flow-alerts.json"));
  ASSERT_EQ(h.run(event), Filter::Verdict::keep);
  const auto& a = event.annotations();
  EXPECT_EQ(a["symbol"], "DIA");
  EXPECT_EQ(a["option_symbol"], "DIA241018C00415000");
  EXPECT_EQ(a["option_kind"], "call");
  EXPECT_EQ(a["strike"], 415.0);
  EXPECT_EQ(a["expiry"], "2024-10-18");
  EXPECT_EQ(a["side"], "buy");
  EXPECT_EQ(a["size"], 50.0);
  EXPECT_EQ(a["price"], 7.3);
  EXPECT_EQ(a["premium"], 36466.0);
  EXPECT_EQ(a["executed_at"], 1726670212748);
  EXPECT_EQ(a["volume"], 106.0);
  EXPECT_FALSE(a.contains("premium_computed"));
  EXPECT_FALSE(a.contains("exchange"));
  EXPECT_TRUE(h.out.events.empty());
  EXPECT_EQ(h.ctx.value("normalized"), 1U);
  // The payload is untouched: the wire carries it byte for byte.
  EXPECT_NE(event.wire().find(fixture_payload("flow-alerts.json")), std::string::npos);
}

TEST(UwNormalize, SameShapeForNumbersAsStrings) {
  Harness h(config());
  Event numbers("off_lit_trades",
                R"({"ticker":"QID","price":18.9904,"size":6400,"premium":121538.56,"executed_at":1726670212748})");
  Event strings(
      "off_lit_trades",
      R"({"ticker":"QID","price":"18.9904","size":"6400","premium":"121538.56","executed_at":"2024-09-18T14:36:52.748Z"})");
  h.run(numbers);
  h.run(strings);
  EXPECT_EQ(numbers.annotations(), strings.annotations());
  EXPECT_EQ(numbers.annotations()["side"], "unknown");  // a trade without a known side says so
}

TEST(UwNormalize, PriceEventHasNoSideAndComputedPremiumIsFlagged) {
  Harness h(config());
  Event price("price:SPY", R"({"close":"562.82","time":1726670327692,"vol":6015555})");
  h.run(price);
  EXPECT_EQ(price.annotations()["symbol"], "SPY");
  EXPECT_EQ(price.annotations()["price"], 562.82);
  EXPECT_EQ(price.annotations()["volume"], 6015555.0);
  EXPECT_FALSE(price.annotations().contains("side"));
  EXPECT_FALSE(price.annotations().contains("premium"));

  Event trade("option_trades", R"({"option_symbol":"SPY241018P00550000","price":"2.5","size":4,"exchange":"XPHO"})");
  h.run(trade);
  EXPECT_EQ(trade.annotations()["premium"], 1000.0);
  EXPECT_EQ(trade.annotations()["premium_computed"], true);
  EXPECT_EQ(trade.annotations()["exchange"], "XPHO");
  EXPECT_EQ(trade.annotations()["option_kind"], "put");
}

TEST(UwNormalize, MessyFieldsAreSkippedAndCounted) {
  Harness h(config());
  Event event("flow-alerts", R"({"ticker":["DIA"],"option_chain":"DIA999999C00415000","total_premium":"N/A",
    "price":"","total_size":-5,"executed_at":"later"})");
  EXPECT_EQ(h.run(event), Filter::Verdict::keep);
  const auto& a = event.annotations();
  EXPECT_FALSE(a.contains("symbol"));
  EXPECT_FALSE(a.contains("option_symbol"));
  EXPECT_FALSE(a.contains("premium"));
  EXPECT_FALSE(a.contains("price"));
  EXPECT_FALSE(a.contains("size"));
  EXPECT_FALSE(a.contains("executed_at"));
  EXPECT_EQ(h.ctx.value("unreadable_symbol"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_option_symbol"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_premium"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_size"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_executed_at"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_price"), 0U);  // "" is missing, not unreadable
}

TEST(UwNormalize, BrokenPayloadIsKeptOrDropped) {
  Harness keep(config());
  Event broken("price:SPY", R"({"close":"562.8)");
  EXPECT_EQ(keep.run(broken), Filter::Verdict::keep);
  EXPECT_EQ(broken.annotations()["symbol"], "SPY");  // the channel still names it
  EXPECT_EQ(keep.ctx.value("unreadable_payload"), 1U);

  Harness drop(config({{"drop_unreadable", true}}));
  Event broken_again("price:SPY", "not json at all");
  EXPECT_EQ(drop.run(broken_again), Filter::Verdict::drop);
  EXPECT_EQ(drop.ctx.value("dropped"), 1U);
  EXPECT_EQ(drop.filter.status()["dropped"], 1);
}

TEST(UwNormalize, FieldsPrefixAndIsoTime) {
  Harness h(config({{"fields", {"premium", "executed_at", "premium"}}, {"prefix", "uw_"}, {"time_format", "iso8601"}}));
  Event event("flow-alerts", fixture_payload("flow-alerts.json"));
  h.run(event);
  EXPECT_EQ(event.annotations(),
            (nlohmann::json{{"uw_premium", 36466.0}, {"uw_executed_at", "2024-09-18T14:36:52.748Z"}}));
  // Only the watched fields are counted.
  EXPECT_TRUE(h.ctx.has_counter("unreadable_premium"));
  EXPECT_FALSE(h.ctx.has_counter("unreadable_symbol"));
}

TEST(UwNormalize, ReusesFieldsAttachedByAnEarlierFilter) {
  Harness h(config({{"fields", {"symbol"}}}));
  Event event("flow-alerts", R"({"ticker":"SPY"})");
  auto planted = std::make_shared<uw::CanonicalFields>();
  planted->symbol.assign("PLANTED");
  planted->payload_ok = true;
  event.attach<uw::CanonicalFields>(std::string(uw::canonical_key), planted);
  h.run(event);
  EXPECT_EQ(event.annotations()["symbol"], "PLANTED");
}

TEST(UwNormalize, WorksWithoutStart) {
  UwNormalizeFilter filter(config());
  uw::testing::CollectingEmitter out;
  Event event("news", R"({"headline":"x","timestamp":"2025-06-11T21:40:56Z","tickers":["NVDA"]})");
  EXPECT_EQ(filter.process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations()["symbol"], "NVDA");
  EXPECT_EQ(event.annotations()["executed_at"], 1749678056000);
  EXPECT_EQ(filter.status()["normalized"], 1);
}

}  // namespace
}  // namespace flowmind
