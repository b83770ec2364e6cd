// Builds the validator's view of a YAML document from yaml-cpp nodes.
#include "config/yaml_tree.hpp"

#include <yaml-cpp/yaml.h>
#include <set>

#include "config/interpolate.hpp"
#include "config/yaml_scalars.hpp"

namespace flowmind {
namespace {

Position position_of(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

struct LimitExceeded {
  Position at;
  std::string message;
};

class TreeBuilder {
 public:
  TreeBuilder(const EnvLookup& env, Reporter& report) : env_(env), report_(report) {}

  YamlNode build(const YAML::Node& node, Position fallback, int depth) {
    YamlNode out;
    out.position = position_of(node.Mark());
    if (out.position.line == 0) out.position = fallback;
    if (++nodes_ > max_yaml_nodes) {
      throw LimitExceeded{out.position, "document has more than " + std::to_string(max_yaml_nodes) +
                                            " values (after expanding aliases); refused"};
    }
    if (depth >= max_yaml_depth && (node.IsSequence() || node.IsMap())) {
      throw LimitExceeded{out.position, "document nests deeper than " + std::to_string(max_yaml_depth) +
                                            " levels (an alias inside its own anchor?); refused"};
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar: scalar(node, out); break;
      case YAML::NodeType::Sequence:
        out.kind = YamlNode::Kind::sequence;
        for (const auto& item : node) out.items.push_back(build(item, out.position, depth + 1));
        break;
      case YAML::NodeType::Map: mapping(node, out, depth); break;
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined: out.kind = YamlNode::Kind::null; break;
    }
    return out;
  }

 private:
  void scalar(const YAML::Node& node, YamlNode& out) {
    out.kind = YamlNode::Kind::scalar;
    out.raw = node.Scalar();
    out.quoted = node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
    auto result = interpolate(out.raw, env_);
    if (result.error) {
      report_.error(out.position, *result.error);
      out.invalid = true;
      out.text = out.raw;
      return;
    }
    out.text = std::move(result.text);
    out.from_environment = result.substituted;
  }

  void mapping(const YAML::Node& node, YamlNode& out, int depth) {
    out.kind = YamlNode::Kind::mapping;
    std::set<std::string> seen;
    for (const auto& pair : node) {
      const Position key_position = position_of(pair.first.Mark());
      if (!pair.first.IsScalar()) {
        report_.error(key_position.line != 0 ? key_position : out.position, "keys must be plain text");
        continue;
      }
      const std::string& key = pair.first.Scalar();
      if (!seen.insert(key).second) {
        const YamlEntry* first = out.find(key);
        report_.error(key_position, "duplicate key '" + key + "'" +
                                        (first != nullptr && first->key_position.line != 0
                                             ? " (first given on line " + std::to_string(first->key_position.line) + ")"
                                             : std::string()));
        continue;
      }
      YamlEntry entry{key, key_position, build(pair.second, key_position, depth + 1)};
      // An empty value (`key:`) carries the position of whatever follows it; point at the key.
      if (entry.value.kind == YamlNode::Kind::null) {
        const Position at = entry.value.position;
        if (at.line != key_position.line || at.column <= key_position.column) entry.value.position = key_position;
      }
      out.entries.push_back(std::move(entry));
    }
  }

  const EnvLookup& env_;
  Reporter& report_;
  std::size_t nodes_ = 0;
};

}  // namespace

const YamlEntry* YamlNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::optional<YamlNode> build_tree(const YAML::Node& document, const EnvLookup& env, Reporter& report) {
  TreeBuilder builder(env, report);
  try {
    return builder.build(document, {}, 0);
  } catch (const LimitExceeded& limit) {
    report.error(limit.at, limit.message);
    return std::nullopt;
  }
}

nlohmann::json generic_json(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null: return nullptr;
    case YamlNode::Kind::scalar:
      if (node.quoted || node.invalid) return node.text;
      // ${X:-} leaves an empty string, not the YAML null an empty plain scalar would be.
      if (node.from_environment && node.text.empty()) return std::string();
      return core_scalar(node.text);
    case YamlNode::Kind::sequence: {
      auto array = nlohmann::json::array();
      for (const auto& item : node.items) array.push_back(generic_json(item));
      return array;
    }
    case YamlNode::Kind::mapping: {
      auto object = nlohmann::json::object();
      for (const auto& entry : node.entries) object[entry.key] = generic_json(entry.value);
      return object;
    }
  }
  return nullptr;
}

namespace {

// A JSON pointer token: '~' and '/' escaped (RFC 6901).
std::string pointer_token(const std::string& key) {
  std::string token;
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

void collect_references(const YamlNode& node, const std::string& pointer, nlohmann::json& found) {
  switch (node.kind) {
    case YamlNode::Kind::null: return;
    case YamlNode::Kind::scalar:
      if (node.from_environment) found[pointer] = node.raw;
      return;
    case YamlNode::Kind::sequence:
      for (std::size_t i = 0; i < node.items.size(); ++i) {
        collect_references(node.items[i], pointer + "/" + std::to_string(i), found);
      }
      return;
    case YamlNode::Kind::mapping:
      for (const auto& entry : node.entries) {
        collect_references(entry.value, pointer + "/" + pointer_token(entry.key), found);
      }
      return;
  }
}

}  // namespace

nlohmann::json environment_references(const YamlNode& node) {
  auto found = nlohmann::json::object();
  collect_references(node, "", found);
  return found;
}

std::string describe(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null: return "null";
    case YamlNode::Kind::sequence: return "a list";
    case YamlNode::Kind::mapping: return "a map";
    case YamlNode::Kind::scalar: break;
  }
  if (node.from_environment) return "the value of \"" + node.raw + "\"";
  if (!node.quoted) {
    const auto value = core_scalar(node.text);
    if (value.is_number() || value.is_boolean()) return node.text;
  }
  return "\"" + node.text + "\"";
}

std::string show_scalar(const YamlNode& node) {
  if (node.from_environment) return "the value of \"" + node.raw + "\"";
  return node.text;
}

}  // namespace flowmind
