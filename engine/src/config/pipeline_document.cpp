// Validation of one pipeline document: the engine's own keys here, plugin options in schema_convert.
#include "config/pipeline_document.hpp"

#include <algorithm>
#include <exception>

#include "config/did_you_mean.hpp"
#include "config/schema_convert.hpp"
#include "config/units.hpp"
#include "config/yaml_scalars.hpp"

namespace flowmind {
namespace {

const std::vector<std::string>& pipeline_keys() {
  static const std::vector<std::string> keys{"pipeline", "description", "source",    "filters",
                                             "sinks",    "buffer",      "on_demand", "on_demand_linger"};
  return keys;
}

// The engine-owned `buffer:` of a pipeline or a sink, validated like a plugin option table.
const Schema& buffer_schema() {
  static const Schema schema = [] {
    Schema table;
    table.option("max_events", OptionType::integer, "Capacity of the queue, in events").def(1024).min(1);
    table.option("when_full", OptionType::enumeration, "What a full queue does with a new event")
        .values({"block", "drop_oldest", "drop_newest"})
        .def("block");
    return table;
  }();
  return schema;
}

bool valid_pipeline_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

std::string format_location(const SourceLocation& location) {
  std::string text = location.file;
  if (location.line > 0) text += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
  return text;
}

// "conditions/1/op" -> "conditions[1].op"
std::string display_path(const std::string& path) {
  std::string display;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, end - start);
    const bool index =
        !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (index) {
      display += "[" + segment + "]";
    } else {
      display += (display.empty() ? "" : ".") + segment;
    }
    start = end + 1;
  }
  return display;
}

// Where a validate() issue points: the value at `path`, or its nearest written ancestor.
Position position_for(const std::map<std::string, Position>& positions, std::string path, Position stage) {
  while (true) {
    if (auto it = positions.find(path); it != positions.end() && it->second.line != 0) return it->second;
    if (path.empty()) return stage;
    const std::size_t slash = path.rfind('/');
    path = slash == std::string::npos ? std::string() : path.substr(0, slash);
  }
}

}  // namespace

std::optional<PipelineSpec> PipelineDocument::load(const YamlNode& document) {
  if (document.kind != YamlNode::Kind::mapping) {
    report_.error(
        document.position,
        "a pipeline document must be a map with the keys pipeline, source and sinks, got " + describe(document));
    return std::nullopt;
  }
  const std::size_t errors_before = report_.error_count();
  PipelineSpec spec;
  spec.location = report_.location(document.position);
  spec.name = read_name(document);
  const std::string where = spec.name.empty() ? std::string("the pipeline") : "pipeline '" + spec.name + "'";

  bool has_source = false;
  bool has_sinks = false;
  for (const auto& entry : document.entries) {
    const YamlNode& value = entry.value;
    if (entry.key == "pipeline") continue;  // read_name() did it
    if (entry.key == "description") {
      if (!value.is_scalar()) report_.error(value.position, "description: expected a string, got " + describe(value));
    } else if (entry.key == "source") {
      has_source = true;
      if (auto source = stage(value, PluginKind::source, "source")) spec.source = std::move(*source);
    } else if (entry.key == "filters") {
      if (value.kind == YamlNode::Kind::null) continue;  // `filters:` with every filter commented out
      if (value.kind != YamlNode::Kind::sequence) {
        report_.error(value.position, "filters: expected a list of filter stages, got " + describe(value));
        continue;
      }
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (auto filter = stage(value.items[i], PluginKind::filter, "filters[" + std::to_string(i) + "]")) {
          spec.filters.push_back(std::move(*filter));
        }
      }
    } else if (entry.key == "sinks") {
      has_sinks = true;
      if (value.kind == YamlNode::Kind::null || (value.kind == YamlNode::Kind::sequence && value.items.empty())) {
        report_.error(value.position, "sinks: at least one sink is required");
        continue;
      }
      if (value.kind != YamlNode::Kind::sequence) {
        report_.error(value.position, "sinks: expected a list of sink stages, got " + describe(value));
        continue;
      }
      for (std::size_t i = 0; i < value.items.size(); ++i) {
        if (auto sink = stage(value.items[i], PluginKind::sink, "sinks[" + std::to_string(i) + "]")) {
          spec.sinks.push_back(std::move(*sink));
        }
      }
    } else if (entry.key == "buffer") {
      if (auto queue = buffer(value, "buffer")) spec.buffer = *queue;
    } else if (entry.key == "on_demand") {
      if (auto flag = boolean(value, "on_demand")) spec.on_demand = *flag;
    } else if (entry.key == "on_demand_linger") {
      if (auto linger = duration(value, "on_demand_linger")) spec.on_demand_linger = *linger;
    } else {
      report_.error(entry.key_position,
                    "unknown key '" + entry.key + "' in " + where + did_you_mean(entry.key, pipeline_keys()));
    }
  }
  if (document.find("pipeline") == nullptr) {
    report_.error(document.position, "missing required key 'pipeline' (the pipeline's name)");
  }
  if (!has_source) report_.error(document.position, "missing required key 'source' in " + where);
  if (!has_sinks) report_.error(document.position, "missing required key 'sinks' in " + where);
  // Only when on_demand is absent or a valid false: a malformed on_demand has its own error.
  const YamlEntry* flag = document.find("on_demand");
  const bool plainly_off = flag == nullptr || (flag->value.is_scalar() && parse_bool_word(flag->value.text) == false);
  if (const YamlEntry* linger = document.find("on_demand_linger"); linger != nullptr && plainly_off) {
    report_.warning(linger->key_position, "on_demand_linger has no effect without 'on_demand: true'");
  }

  spec.definition = generic_json(document);
  spec.environment_references = environment_references(document);
  if (report_.error_count() != errors_before) return std::nullopt;
  return spec;
}

std::string PipelineDocument::read_name(const YamlNode& document) {
  const YamlEntry* entry = document.find("pipeline");
  if (entry == nullptr || entry->value.invalid) return {};
  const YamlNode& value = entry->value;
  if (!value.is_scalar()) {
    report_.error(value.position, "pipeline: expected a name, got " + describe(value));
    return {};
  }
  if (!valid_pipeline_name(value.text)) {
    report_.error(value.position, "pipeline: invalid name " + describe(value) +
                                      ": use letters, digits, '_', '.' and '-' (at least one)");
    return {};
  }
  const SourceLocation here = report_.location(value.position);
  auto [it, inserted] = names_.emplace(value.text, here);
  if (!inserted) {
    report_.error(value.position, "duplicate pipeline name '" + value.text + "' (first defined at " +
                                      format_location(it->second) + ")");
  }
  return value.text;
}

std::optional<StageSpec> PipelineDocument::stage(const YamlNode& node, PluginKind kind, const std::string& label) {
  const std::string kind_name = to_string(kind);
  if (node.kind != YamlNode::Kind::mapping) {
    report_.error(node.position, label + ": expected a map with a 'type' key, got " + describe(node));
    return std::nullopt;
  }
  StageSpec spec;
  spec.location = report_.location(node.position);
  const std::size_t errors_before = report_.error_count();
  // The sink's queue is the engine's: checked even when the plugin is unknown.
  if (kind == PluginKind::sink) {
    if (const YamlEntry* queue = node.find("buffer")) {
      if (auto parsed = buffer(queue->value, "buffer")) spec.buffer = *parsed;
    }
  }
  const YamlEntry* type_entry = node.find("type");
  if (type_entry == nullptr) {
    report_.error(node.position, "missing required key 'type' (the " + kind_name + " plugin) in " + label);
    return std::nullopt;
  }
  const YamlNode& type_node = type_entry->value;
  if (type_node.invalid) return std::nullopt;
  if (!type_node.is_scalar()) {
    report_.error(type_node.position, "type: expected a plugin name, got " + describe(type_node));
    return std::nullopt;
  }
  const std::string& type = type_node.text;
  const Factory* factory = catalog_.find(type);
  if (factory == nullptr) {
    std::vector<std::string> same_kind;
    const auto names = catalog_.names();
    for (const auto& name : names) {
      const Factory* candidate = catalog_.find(name);
      if (candidate != nullptr && candidate->kind() == kind) same_kind.push_back(name);
    }
    std::string hint = did_you_mean(type, same_kind);
    if (hint.empty()) hint = did_you_mean(type, names);
    if (hint.empty()) {
      std::string available;
      for (const auto& name : same_kind) available += (available.empty() ? "" : ", ") + name;
      hint = available.empty() ? " (no " + kind_name + " plugins are loaded)"
                               : " (available " + kind_name + " plugins: " + available + ")";
    }
    report_.error(type_node.position, "unknown " + kind_name + " plugin '" + type + "'" + hint);
    return std::nullopt;
  }
  if (factory->kind() != kind) {
    report_.error(type_node.position,
                  "'" + type + "' is a " + to_string(factory->kind()) + " plugin, not a " + kind_name);
    return std::nullopt;
  }

  spec.type = type;
  std::vector<std::string> reserved{"type"};
  if (kind == PluginKind::sink) reserved.emplace_back("buffer");
  const std::string where =
      kind_name + " '" + type + "'" + (kind == PluginKind::source ? std::string() : " (" + label + ")");
  std::map<std::string, Position> positions;
  ConvertContext context{report_, positions, type};
  nlohmann::json config;
  try {
    config = convert_mapping(factory->schema(), node, "", "", where, reserved, context);
  } catch (const std::exception& error) {
    report_.error(node.position, "plugin '" + type + "' failed to describe its config: " + error.what());
    return std::nullopt;
  }
  if (context.failed || report_.error_count() != errors_before) return std::nullopt;
  validate_stage(*factory, config, node, positions);
  if (report_.error_count() != errors_before) return std::nullopt;
  spec.config = Config(std::move(config));
  return spec;
}

void PipelineDocument::validate_stage(const Factory& factory, const nlohmann::json& config, const YamlNode& node,
                                      const std::map<std::string, Position>& positions) {
  const std::string plugin(factory.name());
  std::vector<ConfigIssue> issues;
  try {
    issues = factory.validate(Config(config));
  } catch (const std::exception& error) {
    report_.error(node.position, "plugin '" + plugin + "' failed while checking its config: " + error.what());
    return;
  } catch (...) {
    report_.error(node.position, "plugin '" + plugin + "' failed while checking its config (unknown exception)");
    return;
  }
  for (const auto& issue : issues) {
    const Position at = position_for(positions, issue.path, node.position);
    std::string message = issue.path.empty() ? issue.message : display_path(issue.path) + ": " + issue.message;
    if (issue.severity == ConfigIssue::Severity::warning) {
      report_.warning(at, std::move(message));
    } else {
      report_.error(at, std::move(message));
    }
  }
}

std::optional<bool> PipelineDocument::boolean(const YamlNode& node, const std::string& display) {
  if (node.invalid) return std::nullopt;
  std::optional<bool> flag;
  if (node.is_scalar()) flag = parse_bool_word(node.text);
  if (!flag) report_.error(node.position, display + ": expected true or false, got " + describe(node));
  return flag;
}

std::optional<std::chrono::milliseconds> PipelineDocument::duration(const YamlNode& node, const std::string& display) {
  if (node.invalid) return std::nullopt;
  std::optional<std::int64_t> ns;
  if (node.is_scalar()) ns = parse_duration_ns(node.text);
  if (!ns || *ns < 0) {
    report_.error(node.position, display + ": expected a duration, got " + describe(node) +
                                     (node.is_scalar() ? ": " + duration_hint(node.text) : std::string()));
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*ns));
}

std::optional<BufferSpec> PipelineDocument::buffer(const YamlNode& node, const std::string& display) {
  if (node.invalid) return std::nullopt;
  if (node.kind != YamlNode::Kind::mapping) {
    report_.error(node.position, display + ": expected a map (max_events, when_full), got " + describe(node));
    return std::nullopt;
  }
  std::map<std::string, Position> positions;
  ConvertContext context{report_, positions, "engine"};
  const auto values = convert_mapping(buffer_schema(), node, "", display, display, {}, context);
  if (context.failed) return std::nullopt;
  BufferSpec spec;
  spec.max_events = static_cast<std::size_t>(values.at("max_events").get<std::int64_t>());
  const auto policy = values.at("when_full").get<std::string>();
  spec.when_full = policy == "drop_oldest"   ? WhenFull::drop_oldest
                   : policy == "drop_newest" ? WhenFull::drop_newest
                                             : WhenFull::block;
  return spec;
}

}  // namespace flowmind
