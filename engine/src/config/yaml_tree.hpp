// A document as the validator sees it: positions kept, ${VAR} interpolated, duplicate keys removed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_loader.hpp"
#include "config/reporter.hpp"

namespace YAML {
class Node;
}

namespace flowmind {

struct YamlEntry;

struct YamlNode {
  enum class Kind { null, scalar, sequence, mapping };

  Kind kind = Kind::null;
  Position position;
  std::string text;                // scalar: the value after interpolation
  std::string raw;                 // scalar: the value as written
  bool quoted = false;             // quoted (or !!str): always a string, never a number or bool
  bool from_environment = false;   // text holds interpolated environment data: never echo it
  bool invalid = false;            // interpolation failed (already reported): skip further checks
  std::vector<YamlNode> items;     // sequence
  std::vector<YamlEntry> entries;  // mapping, in file order, each key once

  [[nodiscard]] const YamlEntry* find(std::string_view key) const;
  [[nodiscard]] bool is_scalar() const { return kind == Kind::scalar; }
};

struct YamlEntry {
  std::string key;
  Position key_position;
  YamlNode value;
};

// Limits that keep a hostile document (alias bombs, self-referencing anchors) from exhausting memory.
inline constexpr int max_yaml_depth = 64;
inline constexpr std::size_t max_yaml_nodes = 100'000;

// Converts one parsed document, reporting bad interpolations (the node is kept, marked invalid),
// duplicate keys, non-text keys and documents beyond the limits (nullopt).
[[nodiscard]] std::optional<YamlNode> build_tree(const YAML::Node& document, const EnvLookup& env, Reporter& report);

// The generic reading used for `any` values and the pipeline definition: quoted scalars are
// strings, plain ones become null, booleans, integers, floats or strings as YAML 1.2 core reads them.
[[nodiscard]] nlohmann::json generic_json(const YamlNode& node);

// Where the document holds environment data: {JSON pointer: the reference as written}, e.g.
// {"/source/token": "${UW_API_TOKEN}"}, so a definition can be shown without the values.
[[nodiscard]] nlohmann::json environment_references(const YamlNode& node);

// How a value is named in messages: a list, a map, null, 12, "fast" — or `the value of "${TOKEN}"`
// when it came from the environment (which may hold secrets).
[[nodiscard]] std::string describe(const YamlNode& node);
// The scalar as written when it is safe to show, for range messages (10ms, 150).
[[nodiscard]] std::string show_scalar(const YamlNode& node);

}  // namespace flowmind
