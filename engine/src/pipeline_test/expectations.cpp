// Expectation checks: counts, equality with a field-by-field diff, subsets and conditions.
#include "pipeline_test/expectations.hpp"

#include <algorithm>
#include <regex>

namespace flowmind::pipeline_test {
namespace {

// A diff of two big payloads is cut short: the first differences say enough.
constexpr std::size_t max_differences = 12;

std::string escape_pointer_token(const std::string& key) {
  std::string escaped;
  for (const char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string op_text(ConditionOp op) {
  switch (op) {
    case ConditionOp::eq: return "expected equal";
    case ConditionOp::ne: return "expected different";
    case ConditionOp::lt: return "expected less than";
    case ConditionOp::lte: return "expected at most";
    case ConditionOp::gt: return "expected greater than";
    case ConditionOp::gte: return "expected at least";
    case ConditionOp::in: return "expected one of";
    case ConditionOp::contains: return "expected to contain";
    case ConditionOp::exists: return "expected to exist";
    case ConditionOp::matches: return "expected to match";
  }
  return "?";
}

// Numbers compare with numbers and strings with strings; anything else is not ordered.
std::optional<int> order(const nlohmann::json& actual, const nlohmann::json& bound) {
  if (actual.is_number() && bound.is_number()) {
    // Two integers exactly (doubles lose precision beyond 2^53), otherwise as doubles.
    if (actual.is_number_integer() && bound.is_number_integer() &&
        actual.is_number_unsigned() == bound.is_number_unsigned()) {
      return actual < bound ? -1 : (bound < actual ? 1 : 0);
    }
    const double a = actual.get<double>();
    const double b = bound.get<double>();
    return a < b ? -1 : (b < a ? 1 : 0);
  }
  if (actual.is_string() && bound.is_string()) {
    const int compared = actual.get_ref<const std::string&>().compare(bound.get_ref<const std::string&>());
    return compared < 0 ? -1 : (compared > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool holds(const Condition& condition, const nlohmann::json& actual) {
  const auto& value = condition.value;
  switch (condition.op) {
    case ConditionOp::eq: return actual == value;
    case ConditionOp::ne: return actual != value;
    case ConditionOp::lt: return order(actual, value).value_or(0) < 0;
    case ConditionOp::lte: return order(actual, value).value_or(1) <= 0;
    case ConditionOp::gt: return order(actual, value).value_or(0) > 0;
    case ConditionOp::gte: return order(actual, value).value_or(-1) >= 0;
    case ConditionOp::in: return std::find(value.begin(), value.end(), actual) != value.end();
    case ConditionOp::contains:
      if (actual.is_string()) {
        const std::string needle = value.is_string() ? value.get<std::string>() : value.dump();
        return actual.get_ref<const std::string&>().find(needle) != std::string::npos;
      }
      if (actual.is_array()) return std::find(actual.begin(), actual.end(), value) != actual.end();
      if (actual.is_object()) return value.is_string() && actual.contains(value.get<std::string>());
      return false;
    case ConditionOp::matches:
      return actual.is_string() && std::regex_search(actual.get_ref<const std::string&>(), *condition.regex);
    case ConditionOp::exists: return true;  // decided before, from presence alone
  }
  return false;
}

class EventChecker {
 public:
  EventChecker(const EventExpectation& expect, const nlohmann::json& view, std::string subject,
               std::vector<Failure>& failures)
      : expect_(expect), view_(view), subject_(std::move(subject)), failures_(failures) {}

  void check() {
    if (expect_.channel) equal(nlohmann::json(*expect_.channel), view_.at("channel"), "/channel", true);
    if (expect_.timestamp) equal(nlohmann::json(*expect_.timestamp), view_.at("timestamp"), "/timestamp", true);
    if (expect_.data) equal(*expect_.data, view_.at("data"), "/data", true);
    if (expect_.data_contains) equal(*expect_.data_contains, view_.at("data"), "/data", false);
    if (expect_.annotations) equal(*expect_.annotations, view_.at("annotations"), "/annotations", true);
    if (expect_.annotations_contains) {
      equal(*expect_.annotations_contains, view_.at("annotations"), "/annotations", false);
    }
    for (const auto& condition : expect_.conditions) check_condition(condition);
  }

 private:
  void fail(Position at, const std::string& path, std::string message, std::optional<nlohmann::json> expected,
            std::optional<nlohmann::json> actual) {
    if (differences_++ >= max_differences) return;
    failures_.push_back(Failure{at, subject_, path, std::move(message), std::move(expected), std::move(actual)});
  }

  // `exact`: the actual value has nothing more; otherwise objects may hold other keys.
  void equal(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& path, bool exact) {
    if (expected.is_object() && actual.is_object()) {
      for (const auto& [key, value] : expected.items()) {
        const std::string child = path + "/" + escape_pointer_token(key);
        const auto found = actual.find(key);
        if (found == actual.end()) {
          fail(expect_.at, child, "missing", value, std::nullopt);
        } else {
          equal(value, *found, child, exact);
        }
      }
      if (!exact) return;
      for (const auto& [key, value] : actual.items()) {
        if (!expected.contains(key)) {
          fail(expect_.at, path + "/" + escape_pointer_token(key), "not expected", std::nullopt, value);
        }
      }
      return;
    }
    if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
      for (std::size_t i = 0; i < expected.size(); ++i) {
        equal(expected[i], actual[i], path + "/" + std::to_string(i), exact);
      }
      return;
    }
    // nlohmann compares integers and floats by value: 5 equals 5.0, but "5" is not 5.
    if (expected != actual) fail(expect_.at, path, "differs", expected, actual);
  }

  void check_condition(const Condition& condition) {
    const nlohmann::json::json_pointer pointer(condition.path);
    const bool present = view_.contains(pointer) && !view_.at(pointer).is_null();
    const nlohmann::json actual = present ? view_.at(pointer) : nlohmann::json();
    if (condition.op == ConditionOp::exists) {
      const bool wanted = condition.value.get<bool>();
      if (present != wanted) {
        fail(condition.at, condition.path, wanted ? "expected to exist, but it is absent" : "expected to be absent",
             std::nullopt, present ? std::optional<nlohmann::json>(actual) : std::nullopt);
      }
      return;
    }
    if (!present) {
      fail(condition.at, condition.path, "absent (" + op_text(condition.op) + ")", condition.value, std::nullopt);
      return;
    }
    if (!holds(condition, actual)) fail(condition.at, condition.path, op_text(condition.op), condition.value, actual);
  }

  const EventExpectation& expect_;
  const nlohmann::json& view_;
  std::string subject_;
  std::vector<Failure>& failures_;
  std::size_t differences_ = 0;
};

}  // namespace

nlohmann::json event_view(const Event& event) {
  nlohmann::json data;
  try {
    data = event.payload();
  } catch (const PayloadError&) {
    data = std::string(event.raw());  // not JSON: the text, so a test can still look at it
  }
  return {{"channel", event.channel()},
          {"timestamp", Event::iso8601_ms(event.received_at())},
          {"data", std::move(data)},
          {"annotations", event.annotations().is_object() ? event.annotations() : nlohmann::json::object()}};
}

void check_outputs(const OutputExpectation& expect, const std::vector<nlohmann::json>& outputs,
                   const std::string& subject, std::vector<Failure>& failures) {
  if (outputs.size() != expect.count) {
    std::string message = "expected " + std::to_string(expect.count) + " output event" +
                          (expect.count == 1 ? "" : "s") + (expect.count == 0 ? " (dropped)" : "") + ", got " +
                          std::to_string(outputs.size());
    failures.push_back(Failure{expect.at, subject + "outputs", "", std::move(message), nlohmann::json(expect.count),
                               nlohmann::json(outputs.size())});
  }
  const std::size_t checked = std::min(outputs.size(), expect.events.size());
  for (std::size_t i = 0; i < checked; ++i) {
    EventChecker(expect.events[i], outputs[i], subject + "output[" + std::to_string(i) + "]", failures).check();
  }
}

}  // namespace flowmind::pipeline_test
