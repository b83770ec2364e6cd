// Tests of the per-field unreadable counters and the null-safe counter handle.
#include "uw/counters.hpp"

#include <gtest/gtest.h>

#include "uw_test_support.hpp"

namespace flowmind::uw {
namespace {

TEST(UnreadableCounters, CountsOnlyWatchedFieldsThatWereUnreadable) {
  testing::TestStageContext ctx;
  UnreadableCounters counters(mask(Field::price, Field::size));
  counters.start(ctx);
  EXPECT_TRUE(ctx.has_counter("unreadable_price"));
  EXPECT_TRUE(ctx.has_counter("unreadable_size"));
  EXPECT_TRUE(ctx.has_counter("unreadable_payload"));
  EXPECT_FALSE(ctx.has_counter("unreadable_premium"));

  const auto messy = extract_canonical("lit_trades", R"({"price":"abc","size":"x","premium":"y"})");
  EXPECT_TRUE(counters.count(messy));
  EXPECT_TRUE(counters.count(messy));
  EXPECT_EQ(ctx.value("unreadable_price"), 2U);
  EXPECT_EQ(ctx.value("unreadable_size"), 2U);
  EXPECT_FALSE(ctx.has_counter("unreadable_premium"));

  const auto clean = extract_canonical("lit_trades", R"({"price":"1","size":2})");
  EXPECT_FALSE(counters.count(clean));
  EXPECT_EQ(ctx.value("unreadable_price"), 2U);

  const auto broken = extract_canonical("lit_trades", "{oops");
  EXPECT_TRUE(counters.count(broken));
  EXPECT_EQ(ctx.value("unreadable_payload"), 1U);
}

TEST(UnreadableCounters, CountNothingBeforeStart) {
  UnreadableCounters counters(mask(Field::price));
  const auto messy = extract_canonical("lit_trades", R"({"price":"abc"})");
  EXPECT_TRUE(counters.count(messy));  // still reports it, counts nowhere
}

TEST(CounterRef, NullSafeAndCounting) {
  CounterRef none;
  none.add(5);
  EXPECT_EQ(none.value(), 0U);
  Counter counter{0};
  CounterRef ref(counter);
  ref.add();
  ref.add(2);
  EXPECT_EQ(ref.value(), 3U);
  EXPECT_EQ(counter.load(), 3U);
}

}  // namespace
}  // namespace flowmind::uw
