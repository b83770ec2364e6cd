// The wire envelope's JSON writer must agree with nlohmann (the reference) on every value.
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "flowmind/event.hpp"
#include "flowmind/json_text.hpp"

namespace flowmind {
namespace {

std::string written(const nlohmann::json& value) {
  std::string out;
  json_text::append_value(out, value);
  return out;
}

TEST(JsonTextTest, ScalarsAndContainersMatchNlohmannDump) {
  const std::vector<nlohmann::json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      42,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "controls \b\f\n\r\t \x01 \x1f end",
      "unicode: é € 𝄞",
      nlohmann::json::array(),
      nlohmann::json::object(),
      nlohmann::json::parse(R"({"b":[1,"two",{"c":null}],"a":{"nested":true},"z":"last"})"),
  };
  for (const auto& value : values) EXPECT_EQ(written(value), value.dump()) << value.dump();
}

TEST(JsonTextTest, FloatsRoundTripAndStayFloats) {
  for (const double value : {0.5, -2.25, 415.0, 1e21, 1.5e-7, 222119.37, 0.1 + 0.2, -0.0, 1234567.0}) {
    const auto text = written(value);
    const auto back = nlohmann::json::parse(text);
    ASSERT_TRUE(back.is_number_float()) << text;
    EXPECT_EQ(back.get<double>(), value) << text;
  }
  EXPECT_EQ(written(415.0), "415.0");
  EXPECT_EQ(written(std::nan("")), "null");
  EXPECT_EQ(written(std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonTextTest, InvalidUtf8IsReplacedNotThrown) {
  for (const std::string& bad : {std::string("a\xff"), std::string("\xc3"), std::string("\xe2\x82"),
                                 std::string("\xc0\xaf"), std::string("\xed\xa0\x80")}) {
    std::string out;
    ASSERT_NO_THROW(json_text::append_string(out, bad));
    const auto parsed = nlohmann::json::parse(out);
    EXPECT_NE(parsed.get<std::string>().find("\xef\xbf\xbd"), std::string::npos) << out;
  }
  EXPECT_TRUE(json_text::valid_utf8("ascii é € 𝄞"));
  EXPECT_FALSE(json_text::valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
}

TEST(JsonTextTest, TimestampsAreUtcWithMilliseconds) {
  using namespace std::chrono;
  const auto at = [](long long ms) { return system_clock::time_point(milliseconds(ms)); };
  EXPECT_EQ(Event::iso8601_ms(at(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Event::iso8601_ms(at(1726670327692)), "2024-09-18T14:38:47.692Z");
  EXPECT_EQ(Event::iso8601_ms(at(951782400000)), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(Event::iso8601_ms(at(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(Event::iso8601_ms(at(7258118399999)), "2199-12-31T23:59:59.999Z");  // system_clock ends in 2262
  // Every day of four years, against gmtime_r.
  for (long long day = 19'000; day < 19'000 + 4 * 366; ++day) {
    const long long ms = day * 86'400'000 + 45'296'789;
    const std::time_t seconds = ms / 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char expected[32];
    std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%S", &utc);
    EXPECT_EQ(Event::iso8601_ms(at(ms)), std::string(expected) + ".789Z");
  }
}

// The fast path reads eight bytes at a time: a character to escape must be found at every
// position of every length, including the tail shorter than eight bytes.
TEST(JsonTextTest, EscapesAreFoundAtEveryPositionOfEveryLength) {
  const std::vector<std::string> specials = {"\"",   "\\",   "\n",       std::string(1, '\x01'),
                                             "\x1f", "\x7f", "\xc3\xa9", "\x80"};
  for (const std::string& special : specials) {
    for (std::size_t length = 0; length <= 40; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string text(length, 'a');
        text.insert(at, special);
        std::string out;
        json_text::append_string(out, text);
        EXPECT_EQ(out, nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
            << "length " << length << " at " << at;
        EXPECT_EQ(json_text::plain_prefix(text), special == "\x7f" ? text.size() : at);
      }
    }
  }
}

TEST(JsonTextTest, TheWireEnvelopeParsesAndKeepsThePayloadText) {
  Event event("price:SPY", R"({"close":"562.82","time":1726670327692})",
              Event::Clock::time_point(std::chrono::milliseconds(1726670327692)));
  EXPECT_EQ(
      event.wire(),
      R"({"channel":"price:SPY","timestamp":"2024-09-18T14:38:47.692Z","data":{"close":"562.82","time":1726670327692}})");
  event.annotate("sentiment", "bullish");
  event.annotate("premium", 1250000.5);
  event.annotate("note", "line\nbreak");
  const auto wire = nlohmann::json::parse(event.wire());
  EXPECT_EQ(wire["annotations"], event.annotations());
  EXPECT_EQ(wire["data"]["close"], "562.82");
}

}  // namespace
}  // namespace flowmind
