// Retry-After: delay-seconds, the three HTTP-date forms, past dates, garbage.
#include <gtest/gtest.h>

#include "retry_after.hpp"

namespace flowmind::uw_rest {
namespace {

using namespace std::chrono_literals;

// Sun, 06 Nov 1994 08:49:37 GMT
const auto reference = std::chrono::system_clock::from_time_t(784111777);

TEST(RetryAfter, DelaySeconds) {
  EXPECT_EQ(parse_retry_after("120", reference), 120s);
  EXPECT_EQ(parse_retry_after(" 3 ", reference), 3s);
  EXPECT_EQ(parse_retry_after("0", reference), 0s);
  EXPECT_EQ(parse_retry_after("99999999999999", reference), 24h);  // capped, not overflowed
}

TEST(RetryAfter, HttpDatesInEveryForm) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", reference), 30s);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:50:07 GMT", reference), 30s);
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:50:07 1994", reference), 30s);
  EXPECT_EQ(parse_retry_after("Mon, 07 Nov 1994 08:49:37 GMT", reference), 24h);
  // A date already past: retry now.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", reference), 0ms);
  // Sub-second remainders round up, never retrying early.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:38 GMT", reference - 1ms), 1001ms);
}

TEST(RetryAfter, GarbageIsRejected) {
  for (const char* value : {"", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                            "06 Nov 1994", "Sun, 06 Nov 1994 25:00:00 GMT"}) {
    EXPECT_FALSE(parse_retry_after(value, reference).has_value()) << value;
  }
}

}  // namespace
}  // namespace flowmind::uw_rest
