// The replay source's config table, its checks beyond the table, and the options read from a validated config.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "time_window.hpp"

namespace flowmind {

struct ReplayOptions {
  std::string path;
  double speed = 1;  // 0 = as fast as possible
  bool loop = false;
  std::string start;
  std::string end;
  std::vector<std::string> channels;  // empty = all; "price:*" matches a prefix
  bool original_timestamps = true;
  std::chrono::nanoseconds max_gap{0};
  std::vector<std::string> time_fields;
  std::size_t max_line = 16 * 1024 * 1024;

  // Reads a config validated against replay_schema(); throws std::invalid_argument on a bad speed or window.
  static ReplayOptions from_config(const Config& config);
  [[nodiscard]] bool channel_wanted(const std::string& channel) const;
};

// `speed`: a number > 0 or "max" (numeric text too, as ${VAR} gives); 0 = max.
double parse_speed(const nlohmann::json& value);

const Schema& replay_schema();
std::vector<ConfigIssue> validate_replay(const Config& config);

}  // namespace flowmind
