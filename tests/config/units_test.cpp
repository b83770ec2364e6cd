// Durations and sizes: accepted forms, rejected forms, and formatting that reads back.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "config/units.hpp"

namespace flowmind {
namespace {

struct DurationCase {
  const char* text;
  std::int64_t ns;
};

TEST(ConfigDurationTest, AcceptsEveryUnitFractionsAndCompounds) {
  const DurationCase cases[] = {
      {"0", 0},
      {"0s", 0},
      {"1ns", 1},
      {"250us", 250'000},
      {"250\xC2\xB5s", 250'000},
      {"500ms", 500'000'000},
      {"30s", 30'000'000'000},
      {"5m", 300'000'000'000},
      {"1h", 3'600'000'000'000},
      {"2d", 172'800'000'000'000},
      {"1m30s", 90'000'000'000},
      {"1h2m3s4ms", 3'723'004'000'000},
      {"1.5s", 1'500'000'000},
      {".5s", 500'000'000},
      {"0.25ms", 250'000},
      {"1.5h", 5'400'000'000'000},
      {"106751d", 106751LL * 86'400'000'000'000LL},
      {"9223372036854775807ns", std::numeric_limits<std::int64_t>::max()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = parse_duration_ns(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c.ns);
  }
}

TEST(ConfigDurationTest, RejectsMalformedNegativeUnitlessAndOverflowingText) {
  const char* rejects[] = {"",
                           "30",
                           "1.5",
                           "-5s",
                           "+5s",
                           "5",
                           "s",
                           "5 s",
                           " 5s",
                           "5s ",
                           "5S",
                           "5sec",
                           "5x",
                           "1.s",
                           "1..5s",
                           "ms",
                           "1m30",
                           "5y",
                           "0.0",
                           "00x",
                           "106752d",
                           "9223372036854775808ns",
                           "99999999999999999999s"};
  for (const char* text : rejects) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_duration_ns(text).has_value());
  }
}

TEST(ConfigDurationTest, HintExplainsBareNumbersNegativesAndListsForms) {
  EXPECT_EQ(duration_hint("30"),
            "a number needs a unit, e.g. \"30s\" or \"500ms\"; accepted forms: 500ms, 30s, 5m, 1h, 2d, 1m30s, 1.5s "
            "or 0 (units: ns, us, ms, s, m, h, d)");
  EXPECT_EQ(duration_hint("-5s").rfind("a duration cannot be negative; accepted forms: ", 0), 0U);
  EXPECT_EQ(duration_hint("soon").rfind("accepted forms: 500ms", 0), 0U);
}

struct SizeCase {
  const char* text;
  std::uint64_t bytes;
};

TEST(ConfigSizeTest, AcceptsBytesDecimalAndBinaryUnits) {
  const SizeCase cases[] = {
      {"0", 0},
      {"1024", 1024},
      {"512B", 512},
      {"1KB", 1000},
      {"64KB", 64'000},
      {"3MB", 3'000'000},
      {"2GB", 2'000'000'000},
      {"1TB", 1'000'000'000'000},
      {"1KiB", 1024},
      {"64KiB", 65'536},
      {"4MiB", 4'194'304},
      {"1GiB", 1'073'741'824},
      {"2TiB", 2'199'023'255'552},
      {"1.5MiB", 1'572'864},
      {"0.5KB", 500},
      {"4mib", 4'194'304},
      {"1kb", 1000},
      {"1.0001KiB", 1024},  // 1024.1024 bytes: rounded to the nearest byte
      {"18446744073709551615", std::numeric_limits<std::uint64_t>::max()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto parsed = parse_size_bytes(c.text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, c.bytes);
  }
}

TEST(ConfigSizeTest, RejectsMalformedNegativeFractionalBytesAndOverflow) {
  const char* rejects[] = {"",
                           "-1",
                           "1.5",
                           "KiB",
                           "4 MiB",
                           "4MiBs",
                           "4M",
                           "4Mi",
                           "1e3",
                           "0x10",
                           "1,5MB",
                           "4PiB",
                           "18446744073709551616",
                           "20000000TiB"};
  for (const char* text : rejects) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(parse_size_bytes(text).has_value());
  }
}

TEST(ConfigSizeTest, HintExplainsFractionalBytes) {
  EXPECT_EQ(
      size_hint("1.5").rfind("a number without a unit is a whole number of bytes; accepted forms: 1024 (bytes)", 0),
      0U);
  EXPECT_EQ(size_hint("-1KB").rfind("a size cannot be negative; ", 0), 0U);
}

TEST(ConfigFormatTest, DurationsUseTheShortestNaturalText) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(1), "1ns");
  EXPECT_EQ(format_duration(1'000), "1us");
  EXPECT_EQ(format_duration(500'000'000), "500ms");
  EXPECT_EQ(format_duration(1'500'000'000), "1.5s");
  EXPECT_EQ(format_duration(30'000'000'000), "30s");
  EXPECT_EQ(format_duration(90'000'000'000), "90s");
  EXPECT_EQ(format_duration(300'000'000'000), "5m");
  EXPECT_EQ(format_duration(3'600'000'000'000), "1h");
  EXPECT_EQ(format_duration(5'400'000'000'000), "90m");
  EXPECT_EQ(format_duration(172'800'000'000'000), "2d");
  EXPECT_EQ(format_duration(3'723'000'000'000), "3723s");  // shorter than 1h2m3s
  EXPECT_EQ(format_duration(86'400'000'000'001), "1d1ns");
  EXPECT_EQ(format_duration(-30'000'000'000), "-30s");
}

TEST(ConfigFormatTest, SizesUseTheShortestNaturalText) {
  EXPECT_EQ(format_size(0), "0B");
  EXPECT_EQ(format_size(512), "512B");
  EXPECT_EQ(format_size(1000), "1KB");
  EXPECT_EQ(format_size(1024), "1KiB");
  EXPECT_EQ(format_size(1536), "1536B");
  EXPECT_EQ(format_size(65'536), "64KiB");
  EXPECT_EQ(format_size(4'194'304), "4MiB");
  EXPECT_EQ(format_size(1'500'000), "1.5MB");
  EXPECT_EQ(format_size(1'073'741'824), "1GiB");
}

TEST(ConfigFormatTest, FormattedValuesParseBackExactly) {
  for (std::int64_t ns : {std::int64_t{1}, std::int64_t{999}, std::int64_t{1'234'567}, std::int64_t{61'000'000'000},
                          std::int64_t{86'400'000'000'001}, std::numeric_limits<std::int64_t>::max()}) {
    SCOPED_TRACE(ns);
    EXPECT_EQ(parse_duration_ns(format_duration(ns)), ns);
  }
  for (std::uint64_t bytes : {std::uint64_t{1}, std::uint64_t{1023}, std::uint64_t{1'048'577},
                              std::uint64_t{3'221'225'472}, std::numeric_limits<std::uint64_t>::max()}) {
    SCOPED_TRACE(bytes);
    EXPECT_EQ(parse_size_bytes(format_size(bytes)), bytes);
  }
}

}  // namespace
}  // namespace flowmind
