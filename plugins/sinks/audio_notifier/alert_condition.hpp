// The audio_notifier's own `when:` conditions: every condition must hold for an event to sound.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/config_schema.hpp"
#include "flowmind/event.hpp"

namespace flowmind {

// {field, op, value} like the match filter: field = "channel", "annotations.<path>" or a payload
// path; op = eq, ne, lt, lte, gt, gte, in, contains, exists. Numeric comparisons accept numbers
// written as strings ("562.82"); a missing field fails every op but `ne` and `exists: false`.
class AlertCondition {
 public:
  enum class Op { eq, ne, lt, lte, gt, gte, in, contains, exists };

  AlertCondition(std::string field, Op op, nlohmann::json value);
  // From the config item {field, op, value}; throws std::invalid_argument.
  static AlertCondition from_json(const nlohmann::json& item);
  [[nodiscard]] bool matches(const Event& event) const;

 private:
  [[nodiscard]] bool compare(const nlohmann::json* actual) const;

  std::string field_;
  Op op_;
  nlohmann::json value_;
};

// The schema of one `when:` item.
std::shared_ptr<const Schema> alert_condition_schema();

}  // namespace flowmind
