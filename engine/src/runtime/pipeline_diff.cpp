// What a reload changes: the wanted pipelines compared with the running ones, by name and definition.
#include "runtime/pipeline_diff.hpp"

#include <map>

namespace flowmind {

PipelineDiff diff_pipelines(const std::vector<PipelineIdentity>& current, const std::vector<PipelineIdentity>& wanted) {
  std::map<std::string, const nlohmann::json*> running;
  for (const auto& pipeline : current) running.emplace(pipeline.name, &pipeline.definition);
  std::map<std::string, bool> still_wanted;
  PipelineDiff diff;
  for (const auto& pipeline : wanted) {
    still_wanted[pipeline.name] = true;
    const auto found = running.find(pipeline.name);
    if (found == running.end()) {
      diff.added.push_back(pipeline.name);
    } else if (*found->second == pipeline.definition) {
      diff.unchanged.push_back(pipeline.name);
    } else {
      diff.changed.push_back(pipeline.name);
    }
  }
  for (const auto& pipeline : current) {
    if (!still_wanted.contains(pipeline.name)) diff.removed.push_back(pipeline.name);
  }
  return diff;
}

}  // namespace flowmind
