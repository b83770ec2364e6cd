// Numeric-aware equality and ordering of JSON values for the match filter.
#include "match_compare.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace flowmind {
namespace {

bool is_integer(const nlohmann::json& value) { return value.is_number_integer() || value.is_number_unsigned(); }

template <typename T>
int three_way(const T& left, const T& right) {
  return left < right ? -1 : (right < left ? 1 : 0);
}

}  // namespace

std::optional<double> as_number(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.empty()) return std::nullopt;
  double number = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc() || stop != end || !std::isfinite(number)) return std::nullopt;
  return number;
}

bool values_equal(const nlohmann::json& left, const nlohmann::json& right) {
  // Two JSON integers compare exactly (ids beyond 2^53 would collide as doubles).
  if (is_integer(left) && is_integer(right)) return left == right;
  const auto left_number = as_number(left);
  const auto right_number = as_number(right);
  if (left_number && right_number) return *left_number == *right_number;
  return left == right;
}

std::optional<int> compare_values(const nlohmann::json& left, const nlohmann::json& right) {
  if (is_integer(left) && is_integer(right)) return left < right ? -1 : (right < left ? 1 : 0);
  const auto left_number = as_number(left);
  const auto right_number = as_number(right);
  if (left_number && right_number) return three_way(*left_number, *right_number);
  if (left.is_string() && right.is_string()) {
    return three_way(left.get_ref<const std::string&>(), right.get_ref<const std::string&>());
  }
  return std::nullopt;
}

}  // namespace flowmind
