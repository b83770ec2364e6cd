// Unit tests of the uw_websocket config checks (channels, url, token) and of reading the options.
#include <algorithm>

#include <gtest/gtest.h>

#include "uw_options.hpp"

namespace flowmind::uw_websocket {
namespace {

// A config as the engine hands it over: defaults applied, durations in ns, sizes in bytes.
Config config(nlohmann::json overrides) {
  nlohmann::json values = {{"url", default_url},
                           {"token", "tok"},
                           {"channels", {"flow-alerts"}},
                           {"ca_file", ""},
                           {"receive_limit", 4194304},
                           {"connect_timeout", 10'000'000'000LL},
                           {"ack_timeout", 10'000'000'000LL},
                           {"join_retries", 2},
                           {"ping_after", 30'000'000'000LL},
                           {"pong_timeout", 10'000'000'000LL},
                           {"reconnect_initial", 5'000'000'000LL},
                           {"reconnect_max", 60'000'000'000LL},
                           {"reconnect_jitter", 0.2},
                           {"reconnect_attempts", 0},
                           {"queue_limit", 10000}};
  values.update(overrides);
  return Config(values);
}

std::vector<ConfigIssue> issues_of(nlohmann::json overrides) { return validate_options(config(std::move(overrides))); }

TEST(UwOptions, TheSchemaHasUwsDefaults) {
  Schema schema;
  describe_options(schema);
  EXPECT_EQ(schema.find("url")->default_value(), "wss://api.unusualwhales.com/socket");
  EXPECT_TRUE(schema.find("token")->is_required());
  EXPECT_TRUE(schema.find("channels")->is_required());
  EXPECT_EQ(schema.find("receive_limit")->default_value(), "4MiB");
  EXPECT_EQ(schema.find("ping_after")->default_value(), "30s");
  EXPECT_EQ(schema.find("pong_timeout")->default_value(), "10s");
  EXPECT_EQ(schema.find("reconnect_initial")->default_value(), "5s");
  EXPECT_EQ(schema.find("reconnect_max")->default_value(), "60s");
  EXPECT_EQ(schema.find("reconnect_attempts")->default_value(), 0);
  EXPECT_NE(schema.find("queue_limit"), nullptr);
}

TEST(UwOptions, AValidConfigHasNoIssuesAndReadsBack) {
  const auto values = config({{"channels", {"flow-alerts", "price:SPY", "flow-alerts"}}});
  const auto issues = validate_options(config({{"channels", {"flow-alerts", "price:SPY"}}}));
  EXPECT_TRUE(issues.empty());
  const auto options = read_options(values);
  EXPECT_EQ(options.channels, (std::vector<std::string>{"flow-alerts", "price:SPY"}));  // duplicates removed
  EXPECT_EQ(options.receive_limit, 4194304U);
  EXPECT_EQ(options.ping_after, std::chrono::seconds(30));
  EXPECT_EQ(options.reconnect_initial, std::chrono::seconds(5));
  EXPECT_DOUBLE_EQ(options.reconnect_jitter, 0.2);
}

TEST(UwOptions, UnknownChannelsAndDuplicatesAreWarningsNotErrors) {
  const auto issues = issues_of({{"channels", {"flow-alerts", "bogus", "price:spy", "flow-alerts"}}});
  ASSERT_EQ(issues.size(), 3U);
  EXPECT_EQ(issues[0].path, "channels/1");
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::warning);
  EXPECT_NE(issues[0].message.find("unknown UW channel 'bogus'"), std::string::npos);
  EXPECT_EQ(issues[1].path, "channels/2");
  EXPECT_EQ(issues[1].severity, ConfigIssue::Severity::warning);
  EXPECT_EQ(issues[2].path, "channels/3");
  EXPECT_NE(issues[2].message.find("listed twice"), std::string::npos);
}

TEST(UwOptions, EmptyChannelListsAndNamesAreErrors) {
  auto issues = issues_of({{"channels", nlohmann::json::array()}});
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);
  issues = issues_of({{"channels", {""}}});
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "channels/0");
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);
}

TEST(UwOptions, PlainWsOnlyForLoopbackAndTheUrlMustParse) {
  EXPECT_TRUE(issues_of({{"url", "ws://127.0.0.1:8765/socket"}}).empty());
  EXPECT_TRUE(issues_of({{"url", "ws://localhost:8765/socket"}}).empty());
  EXPECT_TRUE(issues_of({{"url", "wss://example.com/socket"}}).empty());
  for (const auto* bad : {"ws://api.unusualwhales.com/socket", "https://api.unusualwhales.com/socket", "not a url",
                          "wss://host:99999/socket", "wss://h/socket?token=SECRET"}) {
    const auto issues = issues_of({{"url", bad}});
    ASSERT_EQ(issues.size(), 1U) << bad;
    EXPECT_EQ(issues[0].path, "url");
    EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);
    EXPECT_EQ(issues[0].message.find("SECRET"), std::string::npos);
  }
}

TEST(UwOptions, TheTokenMustBeNonEmptyAndWithoutWhiteSpace) {
  for (const auto* bad : {"", "two words", "line\n"}) {
    const auto issues = issues_of({{"token", bad}});
    ASSERT_EQ(issues.size(), 1U) << bad;
    EXPECT_EQ(issues[0].path, "token");
    EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);
  }
}

TEST(UwOptions, TheReconnectMaximumCannotBeBelowTheInitialDelay) {
  const auto issues = issues_of({{"reconnect_initial", 10'000'000'000LL}, {"reconnect_max", 1'000'000'000LL}});
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "reconnect_max");
}

TEST(UwOptions, TheConnectionFingerprintIgnoresPerPipelineOptions) {
  auto a = read_options(config({{"channels", {"news"}}, {"queue_limit", 5}}));
  auto b = read_options(config({{"channels", {"flow-alerts"}}, {"queue_limit", 50}}));
  EXPECT_EQ(a.connection_fingerprint(), b.connection_fingerprint());
  b.ping_after = std::chrono::seconds(1);
  EXPECT_NE(a.connection_fingerprint(), b.connection_fingerprint());
}

}  // namespace
}  // namespace flowmind::uw_websocket
