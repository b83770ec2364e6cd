// The wire envelope back to an Event: same channel, time, raw data and annotations; the message ID.
#include <gtest/gtest.h>

#include "nats_common/envelope.hpp"

namespace flowmind::nats {
namespace {

Event::Clock::time_point at_ms(std::int64_t ms) {
  return Event::Clock::time_point(std::chrono::duration_cast<Event::Clock::duration>(std::chrono::milliseconds(ms)));
}

TEST(Envelope, RoundTripGivesTheSameWireTextByteForByte) {
  // Key order, spacing and number spelling of the payload survive: it is never re-serialized.
  Event original("price:SPY", R"({"z": 1, "a":[1.50,2e3], "s":"x\"y"})", at_ms(1'726'670'327'692));
  original.annotate("sentiment", "bullish");
  original.annotate("premium", {{"total", 250000}});
  std::string error;
  const auto copy = event_from_envelope(original.wire(), error);
  ASSERT_TRUE(copy) << error;
  EXPECT_EQ(copy->channel(), "price:SPY");
  EXPECT_EQ(copy->raw(), original.raw());
  EXPECT_EQ(copy->received_at(), original.received_at());
  EXPECT_EQ(copy->annotations(), original.annotations());
  EXPECT_EQ(copy->wire(), original.wire());
}

TEST(Envelope, PlainEventsAndScalarPayloadsRoundTrip) {
  for (const char* raw : {"{}", "[1,2]", "\"text\"", "42", "true", ""}) {
    Event original("news", raw, at_ms(0));
    std::string error;
    const auto copy = event_from_envelope(original.wire(), error);
    ASSERT_TRUE(copy) << raw << ": " << error;
    EXPECT_EQ(copy->wire(), original.wire()) << raw;
    EXPECT_TRUE(copy->annotations().empty());
  }
}

TEST(Envelope, EscapedChannelNamesAreDecoded) {
  Event original("we\"ird\\chan", "{}", at_ms(5));
  std::string error;
  const auto copy = event_from_envelope(original.wire(), error);
  ASSERT_TRUE(copy) << error;
  EXPECT_EQ(copy->channel(), "we\"ird\\chan");
}

TEST(Envelope, MalformedEnvelopesAreRefusedWithAReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not a JSON object"},
      {R"({"channel":"a","timestamp":"2024-01-01T00:00:00.000Z")", "not a JSON object"},
      {R"({"timestamp":"2024-01-01T00:00:00.000Z","data":{}})", "missing \"channel\""},
      {R"({"channel":"a","data":{}})", "missing \"timestamp\""},
      {R"({"channel":"a","timestamp":"2024-01-01T00:00:00.000Z"})", "missing \"data\""},
      {R"({"channel":1,"timestamp":"2024-01-01T00:00:00.000Z","data":{}})", "\"channel\" is not a string"},
      {R"({"channel":"a","timestamp":"yesterday","data":{}})", "ISO-8601"},
      {R"({"channel":"a","timestamp":"2024-01-01T00:00:00.000Z","data":{},"annotations":[]})", "not an object"},
  };
  for (const auto& [text, reason] : cases) {
    std::string error;
    EXPECT_FALSE(event_from_envelope(text, error)) << text;
    EXPECT_NE(error.find(reason), std::string::npos) << text << " -> " << error;
  }
}

TEST(Iso8601, ParsesWhatTheSdkWrites) {
  for (const std::int64_t ms : {0LL, 1'726'670'327'692LL, 951'782'400'000LL /* 2000-02-29 */, 4'102'444'799'999LL}) {
    const auto text = Event::iso8601_ms(at_ms(ms));
    const auto parsed = parse_iso8601_ms(text);
    ASSERT_TRUE(parsed) << text;
    EXPECT_EQ(*parsed, at_ms(ms)) << text;
  }
  EXPECT_FALSE(parse_iso8601_ms("2024-13-01T00:00:00.000Z"));
  EXPECT_FALSE(parse_iso8601_ms("2024-01-01 00:00:00.000Z"));
  EXPECT_FALSE(parse_iso8601_ms("2024-01-01T00:00:00Z"));
}

TEST(MessageId, StableForOneEventDistinctAcrossEvents) {
  Event first("flow-alerts", R"({"id":1})", at_ms(1000));
  first.set_sequence(7);
  EXPECT_EQ(message_id(first), message_id(first));
  EXPECT_EQ(message_id(first).size(), 32U + 2U);
  EXPECT_EQ(message_id(first).substr(32), "-7");

  Event same_text_later("flow-alerts", R"({"id":1})", at_ms(1001));
  same_text_later.set_sequence(7);
  Event other_channel("news", R"({"id":1})", at_ms(1000));
  other_channel.set_sequence(7);
  Event next_in_pipeline("flow-alerts", R"({"id":1})", at_ms(1000));
  next_in_pipeline.set_sequence(8);
  EXPECT_NE(message_id(first), message_id(same_text_later));
  EXPECT_NE(message_id(first), message_id(other_channel));
  EXPECT_NE(message_id(first), message_id(next_in_pipeline));
  // The relay side rebuilds an identical event: same hash part.
  std::string error;
  auto copy = event_from_envelope(first.wire(), error);
  ASSERT_TRUE(copy);
  copy->set_sequence(7);
  EXPECT_EQ(message_id(*copy), message_id(first));
}

}  // namespace
}  // namespace flowmind::nats
