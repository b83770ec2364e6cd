// Read-only access to a stage's validated config (defaults applied, durations and sizes normalized).
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace flowmind {

// Thrown when a plugin reads a key its schema does not declare or with the wrong accessor:
// a plugin bug, since the engine validated the values against the schema already.
class ConfigAccessError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class Config {
 public:
  Config() : values_(nlohmann::json::object()) {}
  explicit Config(nlohmann::json values) : values_(std::move(values)) {}

  [[nodiscard]] const nlohmann::json& json() const { return values_; }
  // True when the key has a value (given, or defaulted by the schema).
  [[nodiscard]] bool has(const std::string& key) const {
    auto it = values_.find(key);
    return it != values_.end() && !it->is_null();
  }
  [[nodiscard]] const nlohmann::json& at(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw ConfigAccessError("config has no value for '" + key + "'");
    return *it;
  }

  [[nodiscard]] std::string string(const std::string& key) const { return get<std::string>(key); }
  [[nodiscard]] std::int64_t integer(const std::string& key) const { return get<std::int64_t>(key); }
  [[nodiscard]] double number(const std::string& key) const { return get<double>(key); }
  [[nodiscard]] bool boolean(const std::string& key) const { return get<bool>(key); }
  [[nodiscard]] std::chrono::nanoseconds duration(const std::string& key) const {
    return std::chrono::nanoseconds(get<std::int64_t>(key));
  }
  [[nodiscard]] std::uint64_t size(const std::string& key) const { return get<std::uint64_t>(key); }

  template <typename T>
  [[nodiscard]] T get(const std::string& key) const {
    const auto& value = at(key);
    try {
      return value.get<T>();
    } catch (const nlohmann::json::exception& error) {
      throw ConfigAccessError("config value '" + key + "' has an unexpected type: " + error.what());
    }
  }

 private:
  nlohmann::json values_;
};

}  // namespace flowmind
