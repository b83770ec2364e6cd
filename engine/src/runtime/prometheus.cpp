// Renders pipeline snapshots in the Prometheus text exposition format (version 0.0.4).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iterator>
#include <locale>
#include <sstream>
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

using Labels = std::vector<std::pair<std::string, std::string>>;

void sample_text(std::string& out, const char* name, const Labels& labels, const std::string& value) {
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
  out += value;
  out += '\n';
}

void sample(std::string& out, const char* name, const Labels& labels, std::uint64_t value) {
  sample_text(out, name, labels, std::to_string(value));
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

bool valid_metric_name(const std::string& name, bool allow_upper) {
  if (name.empty() || name.size() > 128) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || c == '_' || (allow_upper && c >= 'A' && c <= 'Z');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Plugin metric families may not shadow the engine's own.
bool reserved_metric_name(const std::string& name) {
  return name.rfind("pipeline_", 0) == 0 || name.rfind("stage_", 0) == 0 || name.rfind("queue_", 0) == 0;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text << std::setprecision(17) << value;
  return text.str();
}

struct PluginSample {
  Labels labels;
  std::string value;
};

struct PluginFamily {
  std::string type;
  std::string help;
  std::vector<PluginSample> samples;
};

// The "metrics" arrays of the plugins' status() (SDK 1.1), grouped by family in first-seen
// order. Malformed items are skipped: a plugin's bad metric must not break the endpoint.
void plugin_families(std::string& out, const std::vector<PipelineSnapshot>& pipelines) {
  std::vector<std::pair<std::string, PluginFamily>> families;
  for (const auto& pipeline : pipelines) {
    for (const auto& stage : pipeline.stages) {
      if (!stage.status.is_object()) continue;
      const auto metrics = stage.status.find("metrics");
      if (metrics == stage.status.end() || !metrics->is_array()) continue;
      for (const auto& item : *metrics) {
        if (!item.is_object()) continue;
        const auto name = item.value("name", std::string());
        const auto value = item.find("value");
        if (!valid_metric_name(name, false) || reserved_metric_name(name)) continue;
        if (value == item.end() || !value->is_number()) continue;
        auto family = std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.first == name; });
        if (family == families.end()) {
          auto type = item.value("type", std::string("gauge"));
          if (type != "counter" && type != "gauge") type = "untyped";
          families.push_back({name, PluginFamily{type, item.value("help", std::string("Reported by a plugin.")), {}}});
          family = std::prev(families.end());
        }
        PluginSample sample_row{stage_labels(pipeline, stage), format_value(value->get<double>())};
        if (const auto labels = item.find("labels"); labels != item.end() && labels->is_object()) {
          for (const auto& [key, label] : labels->items()) {
            if (!valid_metric_name(key, true) || key == "pipeline" || key == "stage" || key == "type") continue;
            sample_row.labels.emplace_back(key, label.is_string() ? label.get<std::string>() : label.dump());
          }
        }
        family->second.samples.push_back(std::move(sample_row));
      }
    }
  }
  for (const auto& [name, family] : families) {
    const auto full = "flowmind_" + name;
    std::string help;
    for (const char c : family.help) help += (c == '\n') ? ' ' : c;
    header(out, full.c_str(), family.type.c_str(), help.c_str());
    for (const auto& row : family.samples) sample_text(out, full.c_str(), row.labels, row.value);
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
  const bool any_on_demand =
      std::any_of(pipelines.begin(), pipelines.end(), [](const PipelineSnapshot& p) { return p.demand.has_value(); });
  if (any_on_demand) {
    header(out, "flowmind_pipeline_consumers", "gauge",
           "Consumers (e.g. browsers) the sinks of an on_demand pipeline report.");
    for (const auto& pipeline : pipelines) {
      if (pipeline.demand)
        sample(out, "flowmind_pipeline_consumers", {{"pipeline", pipeline.name}}, pipeline.demand->consumers);
    }
    header(out, "flowmind_pipeline_source_active", "gauge",
           "1 while an on_demand pipeline's source runs, 0 while it idles without consumers.");
    for (const auto& pipeline : pipelines) {
      if (pipeline.demand) {
        sample(out, "flowmind_pipeline_source_active", {{"pipeline", pipeline.name}},
               pipeline.demand->source_active ? 1 : 0);
      }
    }
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
  plugin_families(out, pipelines);
  return out;
}

}  // namespace flowmind
