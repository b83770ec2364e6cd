// Tests of sentiment: flow alerts by premium dominance, option trades by tags, keep, messy input.
#include "sentiment.hpp"

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind {
namespace {

Config config(nlohmann::json values = nlohmann::json::object()) {
  nlohmann::json all = {
      {"dominance", 1.5}, {"keep", nlohmann::json::array()}, {"use_tags", true}, {"annotation", "sentiment"}};
  for (auto& [key, value] : values.items()) all[key] = value;
  return Config(all);
}

struct Harness {
  explicit Harness(const Config& c) : filter(c) { filter.start(ctx); }
  // The verdict and the annotation ("" when none).
  std::pair<Filter::Verdict, std::string> run(const std::string& channel, const std::string& payload) {
    Event event(channel, payload);
    const auto verdict = filter.process(event, out);
    const auto a = event.annotation("sentiment");
    return {verdict, a ? std::string(a->text_or("(not text)")) : ""};
  }
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  SentimentFilter filter;
};

std::string alert(const char* chain, const std::string& ask, const std::string& bid) {
  return std::string(R"({"ticker":"DIA","option_chain":")") + chain + R"(","total_ask_side_prem":)" + ask +
         R"(,"total_bid_side_prem":)" + bid + "}";
}

TEST(Sentiment, FlowAlertsBySideAndKind) {
  Harness h(config());
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018C00415000", "36466", "0")).second, "bullish");     // buy call
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018P00415000", "36466", "0")).second, "bearish");     // buy put
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018C00415000", "0", "\"5000\"")).second, "bearish");  // sell call
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018P00415000", "\"\"", "\"5000\"")).second,
            "neutral");                                                                         // ask "" = unknown side
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018P00415000", "0", "5000")).second, "bullish");  // sell put
  EXPECT_EQ(h.ctx.value("bullish"), 2U);
  EXPECT_EQ(h.ctx.value("bearish"), 2U);
  EXPECT_EQ(h.ctx.value("neutral"), 1U);
}

TEST(Sentiment, DominanceRatioDecidesCloseCalls) {
  Harness default_ratio(config());
  EXPECT_EQ(default_ratio.run("flow-alerts", alert("DIA241018C00415000", "140", "100")).second, "neutral");
  EXPECT_EQ(default_ratio.run("flow-alerts", alert("DIA241018C00415000", "150", "100")).second, "bullish");
  Harness strict(config({{"dominance", 3}}));
  EXPECT_EQ(strict.run("flow-alerts", alert("DIA241018C00415000", "250", "100")).second, "neutral");
  Harness majority(config({{"dominance", 1}}));
  EXPECT_EQ(majority.run("flow-alerts", alert("DIA241018C00415000", "101", "100")).second, "bullish");
  EXPECT_EQ(majority.run("flow-alerts", alert("DIA241018C00415000", "100", "100")).second, "neutral");
}

TEST(Sentiment, FlowAlertFallsBackToVolumes) {
  Harness h(config());
  EXPECT_EQ(h.run("flow-alerts", R"({"option_chain":"DIA241018C00415000","ask_vol":10,"bid_vol":90})").second,
            "bearish");
}

TEST(Sentiment, OptionTradesFromTagsAndOptionType) {
  Harness h(config());
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"put","tags":["bid_side"]})").second, "bullish");
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"call","tags":["ask_side","bullish"]})").second, "bullish");
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"call","tags":["bid_side"]})").second, "bearish");
  // No side: the explicit tag decides, unless use_tags is off.
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"call","tags":["bearish"]})").second, "bearish");
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"call","tags":["bearish","bullish"]})").second, "neutral");
  Harness no_tags(config({{"use_tags", false}}));
  EXPECT_EQ(no_tags.run("option_trades", R"({"option_type":"call","tags":["bearish"]})").second, "neutral");
  // Side from the price against the quote when there are no side tags.
  EXPECT_EQ(h.run("option_trades",
                  R"({"option_symbol":"SPY241018P00550000","price":"1.30","nbbo_bid":"1.20","nbbo_ask":"1.30"})")
                .second,
            "bearish");
}

TEST(Sentiment, NonOptionEventsPassUnlabelled) {
  Harness h(config({{"keep", {"bullish"}}}));
  for (const auto& [channel, payload] : std::vector<std::pair<std::string, std::string>>{
           {"price:SPY", R"({"close":"562.82"})"},
           {"off_lit_trades", R"({"ticker":"QID","price":"18.99","size":6400})"},
           {"news", R"({"headline":"x"})"},
           {"congress-trades", R"({"txn_type":"Buy","ticker":"X"})"}}) {
    const auto [verdict, label] = h.run(channel, payload);
    EXPECT_EQ(verdict, Filter::Verdict::keep) << channel;
    EXPECT_EQ(label, "") << channel;
  }
  EXPECT_EQ(h.ctx.value("dropped"), 0U);
}

TEST(Sentiment, KeepDropsOtherSentiments) {
  Harness h(config({{"keep", {"bullish", "bearish"}}}));
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018C00415000", "36466", "0")).first, Filter::Verdict::keep);
  EXPECT_EQ(h.run("flow-alerts", alert("DIA241018C00415000", "1", "1")).first, Filter::Verdict::drop);
  EXPECT_EQ(h.ctx.value("dropped"), 1U);
  EXPECT_EQ(h.filter.status()["dropped"], 1);
  EXPECT_EQ(h.filter.status()["neutral"], 1);
}

TEST(Sentiment, MessyInputIsNeutralAndCounted) {
  Harness h(config());
  EXPECT_EQ(
      h.run("flow-alerts", R"({"option_chain":"NOT-AN-OCC","total_ask_side_prem":"lots","total_bid_side_prem":[]})")
          .second,
      "neutral");
  EXPECT_EQ(h.ctx.value("unreadable_option_symbol"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_ask_side_premium"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_bid_side_premium"), 1U);
  EXPECT_EQ(h.run("option_trades", R"({"option_type":"straddle","tags":"ask_side"})").second, "neutral");
  EXPECT_EQ(h.ctx.value("unreadable_option_kind"), 1U);
  EXPECT_EQ(h.ctx.value("unreadable_tags"), 1U);
  // Broken JSON on an options channel: neutral, counted, never thrown.
  EXPECT_EQ(h.run("flow-alerts", R"({"option_chain":"DIA241018C004)").second, "neutral");
  EXPECT_EQ(h.ctx.value("unreadable_payload"), 1U);
}

TEST(Sentiment, CustomAnnotationName) {
  SentimentFilter filter(config({{"annotation", "mood"}}));
  uw::testing::CollectingEmitter out;
  Event event("flow-alerts", alert("DIA241018C00415000", "36466", "0"));
  filter.process(event, out);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"mood", "bullish"}}));
}

}  // namespace
}  // namespace flowmind
