// Unit tests of frame classification: data, acks, and every kind of malformed frame.
#include <gtest/gtest.h>

#include "uw_channels.hpp"
#include "uw_frame.hpp"

namespace flowmind::uw_websocket {
namespace {

TEST(UwFrame, DataKeepsThePayloadTextAsSent) {
  const std::string text = R"(["price:SPY", {"close":"562.82","time":1726670327692,"vol":6015555} ])";
  const auto frame = parse_frame(text);
  ASSERT_EQ(frame.kind, Frame::Kind::data) << frame.problem;
  EXPECT_EQ(frame.channel, "price:SPY");
  EXPECT_EQ(frame.payload, R"({"close":"562.82","time":1726670327692,"vol":6015555})");
}

TEST(UwFrame, AcknowledgementsAreRecognisedWithTheirStatus) {
  auto frame = parse_frame(R"(["flow-alerts",{"response":{},"status":"ok"}])");
  ASSERT_EQ(frame.kind, Frame::Kind::ack);
  EXPECT_EQ(frame.channel, "flow-alerts");
  EXPECT_EQ(frame.status, "ok");
  frame = parse_frame(R"(["nope",{"response":{"message":"unknown channel"},"status":"error"}])");
  ASSERT_EQ(frame.kind, Frame::Kind::ack);
  EXPECT_EQ(frame.status, "error");
  // A payload that merely has a status among other fields is data.
  frame = parse_frame(R"(["trading_halts",{"status":"halted","ticker":"XYZ"}])");
  EXPECT_EQ(frame.kind, Frame::Kind::data);
}

TEST(UwFrame, EscapedChannelNamesAreDecoded) {
  const auto frame = parse_frame(R"(["flow\u002dalerts",{"a":1}])");
  ASSERT_EQ(frame.kind, Frame::Kind::data);
  EXPECT_EQ(frame.channel, "flow-alerts");
}

TEST(UwFrame, MalformedFramesSayWhyWithoutTheirText) {
  const std::pair<const char*, const char*> cases[] = {
      {"{not json", "not a JSON array"},
      {R"({"channel":"x"})", "not a JSON array"},
      {"[]", "empty array"},
      {R"(["flow-alerts"])", "array of 1 element"},
      {R"(["flow-alerts",{},{}])", "more than 2 elements"},
      {R"(["flow-alerts",[1,2]])", "payload is not an object"},
      {R"(["flow-alerts","text"])", "payload is not an object"},
      {R"([42,{"a":1}])", "channel is not a string"},
      {R"(["",{"a":1}])", "empty channel name"},
      {R"(["flow-alerts",{"a":1}] trailing)", "not valid JSON"},
      {R"(["flow-alerts",{"a":1)", "not valid JSON"},
  };
  for (const auto& [text, why] : cases) {
    const auto frame = parse_frame(text);
    EXPECT_EQ(frame.kind, Frame::Kind::malformed) << text;
    EXPECT_NE(std::string(frame.problem).find(why), std::string::npos) << text << " -> " << frame.problem;
  }
}

TEST(UwChannels, JoinAndLeaveFramesAreExactlyUwsShape) {
  EXPECT_EQ(join_frame("flow-alerts"), R"({"channel":"flow-alerts","msg_type":"join"})");
  EXPECT_EQ(leave_frame("price:SPY"), R"({"channel":"price:SPY","msg_type":"leave"})");
  EXPECT_EQ(join_frame("a\"b"), R"({"channel":"a\"b","msg_type":"join"})");
}

TEST(UwChannels, KnownPatternsIncludeTickerScopedOnes) {
  for (const char* name :
       {"flow-alerts", "option_trades", "option_trades:TSLA", "off_lit_trades", "lit_trades", "price:SPY",
        "price:BRK.B", "gex:QQQ", "gex_strike:SPY", "gex_strike_expiry:AAPL", "news", "market_tide", "net_flow",
        "interval_flow", "trading_halts", "contract_screener", "custom_alerts"}) {
    EXPECT_TRUE(known_channel(name)) << name;
  }
  for (const char* name : {"", "flow_alerts", "price", "price:", "price:spy", "gex:TOOLONGTICKER", "news:SPY",
                           "congress-trades", "flow-alerts:SPY", "price:SP Y"}) {
    EXPECT_FALSE(known_channel(name)) << name;
  }
}

}  // namespace
}  // namespace flowmind::uw_websocket
