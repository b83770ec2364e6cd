// Type conversion, range and allowed-value checks of config values, and normalized defaults.
#include "config/schema_convert.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>

#include "config/did_you_mean.hpp"
#include "config/units.hpp"
#include "config/yaml_scalars.hpp"

namespace flowmind {
namespace {

using nlohmann::json;

// What a value must be: an Option, or the item type of a list option.
struct ValueSpec {
  OptionType type = OptionType::any;
  const std::vector<std::string>* allowed = nullptr;
  OptionType item_type = OptionType::any;
  const Schema* fields = nullptr;
  const json* min = nullptr;
  const json* max = nullptr;
};

ValueSpec spec_of(const Option& option) {
  return {option.type(),       &option.allowed(),  option.item_type(), option.field_schema().get(),
          &option.min_value(), &option.max_value()};
}

ValueSpec item_spec_of(const ValueSpec& list) {
  return {list.item_type, list.allowed, OptionType::any, list.fields, nullptr, nullptr};
}

std::string join_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "/" + key; }
std::string join_display(const std::string& display, const std::string& key) {
  return display.empty() ? key : display + "." + key;
}

std::string list_values(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

std::string expected_text(const ValueSpec& spec) {
  switch (spec.type) {
    case OptionType::string: return "a string";
    case OptionType::integer: return "an integer";
    case OptionType::number: return "a number";
    case OptionType::boolean: return "a boolean (true/false, yes/no, on/off)";
    case OptionType::duration: return "a duration";
    case OptionType::size: return "a size";
    case OptionType::enumeration: return "one of: " + list_values(*spec.allowed);
    case OptionType::list: return "a list";
    case OptionType::map: return "a map";
    case OptionType::any: return "a value";
  }
  return "a value";
}

std::size_t utf8_length(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++count;
  }
  return count;
}

long double as_long_double(const json& number) {
  if (number.is_number_unsigned()) return static_cast<long double>(number.get<std::uint64_t>());
  if (number.is_number_integer()) return static_cast<long double>(number.get<std::int64_t>());
  return static_cast<long double>(number.get<double>());
}

// A bound from the schema in the value's unit (ns, bytes, or the number itself).
std::optional<long double> bound_value(const json& bound, OptionType type) {
  if (bound.is_number()) return as_long_double(bound);
  if (!bound.is_string()) return std::nullopt;
  const auto text = bound.get<std::string>();
  if (type == OptionType::duration) {
    if (auto ns = parse_duration_ns(text)) return static_cast<long double>(*ns);
  } else if (type == OptionType::size) {
    if (auto bytes = parse_size_bytes(text)) return static_cast<long double>(*bytes);
  }
  return std::nullopt;
}

std::string bound_text(const json& bound) { return bound.is_string() ? bound.get<std::string>() : bound.dump(); }

class Converter {
 public:
  explicit Converter(ConvertContext& context) : context_(context) {}

  json mapping(const Schema& schema, const YamlNode& node, const std::string& path, const std::string& display,
               const std::string& where, const std::vector<std::string>& reserved) {
    context_.positions.emplace(path, node.position);
    json out = json::object();
    std::set<std::string> given;
    for (const auto& entry : node.entries) {
      if (std::find(reserved.begin(), reserved.end(), entry.key) != reserved.end()) continue;
      const std::string child_path = join_path(path, entry.key);
      const Option* option = schema.find(entry.key);
      if (option == nullptr) {
        if (schema.allows_unknown_keys()) {
          out[entry.key] = generic(entry.value, child_path);
          continue;
        }
        std::vector<std::string> candidates = reserved;
        for (const auto& known : schema.options()) candidates.push_back(known.key());
        error(entry.key_position, "unknown key '" + entry.key + "' in " + where + did_you_mean(entry.key, candidates));
        continue;
      }
      given.insert(entry.key);
      if (auto value = convert(spec_of(*option), entry.value, child_path, join_display(display, entry.key))) {
        out[entry.key] = std::move(*value);
      }
    }
    for (const auto& option : schema.options()) {
      if (given.count(option.key()) != 0) continue;
      if (option.is_required()) {
        error(node.position, "missing required key '" + option.key() + "' in " + where);
      } else if (!option.default_value().is_null()) {
        std::string problem;
        if (auto value = normalize(spec_of(option), option.default_value(), problem)) {
          out[option.key()] = std::move(*value);
        } else {
          error(node.position, "plugin '" + context_.plugin + "' declares an invalid default for '" +
                                   join_display(display, option.key()) + "': " + problem);
        }
      }
    }
    return out;
  }

 private:
  void error(Position at, std::string message) {
    context_.report.error(at, std::move(message));
    context_.failed = true;
  }

  json generic(const YamlNode& node, const std::string& path) {
    context_.positions.emplace(path, node.position);
    for (std::size_t i = 0; i < node.items.size(); ++i) generic(node.items[i], join_path(path, std::to_string(i)));
    for (const auto& entry : node.entries) generic(entry.value, join_path(path, entry.key));
    if (node.invalid) context_.failed = true;
    return generic_json(node);
  }

  void wrong_type(const ValueSpec& spec, const YamlNode& node, const std::string& display, std::string hint = {}) {
    error(node.position, display + ": expected " + expected_text(spec) + ", got " + describe(node) + hint);
  }

  // Checks a value against the option's min/max in its own unit; `shown` is how the value is written.
  void check_range(const ValueSpec& spec, long double value, const std::string& shown, const YamlNode& node,
                   const std::string& display, const std::string& what = {}) {
    const auto check = [&](const json* bound, bool is_min) {
      if (bound == nullptr || bound->is_null()) return;
      const auto limit = bound_value(*bound, spec.type);
      if (!limit) {
        error(node.position, "plugin '" + context_.plugin + "' declares an invalid " +
                                 (is_min ? "minimum" : "maximum") + " for '" + display + "': " + bound->dump());
        return;
      }
      if (is_min ? value < *limit : value > *limit) {
        error(node.position, display + ": " + shown + " is " + (is_min ? "below the minimum " : "above the maximum ") +
                                 what + bound_text(*bound));
      }
    };
    check(spec.min, true);
    check(spec.max, false);
  }

  std::optional<json> convert(const ValueSpec& spec, const YamlNode& node, const std::string& path,
                              const std::string& display) {
    context_.positions.emplace(path, node.position);
    if (node.invalid) {
      context_.failed = true;  // its interpolation error is already reported
      return std::nullopt;
    }
    if (spec.type == OptionType::any) return generic(node, path);
    if (node.kind == YamlNode::Kind::null) {
      wrong_type(spec, node, display);
      return std::nullopt;
    }
    switch (spec.type) {
      case OptionType::list: return list(spec, node, path, display);
      case OptionType::map: return map(spec, node, path, display);
      default: break;
    }
    if (!node.is_scalar()) {
      wrong_type(spec, node, display);
      return std::nullopt;
    }
    return scalar(spec, node, display);
  }

  std::optional<json> scalar(const ValueSpec& spec, const YamlNode& node, const std::string& display) {
    const std::string& text = node.text;
    switch (spec.type) {
      case OptionType::string: {
        const std::size_t length = utf8_length(text);
        check_range(spec, static_cast<long double>(length), "length " + std::to_string(length), node, display,
                    "length ");
        return text;
      }
      case OptionType::integer: {
        std::optional<std::int64_t> value = parse_int_literal(text);
        if (!value) {
          if (looks_like_int(text)) {
            error(node.position, display + ": " + show_scalar(node) + " is out of range for an integer");
            return std::nullopt;
          }
          // 1e6 or 10.0 are integers written as floats.
          const auto number = parse_float_literal(text);
          if (number && std::trunc(*number) == *number && *number >= -9.2233720368547758e18 &&
              *number < 9.2233720368547758e18) {
            value = static_cast<std::int64_t>(*number);
          }
        }
        if (!value) {
          wrong_type(spec, node, display);
          return std::nullopt;
        }
        check_range(spec, static_cast<long double>(*value), show_scalar(node), node, display);
        return *value;
      }
      case OptionType::number: {
        std::optional<double> value;
        if (auto integer = parse_int_literal(text)) {
          value = static_cast<double>(*integer);
        } else {
          value = parse_float_literal(text);
        }
        if (!value) {
          wrong_type(spec, node, display);
          return std::nullopt;
        }
        check_range(spec, static_cast<long double>(*value), show_scalar(node), node, display);
        return *value;
      }
      case OptionType::boolean: {
        if (auto value = parse_bool_word(text)) return *value;
        wrong_type(spec, node, display);
        return std::nullopt;
      }
      case OptionType::duration: {
        auto value = parse_duration_ns(text);
        if (!value) {
          wrong_type(spec, node, display, ": " + duration_hint(node.from_environment ? std::string() : text));
          return std::nullopt;
        }
        check_range(spec, static_cast<long double>(*value), show_scalar(node), node, display);
        return *value;
      }
      case OptionType::size: {
        auto value = parse_size_bytes(text);
        if (!value) {
          wrong_type(spec, node, display, ": " + size_hint(node.from_environment ? std::string() : text));
          return std::nullopt;
        }
        check_range(spec, static_cast<long double>(*value), show_scalar(node), node, display);
        return *value;
      }
      case OptionType::enumeration: {
        const auto& allowed = *spec.allowed;
        if (allowed.empty() || std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return text;
        error(node.position, display + ": " + describe(node) + " is not one of: " + list_values(allowed) +
                                 did_you_mean(text, allowed, '"'));
        return std::nullopt;
      }
      default: break;
    }
    wrong_type(spec, node, display);
    return std::nullopt;
  }

  std::optional<json> list(const ValueSpec& spec, const YamlNode& node, const std::string& path,
                           const std::string& display) {
    if (node.kind != YamlNode::Kind::sequence) {
      wrong_type(spec, node, display);
      return std::nullopt;
    }
    const ValueSpec item_spec = item_spec_of(spec);
    json out = json::array();
    bool complete = true;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const std::string index = std::to_string(i);
      auto item = convert(item_spec, node.items[i], join_path(path, index), display + "[" + index + "]");
      if (item) {
        out.push_back(std::move(*item));
      } else {
        complete = false;
      }
    }
    const std::size_t count = node.items.size();
    check_range(spec, static_cast<long double>(count), std::to_string(count) + (count == 1 ? " item" : " items"), node,
                display);
    if (!complete) return std::nullopt;
    return out;
  }

  std::optional<json> map(const ValueSpec& spec, const YamlNode& node, const std::string& path,
                          const std::string& display) {
    if (node.kind != YamlNode::Kind::mapping) {
      wrong_type(spec, node, display);
      return std::nullopt;
    }
    json out;
    if (spec.fields != nullptr) {
      out = mapping(*spec.fields, node, path, display, display, {});
    } else {
      out = generic(node, path);
    }
    const std::size_t count = node.entries.size();
    check_range(spec, static_cast<long double>(count), std::to_string(count) + (count == 1 ? " entry" : " entries"),
                node, display);
    return out;
  }

  // A default from the schema (JSON, not YAML) in the same normalized form as a written value.
  std::optional<json> normalize(const ValueSpec& spec, const json& value, std::string& problem) {
    switch (spec.type) {
      case OptionType::any: return value;
      case OptionType::string:
        if (value.is_string()) return value;
        break;
      case OptionType::integer:
        if (value.is_number_unsigned() &&
            value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          break;
        }
        if (value.is_number_integer()) return value.get<std::int64_t>();
        if (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>() &&
            std::abs(value.get<double>()) < 9.2233720368547758e18) {
          return static_cast<std::int64_t>(value.get<double>());
        }
        break;
      case OptionType::number:
        if (value.is_number()) return value.get<double>();
        break;
      case OptionType::boolean:
        if (value.is_boolean()) return value;
        break;
      case OptionType::duration:
        if (value.is_string()) {
          if (auto ns = parse_duration_ns(value.get<std::string>())) return *ns;
        } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
          return value.get<std::int64_t>();
        }
        break;
      case OptionType::size:
        if (value.is_string()) {
          if (auto bytes = parse_size_bytes(value.get<std::string>())) return *bytes;
        } else if (value.is_number_unsigned()) {
          return value.get<std::uint64_t>();
        } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
          return static_cast<std::uint64_t>(value.get<std::int64_t>());
        }
        break;
      case OptionType::enumeration:
        if (value.is_string() &&
            (spec.allowed->empty() ||
             std::find(spec.allowed->begin(), spec.allowed->end(), value.get<std::string>()) != spec.allowed->end())) {
          return value;
        }
        break;
      case OptionType::list:
        if (value.is_array()) {
          json out = json::array();
          for (const auto& item : value) {
            auto normalized = normalize(item_spec_of(spec), item, problem);
            if (!normalized) return std::nullopt;
            out.push_back(std::move(*normalized));
          }
          return out;
        }
        break;
      case OptionType::map:
        if (value.is_object()) {
          if (spec.fields == nullptr) return value;
          return normalize_fields(*spec.fields, value, problem);
        }
        break;
    }
    problem = "expected " + expected_text(spec) + ", got " + value.dump();
    return std::nullopt;
  }

  std::optional<json> normalize_fields(const Schema& schema, const json& value, std::string& problem) {
    json out = json::object();
    for (const auto& [key, item] : value.items()) {
      const Option* option = schema.find(key);
      if (option == nullptr) {
        if (!schema.allows_unknown_keys()) {
          problem = "unknown key '" + key + "'";
          return std::nullopt;
        }
        out[key] = item;
        continue;
      }
      auto normalized = normalize(spec_of(*option), item, problem);
      if (!normalized) return std::nullopt;
      out[key] = std::move(*normalized);
    }
    for (const auto& option : schema.options()) {
      if (out.contains(option.key())) continue;
      if (option.is_required()) {
        problem = "missing required key '" + option.key() + "'";
        return std::nullopt;
      }
      if (option.default_value().is_null()) continue;
      auto normalized = normalize(spec_of(option), option.default_value(), problem);
      if (!normalized) return std::nullopt;
      out[option.key()] = std::move(*normalized);
    }
    return out;
  }

  ConvertContext& context_;
};

}  // namespace

json convert_mapping(const Schema& schema, const YamlNode& mapping, const std::string& path, const std::string& display,
                     const std::string& where, const std::vector<std::string>& reserved, ConvertContext& context) {
  Converter converter(context);
  return converter.mapping(schema, mapping, path, display, where, reserved);
}

}  // namespace flowmind
