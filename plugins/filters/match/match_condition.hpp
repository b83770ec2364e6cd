// One precompiled condition of the match filter: where to look (payload or annotations), how to compare.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/config_schema.hpp"

namespace flowmind {

enum class MatchOp { eq, ne, lt, lte, gt, gte, in, contains, exists };

const char* to_string(MatchOp op);
std::optional<MatchOp> parse_match_op(std::string_view name);
const std::vector<std::string>& match_op_names();

// One segment of a dotted path, split once at construction. A numeric segment also indexes arrays.
struct PathStep {
  std::string key;
  std::optional<std::size_t> index;
};

struct MatchCondition {
  bool on_annotations = false;  // the path starts at the event's annotations instead of the payload
  std::vector<PathStep> path;
  MatchOp op = MatchOp::eq;
  nlohmann::json value;  // for exists: the expected bool
};

// The value at `path` under `root`; nullptr when it is missing or null.
const nlohmann::json* resolve(const nlohmann::json& root, std::span<const PathStep> path);

// Applies the condition to a resolved value (nullptr = missing).
bool evaluate(const MatchCondition& condition, const nlohmann::json* found);

// Compiles the `conditions` list. Problems are appended to `issues` with paths relative to the
// stage ("conditions/1/value"); conditions with errors are left out of the result.
std::vector<MatchCondition> compile_conditions(const nlohmann::json& conditions, std::vector<ConfigIssue>& issues);

}  // namespace flowmind
