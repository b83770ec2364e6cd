// Validated pipeline definitions: what the config loader produces and the runtime consumes.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"

namespace flowmind {

// Policy of a bounded queue that is full.
enum class WhenFull { block, drop_oldest, drop_newest };

const char* to_string(WhenFull policy);

// A place in a YAML file; line and column are 1-based (0 = unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// Engine-owned `buffer:` key of a pipeline (its input queue) or of a sink (its queue).
struct BufferSpec {
  std::size_t max_events = 1024;
  WhenFull when_full = WhenFull::block;
};

struct StageSpec {
  std::string type;         // plugin name
  Config config;            // validated against the plugin's schema, defaults applied
  SourceLocation location;  // where the stage's mapping starts
  BufferSpec buffer;        // sinks only: the queue in front of the sink
};

struct PipelineSpec {
  std::string name;
  SourceLocation location;
  StageSpec source;
  std::vector<StageSpec> filters;
  std::vector<StageSpec> sinks;
  BufferSpec buffer;  // the queue between the source and the filters
  // `on_demand: true`: the source runs only while a sink reports consumers (PipelineControl),
  // and is stopped `on_demand_linger` after the last one left.
  bool on_demand = false;
  std::chrono::milliseconds on_demand_linger{30000};
  nlohmann::json definition;  // the pipeline as written (after interpolation), for the admin API
  // {JSON pointer into `definition`: "${VAR}" as written} for every value that came from the
  // environment: the admin API shows the reference instead of the value (it may be a token).
  nlohmann::json environment_references = nlohmann::json::object();
};

}  // namespace flowmind
