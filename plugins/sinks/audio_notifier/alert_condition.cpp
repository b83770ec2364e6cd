// Evaluates `when:` conditions against an event's channel, annotations and payload.
#include "alert_condition.hpp"

#include <stdexcept>

#include "alert.hpp"

namespace flowmind {
namespace {

const std::vector<std::string> op_names = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "exists"};

bool equal(const nlohmann::json& actual, const nlohmann::json& expected) {
  if (actual == expected) return true;
  const auto a = tolerant_number(&actual);
  const auto b = tolerant_number(&expected);
  return a && b && *a == *b && (actual.is_number() || expected.is_number());
}

}  // namespace

AlertCondition::AlertCondition(std::string field, Op op, nlohmann::json value)
    : field_(std::move(field)), op_(op), value_(std::move(value)) {}

AlertCondition AlertCondition::from_json(const nlohmann::json& item) {
  if (!item.is_object() || !item.contains("field") || !item["field"].is_string()) {
    throw std::invalid_argument("a condition needs a `field`");
  }
  const std::string op_name = item.value("op", std::string("eq"));
  Op op = Op::eq;
  bool known = false;
  for (std::size_t i = 0; i < op_names.size(); ++i) {
    if (op_names[i] == op_name) {
      op = static_cast<Op>(i);
      known = true;
    }
  }
  if (!known) throw std::invalid_argument("unknown op '" + op_name + "'");
  nlohmann::json value = item.contains("value") ? item["value"] : nlohmann::json(nullptr);
  if (op == Op::in && !value.is_array()) throw std::invalid_argument("op `in` needs a list `value`");
  if ((op == Op::lt || op == Op::lte || op == Op::gt || op == Op::gte) && !tolerant_number(&value)) {
    throw std::invalid_argument("op `" + op_name + "` needs a number `value`");
  }
  if (op == Op::exists && value.is_null()) value = true;
  return AlertCondition(item["field"].get<std::string>(), op, std::move(value));
}

bool AlertCondition::matches(const Event& event) const {
  if (field_ == "channel") {
    const nlohmann::json channel = event.channel();
    return compare(&channel);
  }
  if (field_.starts_with("annotations.")) return compare(json_path(event.annotations(), field_.substr(12)));
  try {
    return compare(json_path(event.payload(), field_));
  } catch (const PayloadError&) {
    return compare(nullptr);
  }
}

bool AlertCondition::compare(const nlohmann::json* actual) const {
  if (op_ == Op::exists)
    return (actual != nullptr && !actual->is_null()) == (value_.is_boolean() ? value_.get<bool>() : true);
  if (actual == nullptr || actual->is_null()) return op_ == Op::ne;
  switch (op_) {
    case Op::eq: return equal(*actual, value_);
    case Op::ne: return !equal(*actual, value_);
    case Op::lt:
    case Op::lte:
    case Op::gt:
    case Op::gte: {
      const auto a = tolerant_number(actual);
      const auto b = tolerant_number(&value_);
      if (!a || !b) return false;
      return op_ == Op::lt ? *a < *b : op_ == Op::lte ? *a <= *b : op_ == Op::gt ? *a > *b : *a >= *b;
    }
    case Op::in:
      for (const auto& candidate : value_) {
        if (equal(*actual, candidate)) return true;
      }
      return false;
    case Op::contains:
      if (actual->is_string() && value_.is_string()) {
        return actual->get_ref<const std::string&>().find(value_.get_ref<const std::string&>()) != std::string::npos;
      }
      if (actual->is_array()) {
        for (const auto& item : *actual) {
          if (equal(item, value_)) return true;
        }
      }
      return false;
    case Op::exists: break;
  }
  return false;
}

std::shared_ptr<const Schema> alert_condition_schema() {
  static const auto schema = [] {
    auto s = std::make_shared<Schema>();
    s->option("field", OptionType::string, "channel, annotations.PATH, or a payload field path (dotted)").required();
    s->option("op", OptionType::enumeration, "Comparison").values(op_names).def("eq");
    s->option("value", OptionType::any, "What to compare with (a list for `in`)");
    return std::shared_ptr<const Schema>(s);
  }();
  return schema;
}

}  // namespace flowmind
