// Tests of the tolerant readers: numbers as numbers or strings, empty, wrong types, NaN, huge.
#include "uw/values.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace flowmind::uw {
namespace {

JsonView number(std::string_view text) { return {JsonType::number, text, false}; }
JsonView string(std::string_view text, bool escaped = false) { return {JsonType::string, text, escaped}; }

TEST(ParseDecimal, AcceptsUsualForms) {
  EXPECT_EQ(parse_decimal("562.82"), 562.82);
  EXPECT_EQ(parse_decimal(" 7 "), 7.0);
  EXPECT_EQ(parse_decimal("+3.5"), 3.5);
  EXPECT_EQ(parse_decimal("-2"), -2.0);
  EXPECT_EQ(parse_decimal("1e6"), 1e6);
  EXPECT_EQ(parse_decimal("1.5E-2"), 0.015);
  EXPECT_EQ(parse_decimal(".5"), 0.5);
  EXPECT_EQ(parse_decimal("0"), 0.0);
  EXPECT_EQ(parse_decimal("1e308"), 1e308);
}

TEST(ParseDecimal, FastPathGivesTheSameDoublesAsFromChars) {
  // Short decimals take a fast path; it must agree with the correctly rounded parse bit for bit.
  std::mt19937_64 random(42);
  for (int i = 0; i < 200000; ++i) {
    const int digits = 1 + static_cast<int>(random() % 15);
    std::string text;
    for (int d = 0; d < digits; ++d) text += static_cast<char>('0' + random() % 10);
    const auto point = random() % (digits + 1);
    if (point < static_cast<std::uint64_t>(digits)) text.insert(point, ".");
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    const auto parsed = parse_decimal(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    ASSERT_EQ(*parsed, expected) << text;
  }
  EXPECT_EQ(parse_decimal("0.1"), 0.1);
  EXPECT_EQ(parse_decimal("123456789012345"), 123456789012345.0);
  EXPECT_EQ(parse_decimal("1234567890123456789"), 1234567890123456789.0);  // beyond the fast path
}

TEST(ParseDecimal, RefusesWhatIsNotADecimalNumber) {
  for (const char* bad : {"",   " ",  "abc",   "NaN",    "nan", "inf", "-inf",  "Infinity", "0x10",  "1,000",
                          "$5", "1e", "1e999", "-1e999", "--1", "+-1", "1.2.3", "5 5",      "12abc", "."}) {
    EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
  }
}

TEST(ReadNumber, NumbersAndNumericStrings) {
  EXPECT_EQ(read_number(number("36466")).value, 36466.0);
  EXPECT_EQ(read_number(string("18.9904")).value, 18.9904);
  EXPECT_TRUE(read_number(string(" 42 ")).ok());
  EXPECT_EQ(read_number(number("-0")).value, 0.0);
  EXPECT_FALSE(std::signbit(read_number(number("-0")).value));
}

TEST(ReadNumber, AbsentNullAndEmptyAreMissing) {
  EXPECT_EQ(read_number(JsonView{}).status, ReadStatus::missing);
  EXPECT_EQ(read_number({JsonType::null, "null", false}).status, ReadStatus::missing);
  EXPECT_EQ(read_number(string("")).status, ReadStatus::missing);
  EXPECT_EQ(read_number(string("   ")).status, ReadStatus::missing);
}

TEST(ReadNumber, WrongTypesAndGarbageAreUnreadable) {
  EXPECT_EQ(read_number({JsonType::boolean, "true", false}).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number({JsonType::array, "[1]", false}).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number({JsonType::object, "{}", false}).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(string("N/A")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(string("NaN")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(string("1e400")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(number("1e400")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(number("-")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(string("\\u0031", true)).status, ReadStatus::unreadable);
}

TEST(ReadNumber, NegativeOnlyWhenAllowed) {
  EXPECT_EQ(read_number(number("-5")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(string("-5")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_number(number("-5"), true).value, -5.0);
}

TEST(ReadNumber, HugeFiniteValuesAreKept) {
  const auto huge = read_number(number("1.7e308"));
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge.value, 1.7e308);
  EXPECT_TRUE(read_number(string("123456789012345678901234567890")).ok());
}

TEST(ReadBool, TolerantForms) {
  EXPECT_TRUE(read_bool({JsonType::boolean, "true", false}).value);
  EXPECT_FALSE(read_bool({JsonType::boolean, "false", false}).value);
  EXPECT_TRUE(read_bool(string("TRUE")).value);
  EXPECT_FALSE(read_bool(string("no")).value);
  EXPECT_TRUE(read_bool(number("1")).value);
  EXPECT_FALSE(read_bool(number("0")).value);
  EXPECT_EQ(read_bool(string("")).status, ReadStatus::missing);
  EXPECT_EQ(read_bool(JsonView{}).status, ReadStatus::missing);
  EXPECT_EQ(read_bool(number("2")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_bool(string("maybe")).status, ReadStatus::unreadable);
  EXPECT_EQ(read_bool({JsonType::array, "[]", false}).status, ReadStatus::unreadable);
}

TEST(ReadText, TrimsDecodesAndRefusesOtherTypes) {
  std::string scratch;
  EXPECT_EQ(read_text(string("  SPY "), scratch).value, "SPY");
  EXPECT_EQ(read_text(string(R"(A\u0042C)", true), scratch).value, "ABC");
  EXPECT_EQ(read_text(string(""), scratch).status, ReadStatus::missing);
  EXPECT_EQ(read_text({JsonType::null, "null", false}, scratch).status, ReadStatus::missing);
  EXPECT_EQ(read_text(number("5"), scratch).status, ReadStatus::unreadable);
  EXPECT_EQ(read_text(string(R"(\q)", true), scratch).status, ReadStatus::unreadable);
}

TEST(Text, IequalsAndTrim) {
  EXPECT_TRUE(iequals("Call", "cALL"));
  EXPECT_FALSE(iequals("call", "calls"));
  EXPECT_EQ(trim("\t x \r\n"), "x");
  EXPECT_EQ(trim("   "), "");
}

}  // namespace
}  // namespace flowmind::uw
