// What a reload changes: the wanted pipelines compared with the running ones, by name and definition.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind {

// A pipeline as the diff sees it: its name and its definition (the validated YAML as JSON).
struct PipelineIdentity {
  std::string name;
  nlohmann::json definition;
};

struct PipelineDiff {
  std::vector<std::string> added;      // wanted, not running: start
  std::vector<std::string> removed;    // running, not wanted: drain and stop
  std::vector<std::string> changed;    // both, definitions differ: replace
  std::vector<std::string> unchanged;  // both, same definition: leave alone
};

// `current` and `wanted` each hold unique names. The lists keep the order of `wanted` (added,
// changed, unchanged) and of `current` (removed).
PipelineDiff diff_pipelines(const std::vector<PipelineIdentity>& current, const std::vector<PipelineIdentity>& wanted);

}  // namespace flowmind
