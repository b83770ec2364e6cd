// The match filter: config checks, and evaluating the precompiled conditions per event.
#include "match.hpp"

#include <algorithm>

namespace flowmind {
namespace {

struct Compiled {
  std::vector<MatchCondition> conditions;
  std::vector<ConfigIssue> issues;
};

Compiled compile(const Config& config) {
  Compiled result;
  result.conditions =
      compile_conditions(config.has("conditions") ? config.at("conditions") : nlohmann::json(), result.issues);
  if (config.has("mode") && config.at("mode") != "all" && config.at("mode") != "any") {
    result.issues.push_back({"mode", "must be all or any"});
  }
  if (config.has("action") && config.at("action") != "keep" && config.at("action") != "drop") {
    result.issues.push_back({"action", "must be keep or drop"});
  }
  return result;
}

}  // namespace

std::vector<ConfigIssue> validate_match_config(const Config& config) { return compile(config).issues; }

MatchFilter::MatchFilter(const Config& config) {
  auto compiled = compile(config);
  for (const auto& issue : compiled.issues) {
    if (issue.severity == ConfigIssue::Severity::error) {
      throw PluginError("match: " + issue.path + ": " + issue.message);
    }
  }
  conditions_ = std::move(compiled.conditions);
  any_ = config.string("mode") == "any";
  keep_matching_ = config.string("action") == "keep";
  reads_payload_ = std::any_of(conditions_.begin(), conditions_.end(),
                               [](const MatchCondition& condition) { return !condition.on_annotations; });
}

void MatchFilter::start(StageContext& ctx) { invalid_payload_counter_ = &ctx.counter("invalid_payload"); }

namespace {

// A condition on annotations starts at the flat annotation its path names first, without the
// annotations DOM (which would cost a map per event): a scalar is copied into `scratch`, an
// array or object is descended as json.
const nlohmann::json* resolve_annotation(const Event& event, const std::vector<PathStep>& path,
                                         nlohmann::json& scratch) {
  if (path.empty()) return resolve(event.annotations(), path);
  const auto value = event.annotation(path.front().key);
  if (!value) return nullptr;
  const std::span<const PathStep> rest(path.data() + 1, path.size() - 1);
  if (const nlohmann::json* structured = value->structured()) return resolve(*structured, rest);
  if (!rest.empty()) return nullptr;  // a scalar has no members
  scratch = value->to_json();
  return scratch.is_null() ? nullptr : &scratch;
}

}  // namespace

bool MatchFilter::matches(const Event& event) {
  // Parsed up front so a bad payload fails the event whatever the order of the conditions.
  const nlohmann::json* payload = nullptr;
  if (reads_payload_) {
    try {
      payload = &event.payload();
    } catch (const PayloadError&) {
      invalid_payload_.fetch_add(1, std::memory_order_relaxed);
      if (invalid_payload_counter_ != nullptr) invalid_payload_counter_->fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  }
  nlohmann::json scratch;
  for (const auto& condition : conditions_) {
    const nlohmann::json* found = condition.on_annotations ? resolve_annotation(event, condition.path, scratch)
                                                           : resolve(*payload, condition.path);
    const bool met = evaluate(condition, found);
    if (met == any_) return any_;  // any: the first met decides; all: the first unmet decides
  }
  return !any_;
}

Filter::Verdict MatchFilter::process(Event& event, Emitter& /*out*/) {
  const bool matched = matches(event);
  (matched ? matched_ : not_matched_).fetch_add(1, std::memory_order_relaxed);
  return matched == keep_matching_ ? Verdict::keep : Verdict::drop;
}

nlohmann::json MatchFilter::status() const {
  return {{"matched", matched_.load(std::memory_order_relaxed)},
          {"not_matched", not_matched_.load(std::memory_order_relaxed)},
          {"invalid_payload", invalid_payload_.load(std::memory_order_relaxed)}};
}

}  // namespace flowmind
