// The declarative config table of a plugin: drives validation, `flowmind plugins NAME` and READMEs.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind {

// Types a config value can have. Durations ("500ms", "30s", "5m", "1h") are normalized to
// integer nanoseconds and sizes ("64KiB", "4MiB", "1GB", plain integers = bytes) to integer
// bytes before a plugin sees them; see Config::duration() and Config::size().
enum class OptionType { string, integer, number, boolean, duration, size, list, map, enumeration, any };

inline const char* to_string(OptionType type) {
  switch (type) {
    case OptionType::string: return "string";
    case OptionType::integer: return "int";
    case OptionType::number: return "number";
    case OptionType::boolean: return "bool";
    case OptionType::duration: return "duration";
    case OptionType::size: return "size";
    case OptionType::list: return "list";
    case OptionType::map: return "map";
    case OptionType::enumeration: return "enum";
    case OptionType::any: return "any";
  }
  return "?";
}

class Schema;

// One row of the table. Setters return *this so a schema reads as a table:
//   schema.option("rate", OptionType::number, "Events per second, 0 = as fast as possible").def(10).min(0);
// Bounds and defaults of durations and sizes are written as text ("1ms", "4MiB").
class Option {
 public:
  Option(std::string key, OptionType type, std::string doc)
      : key_(std::move(key)), type_(type), doc_(std::move(doc)) {}

  Option& required() { required_ = true; return *this; }
  Option& def(nlohmann::json value) { default_ = std::move(value); return *this; }
  Option& min(nlohmann::json value) { min_ = std::move(value); return *this; }
  Option& max(nlohmann::json value) { max_ = std::move(value); return *this; }
  Option& range(nlohmann::json low, nlohmann::json high) { min_ = std::move(low); max_ = std::move(high); return *this; }
  // Allowed values of an enumeration (or of a list's items when items() is enumeration).
  Option& values(std::vector<std::string> allowed) { allowed_ = std::move(allowed); return *this; }
  // Type of a list's items (default any).
  Option& items(OptionType type) { item_type_ = type; return *this; }
  // Schema of a map option, or of each map item of a list of maps.
  Option& fields(std::shared_ptr<const Schema> schema) { fields_ = std::move(schema); return *this; }
  // Human-readable default for the docs when the real default is computed (e.g. "number of cores").
  Option& default_doc(std::string text) { default_doc_ = std::move(text); return *this; }

  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] OptionType type() const { return type_; }
  [[nodiscard]] const std::string& doc() const { return doc_; }
  [[nodiscard]] bool is_required() const { return required_; }
  [[nodiscard]] const nlohmann::json& default_value() const { return default_; }  // null = none
  [[nodiscard]] const nlohmann::json& min_value() const { return min_; }          // null = unbounded
  [[nodiscard]] const nlohmann::json& max_value() const { return max_; }
  [[nodiscard]] const std::vector<std::string>& allowed() const { return allowed_; }
  [[nodiscard]] OptionType item_type() const { return item_type_; }
  [[nodiscard]] const std::shared_ptr<const Schema>& field_schema() const { return fields_; }
  [[nodiscard]] const std::string& default_doc() const { return default_doc_; }

 private:
  std::string key_;
  OptionType type_;
  std::string doc_;
  bool required_ = false;
  nlohmann::json default_;
  nlohmann::json min_;
  nlohmann::json max_;
  std::vector<std::string> allowed_;
  OptionType item_type_ = OptionType::any;
  std::shared_ptr<const Schema> fields_;
  std::string default_doc_;
};

// An ordered table of options. Keys not in the table are rejected (with a did-you-mean hint)
// unless allow_unknown_keys() is set.
class Schema {
 public:
  Option& option(std::string key, OptionType type, std::string doc) {
    return options_.emplace_back(std::move(key), type, std::move(doc));
  }
  Schema& allow_unknown_keys() { allow_unknown_ = true; return *this; }

  [[nodiscard]] const std::deque<Option>& options() const { return options_; }
  [[nodiscard]] bool allows_unknown_keys() const { return allow_unknown_; }
  [[nodiscard]] const Option* find(const std::string& key) const {
    for (const auto& option : options_) {
      if (option.key() == key) return &option;
    }
    return nullptr;
  }

 private:
  std::deque<Option> options_;  // deque: references returned by option() stay valid
  bool allow_unknown_ = false;
};

// A problem found in a stage's config by Factory::validate(). `path` names the value with
// '/'-separated keys and list indexes relative to the stage ("conditions/1/op"; empty = the
// stage itself); the engine turns it into file:line:col.
struct ConfigIssue {
  enum class Severity { error, warning };
  std::string path;
  std::string message;
  Severity severity = Severity::error;
};

}  // namespace flowmind
