// Tests of OCC option symbol parsing, including malformed symbols.
#include "uw/occ.hpp"

#include <gtest/gtest.h>

#include "uw/time.hpp"

namespace flowmind::uw {
namespace {

TEST(Occ, ParsesTheCompactForm) {
  const auto occ = parse_occ("DIA241018C00415000");
  ASSERT_TRUE(occ.has_value());
  EXPECT_EQ(occ->root, "DIA");
  EXPECT_EQ(format_date(occ->expiry_day), "2024-10-18");
  EXPECT_EQ(occ->kind, OptionKind::call);
  EXPECT_DOUBLE_EQ(occ->strike, 415.0);
}

TEST(Occ, PutsFractionalStrikesLongAndDigitRoots) {
  const auto spxw = parse_occ("SPXW250321P05612500");
  ASSERT_TRUE(spxw.has_value());
  EXPECT_EQ(spxw->root, "SPXW");
  EXPECT_EQ(spxw->kind, OptionKind::put);
  EXPECT_DOUBLE_EQ(spxw->strike, 5612.5);
  const auto adjusted = parse_occ("AAPL1240119C00000500");
  ASSERT_TRUE(adjusted.has_value());
  EXPECT_EQ(adjusted->root, "AAPL1");
  EXPECT_DOUBLE_EQ(adjusted->strike, 0.5);
  const auto one_letter = parse_occ("F240119P00012000");
  ASSERT_TRUE(one_letter.has_value());
  EXPECT_EQ(one_letter->root, "F");
}

TEST(Occ, PaddedOsiFormAndPrefix) {
  const auto padded = parse_occ("SPY   241018C00415000");
  ASSERT_TRUE(padded.has_value());
  EXPECT_EQ(padded->root, "SPY");
  const auto prefixed = parse_occ("O:SPY241018P00415000");
  ASSERT_TRUE(prefixed.has_value());
  EXPECT_EQ(prefixed->root, "SPY");
  EXPECT_EQ(prefixed->kind, OptionKind::put);
}

TEST(Occ, RefusesMalformedSymbols) {
  for (const char* bad :
       {"", "DIA", "241018C00415000", "DIA241018X00415000", "DIA241318C00415000", "DIA240230C00415000",
        "DIA241018C0041500", "DIA241018C004150000", "DIA2410a8C00415000", "D-A241018C00415000",
        "TOOLONGROOT241018C00415000", "DIA241018C00000000", "DIA241018C-0415000", "      241018C00415000"}) {
    EXPECT_FALSE(parse_occ(bad).has_value()) << bad;
  }
}

TEST(Occ, KindNames) {
  EXPECT_STREQ(to_string(OptionKind::call), "call");
  EXPECT_STREQ(to_string(OptionKind::put), "put");
  EXPECT_STREQ(to_string(OptionKind::none), "none");
}

}  // namespace
}  // namespace flowmind::uw
