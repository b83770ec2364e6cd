// Parsing an HTTP Retry-After header: delay-seconds or an HTTP-date.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace flowmind::uw_rest {

// How long to wait before the next request. Accepts delay-seconds ("120") and the three
// HTTP-date forms of RFC 9110 (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 and
// asctime); a date in the past means 0. nullopt when the value is neither.
// The result is capped at one day: a server asking for more is still honoured for a day.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

}  // namespace flowmind::uw_rest
