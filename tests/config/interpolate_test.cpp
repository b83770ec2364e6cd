// ${VAR} interpolation of scalar text, and the did-you-mean rule used by every hint.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "config/did_you_mean.hpp"
#include "config/interpolate.hpp"

namespace flowmind {
namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(InterpolateTest, SubstitutesSetVariablesAndDefaults) {
  const auto env = fake_env({{"HOST", "example.org"}, {"PORT", "8443"}, {"EMPTY", ""}});
  struct Case {
    const char* text;
    const char* expected;
    bool substituted;
  };
  const Case cases[] = {
      {"plain text", "plain text", false},
      {"${HOST}", "example.org", true},
      {"wss://${HOST}:${PORT}/ws", "wss://example.org:8443/ws", true},
      {"${MISSING:-fallback}", "fallback", true},
      {"${HOST:-fallback}", "example.org", true},
      {"${EMPTY:-fallback}", "fallback", true},  // like the shell, :- also replaces an empty value
      {"${EMPTY}", "", true},
      {"${MISSING:-}", "", true},
      {"${MISSING:-a:-b}", "a:-b", true},
      {"cost $5 and $$ and $HOST", "cost $5 and $$ and $HOST", false},
      {"$${HOST}", "${HOST}", false},
      {"$${HOST} is ${HOST}", "${HOST} is example.org", true},
      {"trailing $", "trailing $", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto result = interpolate(c.text, env);
    ASSERT_FALSE(result.error.has_value()) << *result.error;
    EXPECT_EQ(result.text, c.expected);
    EXPECT_EQ(result.substituted, c.substituted);
  }
}

TEST(InterpolateTest, ReportsUnsetUnterminatedAndBadNames) {
  const auto env = fake_env({});
  EXPECT_EQ(interpolate("${TOKEN}", env).error,
            "environment variable TOKEN is not set (write ${TOKEN:-default} to give a default)");
  EXPECT_EQ(interpolate("x ${TOKEN", env).error, "unterminated \"${\" (write \"$${\" for a literal \"${\")");
  EXPECT_EQ(interpolate("${}", env).error,
            "invalid variable name \"\" in \"${}\": use letters, digits and '_', not starting with a digit");
  EXPECT_EQ(interpolate("${1ABC}", env).error,
            "invalid variable name \"1ABC\" in \"${1ABC}\": use letters, digits and '_', not starting with a digit");
  EXPECT_EQ(interpolate("${FOO-BAR}", env).error,
            "invalid variable name \"FOO-BAR\" in \"${FOO-BAR}\": use letters, digits and '_', not starting with a "
            "digit");
  EXPECT_EQ(interpolate("${PORT:8080}", env).error,
            "invalid variable name \"PORT:8080\" in \"${PORT:8080}\": use letters, digits and '_', not starting with "
            "a digit (a default is written ${NAME:-default})");
  EXPECT_EQ(interpolate("${A:-${B}}", env).error, "nested \"${\" in the default of ${A} is not supported");
}

TEST(InterpolateTest, AnEmptyLookupMeansNoVariables) {
  EXPECT_TRUE(interpolate("${HOME}", EnvLookup()).error.has_value());
  EXPECT_EQ(interpolate("${HOME:-none}", EnvLookup()).text, "none");
}

TEST(InterpolateTest, ProcessEnvironmentReadsTheRealEnvironment) {
  ::setenv("FLOWMIND_CONFIG_TEST_VAR", "from-env", 1);
  ::unsetenv("FLOWMIND_CONFIG_TEST_UNSET");
  const auto env = process_environment();
  EXPECT_EQ(env("FLOWMIND_CONFIG_TEST_VAR"), "from-env");
  EXPECT_EQ(env("FLOWMIND_CONFIG_TEST_UNSET"), std::nullopt);
}

TEST(DidYouMeanTest, EditDistanceCountsTranspositionsAsOneEdit) {
  EXPECT_EQ(edit_distance("rate", "rate"), 0U);
  EXPECT_EQ(edit_distance("rtae", "rate"), 1U);
  EXPECT_EQ(edit_distance("rat", "rate"), 1U);
  EXPECT_EQ(edit_distance("Rate", "rate"), 0U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
}

TEST(DidYouMeanTest, SuggestsOnlyCloseCandidates) {
  const std::vector<std::string> keys{"rate", "channel", "interval", "max_payload"};
  EXPECT_EQ(closest_match("rtae", keys), "rate");
  EXPECT_EQ(closest_match("chanel", keys), "channel");
  EXPECT_EQ(closest_match("max_paylod", keys), "max_payload");
  EXPECT_EQ(closest_match("intervall", keys), "interval");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  // Up to max(2, length / 3) edits: 2 for short words, 4 for a 12-letter word.
  EXPECT_EQ(closest_match("ab", {"xy"}), "xy");
  EXPECT_EQ(closest_match("abc", {"xyz"}), std::nullopt);
  EXPECT_EQ(closest_match("abcdefghijkl", {"abcdefghwxyz"}), "abcdefghwxyz");
  EXPECT_EQ(closest_match("abcdefghijkl", {"abcdefgvwxyz"}), std::nullopt);
  EXPECT_EQ(closest_match("mxa_paylaod_", {"max_payload"}), "max_payload");
  EXPECT_EQ(did_you_mean("chanel", keys), " (did you mean 'channel'?)");
  EXPECT_EQ(did_you_mean("stedy", {"steady"}, '"'), " (did you mean \"steady\"?)");
  EXPECT_EQ(did_you_mean("zzz", keys), "");
}

}  // namespace
}  // namespace flowmind
