// Renders pipeline snapshots in the Prometheus text exposition format (version 0.0.4).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/pipeline_snapshot.hpp"

namespace flowmind {
namespace {

// Label values escape backslash, double quote and line feed; nothing else.
std::string escape_label(const std::string& value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\': escaped += "\\\\"; break;
      case '"': escaped += "\\\""; break;
      case '\n': escaped += "\\n"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

using Labels = std::vector<std::pair<const char*, std::string>>;

void sample(std::string& out, const char* name, const Labels& labels, std::uint64_t value) {
  out += name;
  out += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    out += escape_label(labels[i].second);
    out += '"';
  }
  out += "} ";
  out += std::to_string(value);
  out += '\n';
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

Labels stage_labels(const PipelineSnapshot& pipeline, const StageSnapshot& stage) {
  return {{"pipeline", pipeline.name}, {"stage", stage.stage}, {"type", stage.type}};
}

// One family: its HELP and TYPE once, then a sample per stage that has the value.
void stage_family(std::string& out, const std::vector<PipelineSnapshot>& pipelines, const char* name, const char* help,
                  const std::function<bool(const StageSnapshot&)>& applies,
                  const std::function<std::uint64_t(const StageSnapshot&)>& value) {
  header(out, name, "counter", help);
  for (const auto& pipeline : pipelines) {
    for (const auto& stage : pipeline.stages) {
      if (applies(stage)) sample(out, name, stage_labels(pipeline, stage), value(stage));
    }
  }
}

}  // namespace

std::string prometheus_text(const std::vector<PipelineSnapshot>& pipelines) {
  std::string out;
  const auto every = [](const StageSnapshot&) { return true; };

  header(out, "flowmind_pipeline_up", "gauge", "1 when the pipeline is running, 0 otherwise.");
  for (const auto& pipeline : pipelines) {
    sample(out, "flowmind_pipeline_up", {{"pipeline", pipeline.name}},
           pipeline.state == PipelineState::running ? 1 : 0);
  }
  header(out, "flowmind_pipeline_source_restarts_total", "counter",
         "Times the pipeline's source was restarted after its run() failed.");
  for (const auto& pipeline : pipelines) {
    sample(out, "flowmind_pipeline_source_restarts_total", {{"pipeline", pipeline.name}}, pipeline.source_restarts);
  }

  stage_family(out, pipelines, "flowmind_stage_events_in_total", "Events handed to the stage.", every,
               [](const StageSnapshot& stage) { return stage.in; });
  stage_family(out, pipelines, "flowmind_stage_events_out_total",
               "Events the stage passed on (source: accepted; sink: consumed).", every,
               [](const StageSnapshot& stage) { return stage.out; });
  stage_family(
      out, pipelines, "flowmind_stage_events_filtered_total", "Events a filter dropped by its verdict.",
      [](const StageSnapshot& stage) { return stage.is_filter; },
      [](const StageSnapshot& stage) { return stage.filtered; });
  stage_family(out, pipelines, "flowmind_stage_events_dropped_total",
               "Events dropped by the stage's full queue or abandoned at shutdown.", every,
               [](const StageSnapshot& stage) { return stage.dropped; });
  stage_family(out, pipelines, "flowmind_stage_events_failed_total", "Events (or source runs) that threw.", every,
               [](const StageSnapshot& stage) { return stage.failed; });

  header(out, "flowmind_stage_custom_total", "counter", "Counters defined by the plugins.");
  for (const auto& pipeline : pipelines) {
    for (const auto& stage : pipeline.stages) {
      for (const auto& [counter, value] : stage.counters) {
        auto labels = stage_labels(pipeline, stage);
        labels.emplace_back("counter", counter);
        sample(out, "flowmind_stage_custom_total", labels, value);
      }
    }
  }

  header(out, "flowmind_queue_events", "gauge", "Events waiting in the queue in front of the stage's consumer.");
  for (const auto& pipeline : pipelines) {
    for (const auto& stage : pipeline.stages) {
      if (stage.queue)
        sample(out, "flowmind_queue_events", {{"pipeline", pipeline.name}, {"stage", stage.stage}}, stage.queue->size);
    }
  }
  header(out, "flowmind_queue_capacity", "gauge", "Capacity of the queue (max_events).");
  for (const auto& pipeline : pipelines) {
    for (const auto& stage : pipeline.stages) {
      if (stage.queue)
        sample(out, "flowmind_queue_capacity", {{"pipeline", pipeline.name}, {"stage", stage.stage}},
               stage.queue->max_events);
    }
  }
  return out;
}

}  // namespace flowmind
