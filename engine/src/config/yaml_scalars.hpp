// How plain YAML scalars read as numbers and booleans (YAML 1.2 core schema, plus yes/no/on/off for bools).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace flowmind {

// Decimal ("-12"), hexadecimal ("0x1F") or octal ("0o17"); nullopt when not an integer or beyond int64.
[[nodiscard]] std::optional<std::int64_t> parse_int_literal(std::string_view text);
// True when `text` has the shape of a YAML core integer, whatever its magnitude.
[[nodiscard]] bool looks_like_int(std::string_view text);
// "1.5", "-2e3", ".5", "10" (finite values only).
[[nodiscard]] std::optional<double> parse_float_literal(std::string_view text);
// true/false/yes/no/on/off, any case.
[[nodiscard]] std::optional<bool> parse_bool_word(std::string_view text);
// The YAML 1.2 core reading of a plain scalar: null, bool (true/false), int, float or string.
[[nodiscard]] nlohmann::json core_scalar(std::string_view text);

}  // namespace flowmind
