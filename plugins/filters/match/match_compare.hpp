// Numeric-aware comparison of JSON values: UW sends the same number as 36466 on one channel and "36466" on another.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace flowmind {

// The value as a number: JSON numbers, and strings that are entirely a finite decimal number
// ("36466", "-0.5", "1e6"). Booleans, "", "12abc", "nan" are not numbers.
std::optional<double> as_number(const nlohmann::json& value);

// Equal as numbers when both sides are numeric (numbers or numeric strings), else by JSON equality.
bool values_equal(const nlohmann::json& left, const nlohmann::json& right);

// <0, 0, >0 comparing as numbers when both sides are numeric, as text when both are strings;
// nullopt when the two cannot be ordered (a number against a word, a bool, a list...).
std::optional<int> compare_values(const nlohmann::json& left, const nlohmann::json& right);

}  // namespace flowmind
