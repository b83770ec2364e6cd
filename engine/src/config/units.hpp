// Durations ("500ms", "1m30s") and sizes ("64KiB", "4MiB"): parsing for config values, formatting for docs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowmind {

// Accepts one or more <number><unit> parts ("30s", "1m30s", "1.5s"), units ns, us (or µs), ms,
// s, m, h, d, or a bare "0". Returns integer nanoseconds; nullopt when malformed, negative or
// beyond int64.
[[nodiscard]] std::optional<std::int64_t> parse_duration_ns(std::string_view text);

// Accepts a plain integer (bytes) or <number><unit>: B, KB/MB/GB/TB (powers of 1000),
// KiB/MiB/GiB/TiB (powers of 1024), case-insensitive; fractions ("1.5MiB") are rounded to the
// nearest byte. nullopt when malformed or beyond uint64.
[[nodiscard]] std::optional<std::uint64_t> parse_size_bytes(std::string_view text);

// The shortest text that parse_duration_ns() reads back as `ns` ("30s", "1.5s", "90m", "0s").
[[nodiscard]] std::string format_duration(std::int64_t ns);
// The shortest text that parse_size_bytes() reads back as `bytes` ("4MiB", "1KB", "1536B").
[[nodiscard]] std::string format_size(std::uint64_t bytes);

// Why `text` is not a duration / size, with the accepted forms, for error messages.
[[nodiscard]] std::string duration_hint(std::string_view text);
[[nodiscard]] std::string size_hint(std::string_view text);

}  // namespace flowmind
