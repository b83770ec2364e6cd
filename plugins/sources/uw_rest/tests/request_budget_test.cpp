// The request budget: sliding windows, shared by users of one token, separate across tokens.
#include <gtest/gtest.h>

#include "request_budget.hpp"

namespace flowmind::uw_rest {
namespace {

using namespace std::chrono_literals;
using Clock = TokenBudget::Clock;

// Distinct tokens per test: the registry is process-wide and keeps every token's history.
std::string token(const char* test) { return std::string("budget-test-token-") + test; }

TEST(RequestBudget, PerMinuteWindowSlides) {
  auto lease = lease_budget(token("minute"), {3, 1000});
  const auto t0 = Clock::now();
  EXPECT_FALSE(lease->try_take(t0).has_value());
  EXPECT_FALSE(lease->try_take(t0 + 10s).has_value());
  EXPECT_FALSE(lease->try_take(t0 + 20s).has_value());
  EXPECT_EQ(lease->remaining(t0 + 20s).minute, 0U);
  EXPECT_EQ(lease->remaining(t0 + 20s).day, 997U);
  // Full: the first request leaves the window at t0 + 60 s.
  const auto free_at = lease->try_take(t0 + 30s);
  ASSERT_TRUE(free_at.has_value());
  EXPECT_EQ(*free_at, t0 + 60s);
  EXPECT_EQ(lease->remaining(t0 + 30s).minute, 0U) << "a refused request must not be counted";
  EXPECT_FALSE(lease->try_take(t0 + 60s).has_value());
  EXPECT_EQ(*lease->try_take(t0 + 61s), t0 + 70s);
}

TEST(RequestBudget, PerDayWindowLimitsToo) {
  auto lease = lease_budget(token("day"), {100, 2});
  const auto t0 = Clock::now();
  EXPECT_FALSE(lease->try_take(t0).has_value());
  EXPECT_FALSE(lease->try_take(t0 + 2h).has_value());
  EXPECT_EQ(*lease->try_take(t0 + 3h), t0 + 24h);
  EXPECT_FALSE(lease->try_take(t0 + 24h).has_value());
}

TEST(RequestBudget, TwoUsersOfOneTokenShareItAndTheSmallestLimitHolds) {
  auto first = lease_budget(token("shared"), {4, 1000});
  auto second = lease_budget(token("shared"), {4, 1000});
  EXPECT_EQ(first->shared(), second->shared());
  const auto t0 = Clock::now();
  EXPECT_FALSE(first->try_take(t0).has_value());
  EXPECT_FALSE(second->try_take(t0).has_value());
  EXPECT_FALSE(first->try_take(t0).has_value());
  EXPECT_FALSE(second->try_take(t0).has_value());
  EXPECT_TRUE(first->try_take(t0).has_value());
  EXPECT_TRUE(second->try_take(t0).has_value());
  EXPECT_EQ(first->remaining(t0).minute, 0U);

  {
    auto stricter = lease_budget(token("shared"), {2, 1000});
    EXPECT_EQ(first->limits().per_minute, 2U);
    EXPECT_EQ(stricter->own_limits().per_minute, 2U);
  }
  EXPECT_EQ(first->limits().per_minute, 4U) << "a user's limits leave with it";
}

TEST(RequestBudget, DifferentTokensHaveSeparateBudgets) {
  auto one = lease_budget(token("one"), {1, 1000});
  auto two = lease_budget(token("two"), {1, 1000});
  EXPECT_NE(one->shared(), two->shared());
  const auto t0 = Clock::now();
  EXPECT_FALSE(one->try_take(t0).has_value());
  EXPECT_TRUE(one->try_take(t0).has_value());
  EXPECT_FALSE(two->try_take(t0).has_value());
}

TEST(RequestBudget, AReplacedPipelineKeepsTheTokensHistory) {
  const auto t0 = Clock::now();
  {
    auto lease = lease_budget(token("history"), {1, 1000});
    EXPECT_FALSE(lease->try_take(t0).has_value());
  }
  auto again = lease_budget(token("history"), {1, 1000});
  EXPECT_TRUE(again->try_take(t0 + 1s).has_value());
}

}  // namespace
}  // namespace flowmind::uw_rest
