// A point-in-time copy of a pipeline's state and counters, rendered as status JSON or metrics.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_spec.hpp"
#include "runtime/pipeline_state.hpp"

namespace flowmind {

struct QueueSnapshot {
  std::size_t max_events = 0;
  WhenFull when_full = WhenFull::block;
  std::size_t size = 0;
};

struct StageSnapshot {
  std::string stage;  // "source", "filter[0]", "sink[1]"
  std::string type;
  bool is_filter = false;
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t filtered = 0;
  std::uint64_t dropped = 0;
  std::uint64_t failed = 0;
  std::optional<QueueSnapshot> queue;
  std::vector<std::pair<std::string, std::uint64_t>> counters;
  nlohmann::json status;  // the plugin's own status() (null when none)
};

// An on_demand pipeline's consumers (summed over its sinks) and whether its source runs.
struct DemandSnapshot {
  std::size_t consumers = 0;
  bool source_active = false;
  std::chrono::milliseconds linger{0};
};

struct PipelineSnapshot {
  std::string name;
  PipelineState state = PipelineState::starting;
  double uptime_seconds = 0;
  std::uint64_t source_restarts = 0;
  std::string error;                     // empty unless failed
  std::optional<DemandSnapshot> demand;  // on_demand pipelines only
  std::vector<StageSnapshot> stages;
};

// GET /pipelines entry: {name, state, uptime_seconds, source_restarts, error?, on_demand?, stages:[...]}.
nlohmann::json to_json(const PipelineSnapshot& pipeline);
// The Prometheus text exposition (format 0.0.4) of every pipeline.
std::string prometheus_text(const std::vector<PipelineSnapshot>& pipelines);

}  // namespace flowmind
