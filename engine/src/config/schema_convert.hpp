// Validates YAML values against a plugin's config Schema and converts them to the JSON its Config holds.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/reporter.hpp"
#include "config/yaml_tree.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind {

struct ConvertContext {
  Reporter& report;
  // Where each converted value is written, by '/'-path ("conditions/1/op"), to place
  // Factory::validate() issues.
  std::map<std::string, Position>& positions;
  std::string plugin;   // named in messages about mistakes in the plugin's own schema
  bool failed = false;  // any error (or already reported invalid value) in this conversion
};

// Checks every key of `mapping` against `schema` (unknown keys with a did-you-mean hint, wrong
// types, ranges, allowed values, missing required keys) and fills in normalized defaults.
// `reserved` keys belong to the engine: they are skipped here but offered as suggestions.
// `where` names the mapping in messages ("source 'generator'", "conditions[1]"); `path` and
// `display` are the mapping's own '/'-path and dotted name ("" for a stage).
[[nodiscard]] nlohmann::json convert_mapping(const Schema& schema, const YamlNode& mapping, const std::string& path,
                                             const std::string& display, const std::string& where,
                                             const std::vector<std::string>& reserved, ConvertContext& context);

}  // namespace flowmind
