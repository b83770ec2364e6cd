// Tests of the match filter's operators, paths, modes, actions and bad payloads.
#include "match.hpp"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "match_compare.hpp"
#include "match_test_support.hpp"

namespace flowmind {
namespace {

using flowmind::testing::FailingEmitter;
using flowmind::testing::match_config;
using flowmind::testing::payload_event;
using flowmind::testing::RecordingStageContext;

// A flow alert as UW sends it, plus a few fields to exercise nesting.
const nlohmann::json alert = {
    {"ticker", "DIA"},
    {"option_chain", "DIA241018C00415000"},
    {"total_premium", 36466},
    {"total_size", 50},
    {"price", 7.3},
    {"bid", "7.15"},
    {"ask", "7.30"},
    {"volume", "9"},
    {"has_sweep", false},
    {"url", ""},
    {"trade_code", nullptr},
    {"trade_ids", {"417f0cd6", "4af4c646"}},
    {"exchanges", {"XCBO", "MPRL"}},
    {"strikes", {400, 415, 420}},
    {"expiry", "2024-10-18"},
    {"greeks", {{"delta", "0.52"}, {"legs", {{{"side", "buy"}}, {{"side", "sell"}}}}, {"0", "zero-key"}}},
    {"tracking_id", 9007199254740993LL},
};

// Whether one condition holds for `payload`.
bool holds(const nlohmann::json& condition, const nlohmann::json& payload = alert) {
  MatchFilter filter(match_config(nlohmann::json::array({condition})));
  return filter.matches(payload_event(payload));
}

nlohmann::json cond(const std::string& field, const std::string& op, nlohmann::json value) {
  return {{"field", field}, {"op", op}, {"value", std::move(value)}};
}

TEST(MatchOps, EqComparesNumbersNumericallyAndEverythingElseAsJson) {
  EXPECT_TRUE(holds(cond("total_premium", "eq", 36466)));
  EXPECT_TRUE(holds(cond("total_premium", "eq", "36466")));
  EXPECT_TRUE(holds(cond("total_premium", "eq", 36466.0)));
  EXPECT_TRUE(holds(cond("ask", "eq", 7.3)));  // "7.30" == 7.3
  EXPECT_TRUE(holds(cond("ask", "eq", "7.3")));
  EXPECT_TRUE(holds(cond("ticker", "eq", "DIA")));
  EXPECT_FALSE(holds(cond("ticker", "eq", "dia")));
  EXPECT_TRUE(holds(cond("has_sweep", "eq", false)));
  EXPECT_FALSE(holds(cond("has_sweep", "eq", 0)));  // a bool is not a number
  EXPECT_FALSE(holds(cond("total_premium", "eq", 36467)));
  EXPECT_TRUE(holds(cond("exchanges", "eq", {"XCBO", "MPRL"})));
  EXPECT_TRUE(holds(cond("url", "eq", "")));
  // Integers compare exactly, even where doubles could not tell them apart.
  EXPECT_FALSE(holds(cond("tracking_id", "eq", 9007199254740992LL)));
  EXPECT_TRUE(holds(cond("tracking_id", "eq", 9007199254740993LL)));
  // The default op is eq.
  EXPECT_TRUE(holds({{"field", "ticker"}, {"value", "DIA"}}));
}

TEST(MatchOps, NeIsTheOppositeOfEqForPresentFields) {
  EXPECT_TRUE(holds(cond("ticker", "ne", "SPY")));
  EXPECT_FALSE(holds(cond("ticker", "ne", "DIA")));
  EXPECT_FALSE(holds(cond("total_premium", "ne", "36466")));
  EXPECT_TRUE(holds(cond("total_premium", "ne", "36466.5")));
  EXPECT_FALSE(holds(cond("no_such_field", "ne", "SPY")));  // missing: false
}

TEST(MatchOps, OrderingIsNumericForNumbersAndNumericStrings) {
  EXPECT_TRUE(holds(cond("total_premium", "gte", 10000)));
  EXPECT_TRUE(holds(cond("total_premium", "gte", "10000")));
  EXPECT_TRUE(holds(cond("total_premium", "gte", 36466)));
  EXPECT_FALSE(holds(cond("total_premium", "gt", 36466)));
  EXPECT_TRUE(holds(cond("total_premium", "lte", 36466)));
  EXPECT_FALSE(holds(cond("total_premium", "lt", 36466)));
  EXPECT_TRUE(holds(cond("total_premium", "lt", 1e6)));
  EXPECT_TRUE(holds(cond("bid", "lt", 7.2)));      // "7.15" < 7.2
  EXPECT_TRUE(holds(cond("volume", "lt", "10")));  // "9" < "10" as numbers (not as text)
  EXPECT_FALSE(holds(cond("volume", "gt", "10")));
  EXPECT_TRUE(holds(cond("price", "gt", "-1e3")));
  EXPECT_TRUE(holds(cond("tracking_id", "gt", 9007199254740992LL)));
}

TEST(MatchOps, OrderingOfTwoNonNumericStringsIsLexicographic) {
  EXPECT_TRUE(holds(cond("expiry", "gt", "2024-09-30")));
  EXPECT_TRUE(holds(cond("expiry", "lte", "2024-10-18")));
  EXPECT_FALSE(holds(cond("expiry", "lt", "2024-10-18")));
  EXPECT_TRUE(holds(cond("ticker", "lt", "SPY")));
  // A number against a word, or a bool, cannot be ordered: false both ways.
  EXPECT_FALSE(holds(cond("total_premium", "gt", "abc")));
  EXPECT_FALSE(holds(cond("total_premium", "lt", "abc")));
  EXPECT_FALSE(holds(cond("has_sweep", "lt", 1)));
  EXPECT_FALSE(holds(cond("has_sweep", "gte", 0)));
  EXPECT_FALSE(holds(cond("exchanges", "gt", 0)));
}

TEST(MatchOps, InLooksForTheValueInTheList) {
  EXPECT_TRUE(holds(cond("ticker", "in", {"SPY", "DIA", "QQQ"})));
  EXPECT_FALSE(holds(cond("ticker", "in", {"SPY", "QQQ"})));
  EXPECT_TRUE(holds(cond("total_premium", "in", {"36466", 1})));  // numeric-aware
  EXPECT_TRUE(holds(cond("ask", "in", {7.3})));
  EXPECT_FALSE(holds(cond("ticker", "in", nlohmann::json::array())));
  EXPECT_FALSE(holds(cond("missing", "in", {"SPY"})));
}

TEST(MatchOps, ContainsIsASubstringForTextAndAnElementForLists) {
  EXPECT_TRUE(holds(cond("option_chain", "contains", "C00415")));
  EXPECT_FALSE(holds(cond("option_chain", "contains", "P00415")));
  EXPECT_TRUE(holds(cond("option_chain", "contains", 241018)));  // number: its decimal text
  EXPECT_TRUE(holds(cond("exchanges", "contains", "XCBO")));
  EXPECT_FALSE(holds(cond("exchanges", "contains", "XCB")));  // elements match whole
  EXPECT_TRUE(holds(cond("strikes", "contains", "415")));     // numeric-aware element
  EXPECT_TRUE(holds(cond("strikes", "contains", 420.0)));
  EXPECT_FALSE(holds(cond("strikes", "contains", 416)));
  EXPECT_FALSE(holds(cond("total_premium", "contains", 36)));  // a number contains nothing
  EXPECT_FALSE(holds(cond("greeks", "contains", "delta")));    // nor does a map
  EXPECT_TRUE(holds(cond("url", "contains", "")));
}

TEST(MatchOps, ExistsChecksPresenceAndNullCountsAsMissing) {
  EXPECT_TRUE(holds({{"field", "ticker"}, {"op", "exists"}}));  // value defaults to true
  EXPECT_TRUE(holds({{"field", "ticker"}, {"op", "exists"}, {"value", true}}));
  EXPECT_FALSE(holds({{"field", "ticker"}, {"op", "exists"}, {"value", false}}));
  EXPECT_FALSE(holds({{"field", "nope"}, {"op", "exists"}}));
  EXPECT_TRUE(holds({{"field", "nope"}, {"op", "exists"}, {"value", false}}));
  EXPECT_FALSE(holds({{"field", "trade_code"}, {"op", "exists"}}));  // null
  EXPECT_TRUE(holds({{"field", "trade_code"}, {"op", "exists"}, {"value", false}}));
  EXPECT_TRUE(holds({{"field", "has_sweep"}, {"op", "exists"}}));  // false is a value
  EXPECT_TRUE(holds({{"field", "url"}, {"op", "exists"}}));        // so is ""
}

TEST(MatchOps, AMissingFieldFailsEveryOpExceptExistsFalse) {
  for (const auto& op : match_op_names()) {
    if (op == "exists") continue;
    const nlohmann::json value = op == "in" ? nlohmann::json{1, "x"} : nlohmann::json(1);
    EXPECT_FALSE(holds(cond("nope", op, value))) << op;
    EXPECT_FALSE(holds(cond("trade_code", op, value))) << op;  // null
    EXPECT_FALSE(holds(cond("greeks.nope", op, value))) << op;
    EXPECT_FALSE(holds(cond("ticker.length", op, value))) << op;  // through a string
  }
}

TEST(MatchPaths, DottedPathsReachNestedMapsAndArrayElements) {
  EXPECT_TRUE(holds(cond("greeks.delta", "gt", 0.5)));
  EXPECT_TRUE(holds(cond("trade_ids.0", "eq", "417f0cd6")));
  EXPECT_TRUE(holds(cond("trade_ids.1", "eq", "4af4c646")));
  EXPECT_FALSE(holds({{"field", "trade_ids.2"}, {"op", "exists"}}));
  EXPECT_TRUE(holds(cond("greeks.legs.1.side", "eq", "sell")));
  EXPECT_TRUE(holds(cond("greeks.0", "eq", "zero-key")));  // a numeric key of a map
  EXPECT_FALSE(holds({{"field", "trade_ids.first"}, {"op", "exists"}}));
  EXPECT_TRUE(holds(cond("0", "eq", "top"), {{"0", "top"}}));
}

TEST(MatchAnnotations, ConditionsCanReadAnnotationsInsteadOfThePayload) {
  MatchFilter filter(match_config({{{"annotation", "sentiment"}, {"value", "bullish"}},
                                   {{"annotation", "premium.bucket"}, {"op", "gte"}, {"value", 2}}}));
  auto event = payload_event(alert);
  EXPECT_FALSE(filter.matches(event));  // no annotations yet
  event.annotate("sentiment", "bullish");
  EXPECT_FALSE(filter.matches(event));
  event.annotate("premium", {{"bucket", "3"}});
  EXPECT_TRUE(filter.matches(event));
  event.annotate("sentiment", "bearish");
  EXPECT_FALSE(filter.matches(event));
  // The payload field of the same name is not an annotation.
  MatchFilter on_payload(match_config({{{"field", "sentiment"}, {"op", "exists"}}}));
  EXPECT_FALSE(on_payload.matches(event));
}

// Annotation paths read the flat annotations: a null is missing, a scalar has no members, an
// array is indexed, numbers compare whatever their kind.
TEST(MatchAnnotations, PathsIntoFlatAnnotationsResolveLikeJson) {
  auto event = payload_event(alert);
  event.annotate("flag", nullptr);
  event.annotate("side", "buy");
  event.annotate("tags", nlohmann::json::array({"sweep", "whale"}));
  event.annotate("huge", std::numeric_limits<std::uint64_t>::max());
  event.annotate("size", 7);
  EXPECT_FALSE(MatchFilter(match_config({{{"annotation", "flag"}, {"op", "exists"}}})).matches(event));
  EXPECT_TRUE(MatchFilter(match_config({{{"annotation", "side"}, {"op", "exists"}}})).matches(event));
  EXPECT_FALSE(MatchFilter(match_config({{{"annotation", "side.x"}, {"op", "exists"}}})).matches(event));
  EXPECT_TRUE(MatchFilter(match_config({{{"annotation", "tags.1"}, {"value", "whale"}}})).matches(event));
  EXPECT_FALSE(MatchFilter(match_config({{{"annotation", "tags.2"}, {"op", "exists"}}})).matches(event));
  EXPECT_TRUE(MatchFilter(match_config({{{"annotation", "huge"}, {"op", "gt"}, {"value", 1e18}}})).matches(event));
  EXPECT_TRUE(MatchFilter(match_config({{{"annotation", "size"}, {"op", "in"}, {"value", {5, 7.0}}}})).matches(event));
}

TEST(MatchModes, AllNeedsEveryConditionAnyNeedsOne) {
  const nlohmann::json conditions = {cond("ticker", "eq", "DIA"), cond("total_premium", "gte", 1'000'000)};
  MatchFilter all(match_config(conditions, "all"));
  MatchFilter any(match_config(conditions, "any"));
  EXPECT_FALSE(all.matches(payload_event(alert)));
  EXPECT_TRUE(any.matches(payload_event(alert)));
  auto whale = alert;
  whale["total_premium"] = 2'500'000;
  EXPECT_TRUE(all.matches(payload_event(whale)));
  EXPECT_TRUE(any.matches(payload_event(whale)));
  auto other = alert;
  other["ticker"] = "SPY";
  EXPECT_FALSE(all.matches(payload_event(other)));
  EXPECT_FALSE(any.matches(payload_event(other)));
}

TEST(MatchActions, KeepPassesMatchingEventsDropRemovesThem) {
  const auto conditions = nlohmann::json::array({cond("total_premium", "gte", 100000)});
  MatchFilter keep(match_config(conditions, "all", "keep"));
  MatchFilter drop(match_config(conditions, "all", "drop"));
  FailingEmitter out;
  auto big = alert;
  big["total_premium"] = "150000";
  auto small_event = payload_event(alert);
  auto big_event = payload_event(big);
  EXPECT_EQ(keep.process(small_event, out), Filter::Verdict::drop);
  EXPECT_EQ(keep.process(big_event, out), Filter::Verdict::keep);
  EXPECT_EQ(drop.process(small_event, out), Filter::Verdict::keep);
  EXPECT_EQ(drop.process(big_event, out), Filter::Verdict::drop);
  EXPECT_EQ(keep.status(), (nlohmann::json{{"matched", 1}, {"not_matched", 1}, {"invalid_payload", 0}}));
  // The filter only decides: payload and annotations stay as they were.
  EXPECT_EQ(big_event.payload(), big);
  EXPECT_TRUE(big_event.annotations().empty());
}

TEST(MatchPayloads, InvalidJsonNeverMatchesAndIsCounted) {
  RecordingStageContext ctx;
  MatchFilter keep(match_config(nlohmann::json::array({cond("ticker", "eq", "DIA")})));
  MatchFilter drop(match_config({{{"field", "ticker"}, {"op", "exists"}, {"value", false}}}, "all", "drop"));
  keep.start(ctx);
  drop.start(ctx);
  FailingEmitter out;
  Event broken("flow-alerts", R"({"ticker":"DIA",)");
  Event empty("flow-alerts", "");
  EXPECT_EQ(keep.process(broken, out), Filter::Verdict::drop);
  EXPECT_EQ(keep.process(empty, out), Filter::Verdict::drop);
  // exists:false would hold for a payload without the field, but a broken payload matches nothing.
  EXPECT_EQ(drop.process(broken, out), Filter::Verdict::keep);
  EXPECT_EQ(ctx.value("invalid_payload"), 3U);
  EXPECT_EQ(keep.status().at("invalid_payload"), 2);
  auto good = payload_event(alert);
  EXPECT_EQ(keep.process(good, out), Filter::Verdict::keep);
  EXPECT_EQ(ctx.value("invalid_payload"), 3U);
}

TEST(MatchPayloads, AnnotationOnlyConditionsNeverParseThePayload) {
  RecordingStageContext ctx;
  MatchFilter filter(match_config({{{"annotation", "whale"}, {"value", true}}}));
  filter.start(ctx);
  Event event("flow-alerts", "not json at all");
  event.annotate("whale", true);
  FailingEmitter out;
  EXPECT_EQ(filter.process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(ctx.value("invalid_payload"), 0U);
}

TEST(MatchCompare, NumbersAndNumericStrings) {
  EXPECT_EQ(as_number("36466"), 36466.0);
  EXPECT_EQ(as_number("-0.5"), -0.5);
  EXPECT_EQ(as_number("1e6"), 1e6);
  EXPECT_EQ(as_number(7.3), 7.3);
  for (const nlohmann::json& not_numbers :
       {nlohmann::json(""), nlohmann::json("12abc"), nlohmann::json(" 1"), nlohmann::json("nan"), nlohmann::json("inf"),
        nlohmann::json(true), nlohmann::json(nullptr), nlohmann::json::array()}) {
    EXPECT_FALSE(as_number(not_numbers).has_value()) << not_numbers.dump();
  }
  EXPECT_EQ(compare_values("9", "10"), -1);
  EXPECT_EQ(compare_values("b", "a"), 1);
  EXPECT_EQ(compare_values(2, 2.0), 0);
  EXPECT_FALSE(compare_values("a", 1).has_value());
  EXPECT_TRUE(values_equal("1.0", 1));
  EXPECT_FALSE(values_equal("a", "b"));
}

}  // namespace
}  // namespace flowmind
