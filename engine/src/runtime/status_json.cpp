// Renders a pipeline snapshot as the JSON of GET /pipelines.
#include <cmath>

#include "runtime/pipeline_snapshot.hpp"

namespace flowmind {

nlohmann::json to_json(const PipelineSnapshot& pipeline) {
  auto stages = nlohmann::json::array();
  for (const auto& stage : pipeline.stages) {
    nlohmann::json entry = {
        {"stage", stage.stage}, {"type", stage.type},       {"in", stage.in},
        {"out", stage.out},     {"dropped", stage.dropped}, {"failed", stage.failed},
    };
    if (stage.is_filter) entry["filtered"] = stage.filtered;
    if (stage.queue) {
      entry["queue"] = {{"max_events", stage.queue->max_events},
                        {"when_full", to_string(stage.queue->when_full)},
                        {"size", stage.queue->size}};
    }
    auto counters = nlohmann::json::object();
    for (const auto& [name, value] : stage.counters) counters[name] = value;
    entry["counters"] = std::move(counters);
    entry["status"] = stage.status;
    stages.push_back(std::move(entry));
  }
  nlohmann::json result = {
      {"name", pipeline.name},
      {"state", to_string(pipeline.state)},
      // Milliseconds are plenty for an uptime and keep the JSON short.
      {"uptime_seconds", std::round(pipeline.uptime_seconds * 1000.0) / 1000.0},
      {"source_restarts", pipeline.source_restarts},
  };
  if (!pipeline.error.empty()) result["error"] = pipeline.error;
  if (pipeline.demand) {
    result["on_demand"] = {{"consumers", pipeline.demand->consumers},
                           {"source", pipeline.demand->source_active ? "active" : "idle"},
                           {"linger_seconds", static_cast<double>(pipeline.demand->linger.count()) / 1000.0}};
  }
  result["stages"] = std::move(stages);
  return result;
}

}  // namespace flowmind
