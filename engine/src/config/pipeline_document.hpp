// Turns one YAML document into a PipelineSpec: engine-owned keys, stages, plugin schemas, validate().
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "config/pipeline_loader.hpp"
#include "config/reporter.hpp"
#include "config/yaml_tree.hpp"

namespace flowmind {

// Pipeline names already taken (by any file of one load), with where they were first defined.
using PipelineNames = std::map<std::string, SourceLocation>;

class PipelineDocument {
 public:
  PipelineDocument(const PluginCatalog& catalog, Reporter& report, PipelineNames& names)
      : catalog_(catalog), report_(report), names_(names) {}

  // Reports every problem of the document; the spec only when it has none.
  [[nodiscard]] std::optional<PipelineSpec> load(const YamlNode& document);

 private:
  std::string read_name(const YamlNode& document);
  std::optional<StageSpec> stage(const YamlNode& node, PluginKind kind, const std::string& label);
  std::optional<BufferSpec> buffer(const YamlNode& node, const std::string& display);
  std::optional<bool> boolean(const YamlNode& node, const std::string& display);
  std::optional<std::chrono::milliseconds> duration(const YamlNode& node, const std::string& display);
  void validate_stage(const Factory& factory, const nlohmann::json& config, const YamlNode& node,
                      const std::map<std::string, Position>& positions);

  const PluginCatalog& catalog_;
  Reporter& report_;
  PipelineNames& names_;
};

}  // namespace flowmind
