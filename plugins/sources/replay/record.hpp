// One recorded event read back from a line: file_writer's envelope or a raw `[channel, payload]` capture.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind {

struct Record {
  using Clock = std::chrono::system_clock;
  std::string channel;
  std::string payload;                    // the raw payload text, byte for byte as recorded
  nlohmann::ordered_json annotations;     // null when the line had none; in the recorded order
  std::optional<Clock::time_point> time;  // when it was received (envelope) or happened (payload field)
};

enum class LineKind { record, blank, control, bad };

struct ParsedLine {
  LineKind kind = LineKind::bad;
  Record record;
  std::string problem;  // for bad lines
};

// Parses one line. Envelope: {"channel", "timestamp" (ISO-8601), "data", "annotations"?}.
// Capture: ["channel", payload]; its time comes from the first of `time_fields` found at the top
// of the payload (epoch milliseconds or seconds, numeric strings, ISO-8601 text). Subscription
// acknowledgements (`{"response":..., "status":...}` payloads) are `control` lines.
ParsedLine parse_line(std::string_view line, const std::vector<std::string>& time_fields);

// ISO-8601 / RFC 3339 date-times: "2024-09-18T14:32:07.692Z", "2024-09-18 14:32:07", "+02:00"
// offsets (no zone = UTC), and dates alone ("2024-09-18" = midnight UTC).
std::optional<Record::Clock::time_point> parse_iso8601(std::string_view text);

// A time in a payload: epoch milliseconds (or seconds, when below 1e11) as number or numeric
// string, or ISO-8601 text.
std::optional<Record::Clock::time_point> parse_time_value(std::string_view json_value);

}  // namespace flowmind
