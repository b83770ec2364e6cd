// Unit tests of redact and redact_url: the token never survives, everything else does.
#include <gtest/gtest.h>

#include "uw_net/redact.hpp"

namespace flowmind::uw_net {
namespace {

TEST(UwNetRedact, ReplacesEveryOccurrenceOfTheSecret) {
  EXPECT_EQ(redact("a tok b tok tok", "tok"), "a *** b *** ***");
  EXPECT_EQ(redact("tokentok", "tok"), "***en***");
  EXPECT_EQ(redact("nothing here", "tok"), "nothing here");
  EXPECT_EQ(redact("", "tok"), "");
}

TEST(UwNetRedact, AnEmptySecretChangesNothing) { EXPECT_EQ(redact("keep all", ""), "keep all"); }

TEST(UwNetRedact, ASecretContainingTheMaskDoesNotLoop) { EXPECT_EQ(redact("x**y", "*"), "x******y"); }

TEST(UwNetRedact, UrlTokenAndKeyParametersAreMasked) {
  EXPECT_EQ(redact_url("wss://api.unusualwhales.com/socket?token=abc123"),
            "wss://api.unusualwhales.com/socket?token=***");
  EXPECT_EQ(redact_url("https://h/p?limit=5&apikey=zz&Key=yy&x=token"),
            "https://h/p?limit=5&apikey=***&Key=***&x=token");
  EXPECT_EQ(redact_url("ws://h/s?a=1&token=t&api_key=k#frag"), "ws://h/s?a=1&token=***&api_key=***#frag");
  EXPECT_EQ(redact_url("ws://h/s?TOKEN=t&access_token=u&api_token=v"),
            "ws://h/s?TOKEN=***&access_token=***&api_token=***");
}

TEST(UwNetRedact, UrlsWithoutSecretsAreUnchanged) {
  EXPECT_EQ(redact_url("wss://api.unusualwhales.com/socket"), "wss://api.unusualwhales.com/socket");
  EXPECT_EQ(redact_url("ws://h/s?a=1&b&monkey=2"), "ws://h/s?a=1&b&monkey=2");
  EXPECT_EQ(redact_url("ws://h/s?"), "ws://h/s?");
  EXPECT_EQ(redact_url("ws://h/s?token"), "ws://h/s?token");
}

}  // namespace
}  // namespace flowmind::uw_net
