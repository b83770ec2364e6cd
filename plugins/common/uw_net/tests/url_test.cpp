// Unit tests of parse_url: schemes, default ports, targets with queries, loopback, bad input.
#include <gtest/gtest.h>

#include "uw_net/url.hpp"

namespace flowmind::uw_net {
namespace {

TEST(UwNetUrl, ParsesTheRealUwSocketUrlWithItsDefaultPort) {
  std::string error;
  const auto url = parse_url("wss://api.unusualwhales.com/socket", error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->scheme, "wss");
  EXPECT_EQ(url->host, "api.unusualwhales.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->target, "/socket");
  EXPECT_TRUE(url->tls());
  EXPECT_FALSE(url->loopback());
}

TEST(UwNetUrl, KeepsTheQueryInTheTargetAndDropsTheFragment) {
  std::string error;
  const auto url = parse_url("WS://127.0.0.1:8765/socket?token=abc&x=1#frag", error);
  ASSERT_TRUE(url) << error;
  EXPECT_EQ(url->scheme, "ws");
  EXPECT_EQ(url->port, "8765");
  EXPECT_EQ(url->target, "/socket?token=abc&x=1");
  EXPECT_FALSE(url->tls());
  EXPECT_TRUE(url->loopback());
}

TEST(UwNetUrl, DefaultPortsAndTargetsForEveryScheme) {
  std::string error;
  EXPECT_EQ(parse_url("http://example.com", error)->port, "80");
  EXPECT_EQ(parse_url("http://example.com", error)->target, "/");
  EXPECT_EQ(parse_url("https://example.com?limit=5", error)->target, "/?limit=5");
  EXPECT_EQ(parse_url("https://example.com", error)->port, "443");
  EXPECT_EQ(parse_url("ws://example.com/a/b", error)->port, "80");
  EXPECT_TRUE(parse_url("https://example.com", error)->tls());
  EXPECT_FALSE(parse_url("http://example.com", error)->tls());
}

TEST(UwNetUrl, RecognisesLoopbackHosts) {
  std::string error;
  EXPECT_TRUE(parse_url("ws://localhost:1/", error)->loopback());
  EXPECT_TRUE(parse_url("ws://LocalHost/", error)->loopback());
  EXPECT_TRUE(parse_url("ws://127.1.2.3/", error)->loopback());
  const auto v6 = parse_url("ws://[::1]:9000/socket", error);
  ASSERT_TRUE(v6) << error;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "9000");
  EXPECT_TRUE(v6->loopback());
  EXPECT_FALSE(parse_url("ws://10.0.0.1/", error)->loopback());
  EXPECT_FALSE(parse_url("ws://localhost.example.com/", error)->loopback());
  EXPECT_FALSE(parse_url("ws://[2001:db8::1]/", error)->loopback());
}

TEST(UwNetUrl, RefusesWhatCannotBeUsedWithAReasonThatDoesNotRepeatTheUrl) {
  for (const std::string bad :
       {"", "api.unusualwhales.com/socket", "ftp://host/x?token=SECRET1", "wss:///socket?token=SECRET1",
        "wss://host:0/?token=SECRET1", "wss://host:70000/?token=SECRET1", "wss://host:/x?token=SECRET1",
        "wss://user:SECRET1@host/", "wss://[::1/?token=SECRET1", "wss://ho st/?token=SECRET1",
        "wss://host:12a/?token=SECRET1", "wss://[zz::1]/?token=SECRET1"}) {
    std::string error;
    EXPECT_FALSE(parse_url(bad, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
    EXPECT_EQ(error.find("SECRET1"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace flowmind::uw_net
