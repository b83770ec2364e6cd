// Compiling the match filter's conditions (with config issues) and evaluating them.
#include "match_condition.hpp"

#include <algorithm>

#include "match_compare.hpp"

namespace flowmind {
namespace {

std::optional<std::size_t> parse_index(const std::string& segment) {
  if (segment.empty() || segment.size() > 18) return std::nullopt;
  std::size_t index = 0;
  for (char c : segment) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index;
}

std::optional<std::vector<PathStep>> split_path(const std::string& path) {
  std::vector<PathStep> steps;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    auto segment = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (segment.empty()) return std::nullopt;
    auto index = parse_index(segment);
    steps.push_back({std::move(segment), index});
    if (dot == std::string::npos) return steps;
    start = dot + 1;
  }
}

bool is_present(const nlohmann::json& item, const char* key) {
  auto it = item.find(key);
  return it != item.end() && !it->is_null();
}

bool contains(const nlohmann::json& haystack, const nlohmann::json& needle) {
  if (haystack.is_string()) {
    if (needle.is_string())
      return haystack.get_ref<const std::string&>().find(needle.get_ref<const std::string&>()) != std::string::npos;
    if (needle.is_number()) return haystack.get_ref<const std::string&>().find(needle.dump()) != std::string::npos;
    return false;
  }
  if (haystack.is_array()) {
    return std::any_of(haystack.begin(), haystack.end(), [&](const auto& item) { return values_equal(item, needle); });
  }
  return false;
}

// Checks the `value` of one condition against its op; returns false on an error.
bool check_value(const nlohmann::json& item, MatchOp op, const std::string& at, std::vector<ConfigIssue>& issues) {
  const std::string where = at + "/value";
  const bool present = is_present(item, "value");
  const std::string op_name = to_string(op);
  switch (op) {
    case MatchOp::exists:
      if (present && !item.at("value").is_boolean()) {
        issues.push_back({where, "op 'exists' takes true or false (the default is true)"});
        return false;
      }
      return true;
    case MatchOp::in:
      if (!present || !item.at("value").is_array()) {
        issues.push_back({where, "op 'in' needs a list of values"});
        return false;
      }
      return true;
    case MatchOp::lt:
    case MatchOp::lte:
    case MatchOp::gt:
    case MatchOp::gte: {
      if (!present || !(item.at("value").is_number() || item.at("value").is_string())) {
        issues.push_back({where, "op '" + op_name + "' needs a number (or a string, compared as text)"});
        return false;
      }
      if (item.at("value").is_string() && !as_number(item.at("value"))) {
        issues.push_back({where,
                          "'" + item.at("value").get<std::string>() + "' is not a number: op '" + op_name +
                              "' compares it as text with string fields and never matches numbers",
                          ConfigIssue::Severity::warning});
      }
      return true;
    }
    case MatchOp::eq:
    case MatchOp::ne:
    case MatchOp::contains:
      if (!present) {
        issues.push_back({where, "op '" + op_name + "' needs a value"});
        return false;
      }
      if (op == MatchOp::contains &&
          !(item.at("value").is_string() || item.at("value").is_number() || item.at("value").is_boolean())) {
        issues.push_back({where, "op 'contains' needs a string (substring) or a single value (list element)"});
        return false;
      }
      return true;
  }
  return false;
}

std::optional<MatchCondition> compile_one(const nlohmann::json& item, const std::string& at,
                                          std::vector<ConfigIssue>& issues) {
  if (!item.is_object()) {
    issues.push_back({at, "a condition is a map with field (or annotation), op and value"});
    return std::nullopt;
  }
  const bool has_field = is_present(item, "field");
  const bool has_annotation = is_present(item, "annotation");
  if (has_field == has_annotation) {
    issues.push_back({at, has_field ? "give either field or annotation, not both" : "needs a field or an annotation"});
    return std::nullopt;
  }
  const char* key = has_field ? "field" : "annotation";
  MatchCondition condition;
  condition.on_annotations = has_annotation;
  bool ok = true;
  if (!item.at(key).is_string()) {
    issues.push_back({at + "/" + key, "must be a dotted path such as total_premium or trade_ids.0"});
    ok = false;
  } else {
    const auto& text = item.at(key).get_ref<const std::string&>();
    auto path = text.empty() ? std::nullopt : split_path(text);
    if (!path) {
      issues.push_back({at + "/" + key, text.empty() ? "empty path" : "empty segment in path '" + text + "'"});
      ok = false;
    } else {
      condition.path = std::move(*path);
    }
  }

  std::optional<MatchOp> op = MatchOp::eq;
  if (is_present(item, "op")) {
    op = item.at("op").is_string() ? parse_match_op(item.at("op").get<std::string>()) : std::nullopt;
    if (!op) {
      std::string names;
      for (const auto& name : match_op_names()) names += (names.empty() ? "" : ", ") + name;
      issues.push_back({at + "/op", "unknown op " + item.at("op").dump() + " (one of " + names + ")"});
      return std::nullopt;
    }
  }
  condition.op = *op;
  if (!check_value(item, condition.op, at, issues)) ok = false;
  if (!ok) return std::nullopt;
  if (condition.op == MatchOp::exists) {
    condition.value = is_present(item, "value") ? item.at("value") : nlohmann::json(true);
  } else {
    condition.value = item.at("value");
  }
  return condition;
}

}  // namespace

const char* to_string(MatchOp op) {
  switch (op) {
    case MatchOp::eq: return "eq";
    case MatchOp::ne: return "ne";
    case MatchOp::lt: return "lt";
    case MatchOp::lte: return "lte";
    case MatchOp::gt: return "gt";
    case MatchOp::gte: return "gte";
    case MatchOp::in: return "in";
    case MatchOp::contains: return "contains";
    case MatchOp::exists: return "exists";
  }
  return "?";
}

std::optional<MatchOp> parse_match_op(std::string_view name) {
  for (auto op : {MatchOp::eq, MatchOp::ne, MatchOp::lt, MatchOp::lte, MatchOp::gt, MatchOp::gte, MatchOp::in,
                  MatchOp::contains, MatchOp::exists}) {
    if (name == to_string(op)) return op;
  }
  return std::nullopt;
}

const std::vector<std::string>& match_op_names() {
  static const std::vector<std::string> names = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "exists"};
  return names;
}

const nlohmann::json* resolve(const nlohmann::json& root, std::span<const PathStep> path) {
  const nlohmann::json* node = &root;
  for (const auto& step : path) {
    if (node->is_object()) {
      auto it = node->find(step.key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array() && step.index && *step.index < node->size()) {
      node = &(*node)[*step.index];
    } else {
      return nullptr;
    }
  }
  return node->is_null() ? nullptr : node;
}

bool evaluate(const MatchCondition& condition, const nlohmann::json* found) {
  if (condition.op == MatchOp::exists) return (found != nullptr) == condition.value.get<bool>();
  if (found == nullptr) return false;
  switch (condition.op) {
    case MatchOp::eq: return values_equal(*found, condition.value);
    case MatchOp::ne: return !values_equal(*found, condition.value);
    case MatchOp::lt: {
      const auto order = compare_values(*found, condition.value);
      return order && *order < 0;
    }
    case MatchOp::lte: {
      const auto order = compare_values(*found, condition.value);
      return order && *order <= 0;
    }
    case MatchOp::gt: {
      const auto order = compare_values(*found, condition.value);
      return order && *order > 0;
    }
    case MatchOp::gte: {
      const auto order = compare_values(*found, condition.value);
      return order && *order >= 0;
    }
    case MatchOp::in:
      return std::any_of(condition.value.begin(), condition.value.end(),
                         [&](const auto& candidate) { return values_equal(*found, candidate); });
    case MatchOp::contains: return contains(*found, condition.value);
    case MatchOp::exists: break;
  }
  return false;
}

std::vector<MatchCondition> compile_conditions(const nlohmann::json& conditions, std::vector<ConfigIssue>& issues) {
  std::vector<MatchCondition> compiled;
  if (!conditions.is_array() || conditions.empty()) {
    issues.push_back({"conditions", "needs a list of at least one condition"});
    return compiled;
  }
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    if (auto condition = compile_one(conditions[i], "conditions/" + std::to_string(i), issues)) {
      compiled.push_back(std::move(*condition));
    }
  }
  return compiled;
}

}  // namespace flowmind
