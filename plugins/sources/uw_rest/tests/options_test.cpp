// The uw_rest config: defaults, URL rules, query encoding, key_fields, warnings, and no token in messages.
#include <gtest/gtest.h>

#include "flowmind/plugin.hpp"
#include "rest_test_context.hpp"
#include "uw_rest_options.hpp"

namespace flowmind::uw_rest {
namespace {

using testing::with_defaults;

const std::string secret = "s3cr3t-t0ken-value";

Config config_of(nlohmann::json values) {
  nlohmann::json base = {{"path", "/api/congress/recent-trades"}, {"token", secret}, {"channel", "congress-trades"}};
  base.update(values);
  return with_defaults(uw_rest_schema(), base);
}

std::string messages(const std::vector<ConfigIssue>& issues) {
  std::string text;
  for (const auto& issue : issues) text += issue.path + ": " + issue.message + "\n";
  return text;
}

TEST(UwRestOptions, DefaultsPollTheRealServiceOverHttps) {
  const auto config = config_of({{"query", {{"limit", 200}}}});
  EXPECT_TRUE(validate_uw_rest(config).empty()) << messages(validate_uw_rest(config));
  const auto options = UwRestOptions::from_config(config);
  EXPECT_EQ(options.url.scheme, "https");
  EXPECT_EQ(options.url.host, "api.unusualwhales.com");
  EXPECT_EQ(options.url.port, "443");
  EXPECT_EQ(options.url.target, "/api/congress/recent-trades?limit=200");
  EXPECT_EQ(options.display_url, "https://api.unusualwhales.com/api/congress/recent-trades?limit=200");
  EXPECT_EQ(options.interval, std::chrono::seconds(60));
  EXPECT_EQ(options.budget.per_minute, 120U);
  EXPECT_EQ(options.budget.per_day, 15000U);
  EXPECT_TRUE(options.default_keys);
  EXPECT_EQ(options.key_groups, default_key_groups("/api/congress/recent-trades"));
}

TEST(UwRestOptions, PlainHttpOnlyOnLoopback) {
  const auto loopback = config_of({{"base_url", "http://127.0.0.1:8765"}});
  EXPECT_TRUE(validate_uw_rest(loopback).empty());
  EXPECT_EQ(UwRestOptions::from_config(loopback).display_url, "http://127.0.0.1:8765/api/congress/recent-trades");

  const auto remote = config_of({{"base_url", "http://api.unusualwhales.com"}});
  const auto issues = validate_uw_rest(remote);
  ASSERT_EQ(issues.size(), 1U) << messages(issues);
  EXPECT_EQ(issues[0].path, "base_url");
  EXPECT_NE(issues[0].message.find("loopback"), std::string::npos);
  EXPECT_THROW((void)UwRestOptions::from_config(remote), PluginError);

  EXPECT_EQ(validate_uw_rest(config_of({{"base_url", "ws://127.0.0.1:1"}})).size(), 1U);
  EXPECT_EQ(validate_uw_rest(config_of({{"base_url", "not a url"}})).size(), 1U);
  EXPECT_EQ(validate_uw_rest(config_of({{"base_url", "https://x.test/?a=1"}})).size(), 1U);
}

TEST(UwRestOptions, QueryIsEncodedAndABasePathIsKept) {
  const auto options = UwRestOptions::from_config(
      config_of({{"base_url", "https://proxy.test/uw/"}, {"query", {{"ticker", "BRK B"}, {"limit", "50"}}}}));
  EXPECT_EQ(options.url.target, "/uw/api/congress/recent-trades?limit=50&ticker=BRK%20B");
  const auto issues = validate_uw_rest(config_of({{"query", {{"ticker", {1, 2}}}}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "query/ticker");
}

TEST(UwRestOptions, PathAndTokenProblemsNeverQuoteTheToken) {
  EXPECT_EQ(validate_uw_rest(config_of({{"path", "api/x"}})).size(), 1U);
  EXPECT_EQ(validate_uw_rest(config_of({{"path", "/api/x y"}})).size(), 1U);
  const auto empty = validate_uw_rest(config_of({{"token", ""}}));
  ASSERT_EQ(empty.size(), 1U);
  EXPECT_EQ(empty[0].path, "token");
  const auto spaced = validate_uw_rest(config_of({{"token", secret + "\n"}}));
  ASSERT_EQ(spaced.size(), 1U);
  EXPECT_EQ(messages(spaced).find(secret), std::string::npos);
}

TEST(UwRestOptions, KeyFieldsAndWarnings) {
  const auto custom = UwRestOptions::from_config(config_of({{"key_fields", {"id", "ticker+time"}}}));
  EXPECT_FALSE(custom.default_keys);
  EXPECT_EQ(describe_key_groups(custom.key_groups), (std::vector<std::string>{"id", "ticker+time"}));
  EXPECT_EQ(validate_uw_rest(config_of({{"key_fields", {"a+"}}})).size(), 1U);

  const auto small = validate_uw_rest(config_of({{"seen_limit", 50}, {"query", {{"limit", 200}}}}));
  ASSERT_EQ(small.size(), 1U) << messages(small);
  EXPECT_EQ(small[0].severity, ConfigIssue::Severity::warning);
  EXPECT_EQ(small[0].path, "seen_limit");
  EXPECT_NO_THROW((void)UwRestOptions::from_config(config_of({{"seen_limit", 50}})));

  const auto ca = validate_uw_rest(config_of({{"base_url", "http://localhost:1"}, {"ca_file", "/x.pem"}}));
  ASSERT_EQ(ca.size(), 1U);
  EXPECT_EQ(ca[0].severity, ConfigIssue::Severity::warning);

  EXPECT_EQ(validate_uw_rest(config_of({{"backoff_initial", "10s"}, {"backoff_max", "1s"}})).size(), 1U);
}

}  // namespace
}  // namespace flowmind::uw_rest
