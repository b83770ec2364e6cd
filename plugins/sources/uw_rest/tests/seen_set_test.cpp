// The bounded seen-set: never above its limit, least recently seen forgotten first.
#include <map>

#include <gtest/gtest.h>

#include "seen_set.hpp"

namespace flowmind::uw_rest {
namespace {

TEST(SeenSet, RemembersUpToItsLimitAndForgetsTheLeastRecentlySeen) {
  SeenSet seen(3);
  EXPECT_TRUE(seen.insert("a"));
  EXPECT_TRUE(seen.insert("b"));
  EXPECT_TRUE(seen.insert("c"));
  EXPECT_FALSE(seen.insert("a"));  // seen again: now the most recent
  EXPECT_TRUE(seen.insert("d"));   // evicts b, the least recently seen
  EXPECT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen.evicted(), 1U);
  EXPECT_FALSE(seen.contains("b"));
  EXPECT_TRUE(seen.contains("a"));
  EXPECT_EQ(seen.keys(), (std::vector<std::string>{"c", "a", "d"}));
}

TEST(SeenSet, StaysBoundedUnderManyKeys) {
  SeenSet seen(100);
  for (int i = 0; i < 10000; ++i) seen.insert("k" + std::to_string(i));
  EXPECT_EQ(seen.size(), 100U);
  EXPECT_EQ(seen.evicted(), 9900U);
  EXPECT_TRUE(seen.contains("k9999"));
  EXPECT_TRUE(seen.contains("k9900"));
  EXPECT_FALSE(seen.contains("k9899"));
  EXPECT_EQ(seen.keys().front(), "k9900");
}

// Polls return a sliding page of 5 records (`step` new ones each time), inserted oldest first as
// the source does; returns how often each record was reported as new.
std::map<int, int> poll_pages(SeenSet& seen, int step) {
  std::map<int, int> reported;
  for (int poll = 0; poll < 200; ++poll) {
    for (int id = step * poll; id < step * poll + 5; ++id) {
      if (seen.insert("r" + std::to_string(id))) ++reported[id];
    }
  }
  return reported;
}

TEST(SeenSet, ARecordStillOnThePageIsNeverForgotten) {
  for (const int step : {1, 2, 5}) {
    SeenSet seen(5);  // exactly one page
    const auto reported = poll_pages(seen, step);
    for (const auto& [id, count] : reported) EXPECT_EQ(count, 1) << "record " << id << " reported new again";
    EXPECT_EQ(reported.size(), static_cast<std::size_t>(step * 199 + 5));
    EXPECT_EQ(seen.size(), 5U);
  }
}

TEST(SeenSet, ALimitBelowOnePageForgetsRecordsStillReturned) {
  // Why validate warns when seen_limit is smaller than the page.
  SeenSet seen(3);
  const auto reported = poll_pages(seen, 1);
  int again = 0;
  for (const auto& [id, count] : reported) again += count > 1 ? 1 : 0;
  EXPECT_GT(again, 0);
}

TEST(SeenSet, ALimitOfZeroStillRemembersOne) {
  SeenSet seen(0);
  EXPECT_TRUE(seen.insert("a"));
  EXPECT_FALSE(seen.insert("a"));
  EXPECT_EQ(seen.limit(), 1U);
}

}  // namespace
}  // namespace flowmind::uw_rest
