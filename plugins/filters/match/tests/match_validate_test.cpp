// Tests of the match filter's config checks: each problem reported once, at its path.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "match.hpp"
#include "match_test_support.hpp"

namespace flowmind {
namespace {

using flowmind::testing::match_config;

std::vector<ConfigIssue> errors_of(const std::vector<ConfigIssue>& issues) {
  std::vector<ConfigIssue> errors;
  for (const auto& issue : issues) {
    if (issue.severity == ConfigIssue::Severity::error) errors.push_back(issue);
  }
  return errors;
}

TEST(MatchValidate, AcceptsWellFormedConditions) {
  const auto config = match_config({{{"field", "total_premium"}, {"op", "gte"}, {"value", 1000000}},
                                    {{"field", "ticker"}, {"op", "in"}, {"value", {"SPY", "QQQ"}}},
                                    {{"annotation", "sentiment"}, {"value", "bullish"}},
                                    {{"field", "has_sweep"}, {"op", "exists"}},
                                    {{"field", "trade_ids.0"}, {"op", "exists"}, {"value", false}},
                                    {{"field", "option_chain"}, {"op", "contains"}, {"value", "C0"}},
                                    {{"field", "price"}, {"op", "lt"}, {"value", "7.5"}},
                                    {{"field", "ticker"}, {"op", "ne"}, {"value", "DIA"}}});
  EXPECT_TRUE(validate_match_config(config).empty());
  EXPECT_NO_THROW(MatchFilter{config});
}

TEST(MatchValidate, ReportsEachProblemAtItsPath) {
  const auto config = match_config({
      {{"field", "ticker"}, {"annotation", "sentiment"}, {"value", "x"}},   // 0: both
      {{"op", "eq"}, {"value", "x"}},                                       // 1: neither
      {{"field", "ticker"}, {"op", "in"}, {"value", "SPY"}},                // 2: in without a list
      {{"field", "price"}, {"op", "gt"}, {"value", {1, 2}}},                // 3: numeric op, list value
      {{"field", "has_sweep"}, {"op", "exists"}, {"value", "yes"}},         // 4: exists, not a bool
      {{"field", ""}, {"op", "exists"}},                                    // 5: empty path
      {{"annotation", "a..b"}, {"op", "exists"}},                           // 6: empty segment
      {{"field", "ticker"}, {"op", "like"}, {"value", "S%"}},               // 7: unknown op
      {{"field", "ticker"}, {"op", "eq"}},                                  // 8: no value
      "ticker == SPY",                                                      // 9: not a map
      {{"field", "price"}, {"op", "lte"}, {"value", true}},                 // 10: numeric op, bool value
      {{"field", "exchanges"}, {"op", "contains"}, {"value", {{"a", 1}}}},  // 11: contains a map
      {{"field", "ticker"}, {"op", "in"}},                                  // 12: in without a value
      {{"field", 5}, {"op", "exists"}},                                     // 13: path not a string
  });
  const auto issues = validate_match_config(config);
  const std::vector<std::string> expected_paths = {
      "conditions/0",        "conditions/1",       "conditions/2/value",      "conditions/3/value",
      "conditions/4/value",  "conditions/5/field", "conditions/6/annotation", "conditions/7/op",
      "conditions/8/value",  "conditions/9",       "conditions/10/value",     "conditions/11/value",
      "conditions/12/value", "conditions/13/field"};
  ASSERT_EQ(issues.size(), expected_paths.size());
  for (std::size_t i = 0; i < issues.size(); ++i) {
    EXPECT_EQ(issues[i].path, expected_paths[i]) << i << ": " << issues[i].message;
    EXPECT_EQ(issues[i].severity, ConfigIssue::Severity::error) << i;
    EXPECT_FALSE(issues[i].message.empty());
  }
  EXPECT_NE(issues[0].message.find("not both"), std::string::npos);
  EXPECT_NE(issues[2].message.find("list"), std::string::npos);
  EXPECT_NE(issues[5].message.find("empty path"), std::string::npos);
  EXPECT_NE(issues[6].message.find("'a..b'"), std::string::npos);
  EXPECT_NE(issues[7].message.find("\"like\""), std::string::npos);
  EXPECT_NE(issues[7].message.find("contains"), std::string::npos);  // lists the known ops
  EXPECT_THROW(MatchFilter{config}, PluginError);
}

TEST(MatchValidate, ANonNumericTextBoundIsOnlyAWarning) {
  const auto config = match_config({{{"field", "expiry"}, {"op", "gte"}, {"value", "2024-10-01"}},
                                    {{"field", "total_premium"}, {"op", "gt"}, {"value", "100k"}}});
  const auto issues = validate_match_config(config);
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "conditions/0/value");
  EXPECT_EQ(issues[1].path, "conditions/1/value");
  EXPECT_EQ(issues[1].severity, ConfigIssue::Severity::warning);
  EXPECT_NE(issues[1].message.find("'100k' is not a number"), std::string::npos);
  EXPECT_TRUE(errors_of(issues).empty());
  EXPECT_NO_THROW(MatchFilter{config});
}

TEST(MatchValidate, NeedsAtLeastOneCondition) {
  for (const auto& conditions : {nlohmann::json::array(), nlohmann::json("ticker"), nlohmann::json::object()}) {
    const auto issues = validate_match_config(match_config(conditions));
    ASSERT_EQ(issues.size(), 1U) << conditions.dump();
    EXPECT_EQ(issues[0].path, "conditions");
  }
  const auto issues = validate_match_config(Config(nlohmann::json{{"mode", "all"}, {"action", "keep"}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "conditions");
  EXPECT_THROW(MatchFilter{match_config(nlohmann::json::array())}, PluginError);
}

TEST(MatchValidate, ReportsBadModeAndAction) {
  const auto issues = validate_match_config(match_config({{{"field", "a"}, {"op", "exists"}}}, "some", "forward"));
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "mode");
  EXPECT_EQ(issues[1].path, "action");
}

}  // namespace
}  // namespace flowmind
