// UW times and dates: epoch numbers (s, ms, us, ns), ISO-8601 text, YYYY-MM-DD, and formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "uw/json_scan.hpp"
#include "uw/values.hpp"

namespace flowmind::uw {

inline constexpr std::int64_t ms_per_day = 86'400'000;
// 10000-01-01T00:00:00Z: later epoch values are refused as implausible.
inline constexpr std::int64_t max_epoch_ms = 253'402'300'800'000;

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
};

// Days since 1970-01-01 <-> proleptic Gregorian date (exact for every representable day).
std::int64_t days_from_date(const Date& date);
Date date_from_days(std::int64_t days);
// The UTC day of an epoch-milliseconds time (floor division, also before 1970).
std::int64_t day_of_ms(std::int64_t epoch_ms);
bool valid_date(int year, int month, int day);

// "YYYY-MM-DD" exactly (surrounding blanks allowed) -> days since epoch.
std::optional<std::int64_t> parse_date(std::string_view text);
// ISO-8601 / RFC 3339: a date, optionally followed by 'T' or ' ' and HH:MM[:SS[.fraction]] and a
// zone (Z, +HH:MM, +HHMM, +HH; none = UTC). A date alone is midnight UTC. -> epoch ms.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// An epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart by size
// (below 1e11 = seconds, i.e. anything up to year 5138; below 1e14 = ms; below 1e17 = us;
// else ns) -> epoch ms. Values <= 0, non-finite values and times from year 10000 on are refused.
std::optional<std::int64_t> epoch_to_ms(double value);

// A timestamp as UW sends it: an epoch number, a numeric string, or ISO-8601 text.
Read<std::int64_t> read_timestamp(const JsonView& value);
// A date: "YYYY-MM-DD", ISO-8601 text (its UTC day) or an epoch number -> days since epoch.
Read<std::int64_t> read_date(const JsonView& value);

std::string format_date(std::int64_t days);      // 2024-10-18
std::string format_iso8601_ms(std::int64_t ms);  // 2024-09-18T14:32:07.692Z

}  // namespace flowmind::uw
