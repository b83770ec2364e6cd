// Tests of UW time parsing: epoch numbers in any unit, ISO-8601, dates, formatting.
#include "uw/time.hpp"

#include <gtest/gtest.h>

namespace flowmind::uw {
namespace {

constexpr std::int64_t sample_ms = 1726670212748;  // 2024-09-18T14:36:52.748Z

JsonView number(std::string_view text) { return {JsonType::number, text, false}; }
JsonView string(std::string_view text) { return {JsonType::string, text, false}; }

TEST(Calendar, RoundTripsDaysAndDates) {
  EXPECT_EQ(days_from_date({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_date({2024, 10, 18}), 20014);
  const Date date = date_from_days(20014);
  EXPECT_EQ(date.year, 2024);
  EXPECT_EQ(date.month, 10);
  EXPECT_EQ(date.day, 18);
  for (std::int64_t day = -800000; day <= 800000; day += 997) {
    EXPECT_EQ(days_from_date(date_from_days(day)), day);
  }
  EXPECT_EQ(day_of_ms(-1), -1);
  EXPECT_EQ(day_of_ms(0), 0);
  EXPECT_EQ(day_of_ms(ms_per_day - 1), 0);
}

TEST(Calendar, ValidDates) {
  EXPECT_TRUE(valid_date(2024, 2, 29));
  EXPECT_FALSE(valid_date(2023, 2, 29));
  EXPECT_FALSE(valid_date(1900, 2, 29));
  EXPECT_TRUE(valid_date(2000, 2, 29));
  EXPECT_FALSE(valid_date(2024, 4, 31));
  EXPECT_FALSE(valid_date(2024, 13, 1));
  EXPECT_FALSE(valid_date(2024, 0, 1));
  EXPECT_FALSE(valid_date(2024, 1, 0));
}

TEST(ParseDate, OnlyYyyyMmDd) {
  EXPECT_EQ(parse_date("2023-02-06"), days_from_date({2023, 2, 6}));
  EXPECT_EQ(parse_date(" 2023-02-13 "), days_from_date({2023, 2, 13}));
  for (const char* bad :
       {"", "2023-2-6", "2023/02/06", "2023-02-30", "20230206", "2023-02-06T00:00:00Z", "abcd-ef-gh"}) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
}

TEST(ParseIso8601, ZonesFractionsAndSeparators) {
  EXPECT_EQ(parse_iso8601("2024-09-18T14:36:52.748Z"), sample_ms);
  EXPECT_EQ(parse_iso8601("2024-09-18T14:36:52.748123Z"), sample_ms);
  EXPECT_EQ(parse_iso8601("2024-09-18 14:36:52.748"), sample_ms);
  EXPECT_EQ(parse_iso8601("2024-09-18T16:36:52.748+02:00"), sample_ms);
  EXPECT_EQ(parse_iso8601("2024-09-18T10:36:52.748-0400"), sample_ms);
  EXPECT_EQ(parse_iso8601("2024-09-18T16:36:52.748+02"), sample_ms);
  EXPECT_EQ(parse_iso8601("2025-06-11T21:40:56Z"), 1749678056000);
  EXPECT_EQ(parse_iso8601("2024-09-18T14:36Z"), sample_ms - 52748);
  EXPECT_EQ(parse_iso8601("2024-09-18T14:36:52.7Z"), sample_ms - 48);
  EXPECT_EQ(parse_iso8601("2024-09-18"), days_from_date({2024, 9, 18}) * ms_per_day);
}

TEST(ParseIso8601, RefusesBrokenText) {
  for (const char* bad : {"", "2024-09-18X14:36:52Z", "2024-09-18T25:00:00Z", "2024-09-18T14:61:00Z",
                          "2024-09-18T14:36:52.Z", "2024-09-18T14:36:52Q", "2024-09-18T14:36:52+2", "2024-09-18T1",
                          "2024-02-30T00:00:00Z", "2024-09-18T14:36:52+02:00junk", "yesterday"}) {
    EXPECT_FALSE(parse_iso8601(bad).has_value()) << bad;
  }
}

TEST(EpochToMs, TellsUnitsApartBySize) {
  EXPECT_EQ(epoch_to_ms(1726670212.748), sample_ms);
  EXPECT_EQ(epoch_to_ms(1726670212748.0), sample_ms);
  EXPECT_EQ(epoch_to_ms(1726670212748000.0), sample_ms);
  EXPECT_EQ(epoch_to_ms(1.726670212748e18), sample_ms);
  EXPECT_FALSE(epoch_to_ms(0).has_value());
  EXPECT_FALSE(epoch_to_ms(-5).has_value());
  EXPECT_FALSE(epoch_to_ms(1e30).has_value());
}

TEST(ReadTimestamp, NumbersStringsAndIso) {
  EXPECT_EQ(read_timestamp(number("1726670212748")).value, sample_ms);
  EXPECT_EQ(read_timestamp(string("1726670212748")).value, sample_ms);
  EXPECT_EQ(read_timestamp(number("1726670212")).value, sample_ms - 748);
  EXPECT_EQ(read_timestamp(number("1726670212748123456")).value, sample_ms);  // ns, read exactly
  EXPECT_EQ(read_timestamp(string("2024-09-18T14:36:52.748Z")).value, sample_ms);
  EXPECT_EQ(read_timestamp(string("")).status, ReadStatus::missing);
  EXPECT_EQ(read_timestamp(JsonView{}).status, ReadStatus::missing);
  EXPECT_EQ(read_timestamp(string("soon")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_timestamp(number("-1726670212748")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_timestamp(number("0")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_timestamp({JsonType::boolean, "true", false}).status, ReadStatus::unreadable);
  EXPECT_EQ(read_timestamp(number("99999999999999999999999")).status, ReadStatus::unreadable);
}

TEST(ReadDate, DatesTimesAndEpochs) {
  const auto day = days_from_date({2024, 9, 18});
  EXPECT_EQ(read_date(string("2024-09-18")).value, day);
  EXPECT_EQ(read_date(string("2024-09-18T23:59:59Z")).value, day);
  EXPECT_EQ(read_date(number("1726670212748")).value, day);
  EXPECT_EQ(read_date(string("18/09/2024")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_date(string("")).status, ReadStatus::missing);
}

TEST(Format, DatesAndIso) {
  EXPECT_EQ(format_date(20014), "2024-10-18");
  EXPECT_EQ(format_iso8601_ms(sample_ms), "2024-09-18T14:36:52.748Z");
  EXPECT_EQ(format_iso8601_ms(0), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace flowmind::uw
