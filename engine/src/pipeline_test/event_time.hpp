// Event times in test files: ISO-8601 UTC text or epoch milliseconds, to and from time points.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "flowmind/event.hpp"

namespace flowmind::pipeline_test {

// "2024-09-18T14:32:07.692Z" (the fraction and the Z are optional; "+00:00" is accepted) or a
// whole number of milliseconds since the epoch ("1726670212648"). nullopt when neither.
[[nodiscard]] std::optional<Event::Clock::time_point> parse_event_time(std::string_view text);

// The time every case starts from unless its first input says otherwise: a weekday at the US
// market open (2024-09-18T13:30:00.000Z), so results never depend on when the tests run.
[[nodiscard]] Event::Clock::time_point default_start_time();

}  // namespace flowmind::pipeline_test
