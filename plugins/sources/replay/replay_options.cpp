// The replay source's config table and options.
#include "replay_options.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace flowmind {

double parse_speed(const nlohmann::json& value) {
  double speed = 0;
  if (value.is_number()) {
    speed = value.get<double>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "max") return 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), speed);
    if (error != std::errc() || end != text.data() + text.size()) speed = -1;
  } else {
    speed = -1;
  }
  if (!std::isfinite(speed) || speed <= 0 || speed > 1e6) {
    throw std::invalid_argument(
        "speed must be a number above 0 (1 = real time, 10 = ten times faster) or \"max\", not " + value.dump());
  }
  return speed;
}

const Schema& replay_schema() {
  static const Schema schema = [] {
    Schema s;
    s.option("path", OptionType::string,
             "A recording: a .jsonl / .jsonl.gz file, a folder of them, or a glob (data/flow-*.jsonl.gz)")
        .required()
        .min(1);
    s.option("speed", OptionType::any, "Playback speed: 1 = recorded spacing, 10 = ten times faster, max = no waiting")
        .def(1);
    s.option("loop", OptionType::boolean, "Start again from the beginning after the last record").def(false);
    s.option("start", OptionType::string,
             "Skip records before this time: ISO-8601 (2024-09-18T14:30:00Z) or a UTC time of day (14:30)");
    s.option("end", OptionType::string, "Skip records from this time on (same forms as start)");
    s.option("channels", OptionType::list, "Replay only these channels; a trailing * matches a prefix (price:*)")
        .items(OptionType::string);
    s.option("timestamps", OptionType::enumeration, "Event time: as recorded (original) or the moment of replay (now)")
        .values({"original", "now"})
        .def("original");
    s.option("max_gap", OptionType::duration, "Longest pause replayed (recording time), 0 = as recorded").def("0s");
    s.option(
         "time_fields", OptionType::list,
         "Payload fields giving the time of raw [channel, payload] lines (epoch ms/s or ISO-8601), first found wins")
        .items(OptionType::string)
        .def(nlohmann::json::array({"executed_at", "time", "timestamp", "created_at"}));
    s.option("max_line", OptionType::size, "Longer lines are counted as bad and skipped")
        .def("16MiB")
        .range("1KiB", "1GiB");
    return s;
  }();
  return schema;
}

ReplayOptions ReplayOptions::from_config(const Config& config) {
  ReplayOptions options;
  options.path = config.string("path");
  options.speed = parse_speed(config.at("speed"));
  options.loop = config.boolean("loop");
  if (config.has("start")) options.start = config.string("start");
  if (config.has("end")) options.end = config.string("end");
  TimeWindow check(options.start, options.end);
  if (config.has("channels")) options.channels = config.get<std::vector<std::string>>("channels");
  options.original_timestamps = config.string("timestamps") == "original";
  options.max_gap = config.duration("max_gap");
  options.time_fields = config.get<std::vector<std::string>>("time_fields");
  options.max_line = static_cast<std::size_t>(config.size("max_line"));
  return options;
}

bool ReplayOptions::channel_wanted(const std::string& channel) const {
  if (channels.empty()) return true;
  for (const auto& wanted : channels) {
    if (wanted.ends_with('*') ? channel.starts_with(std::string_view(wanted).substr(0, wanted.size() - 1))
                              : channel == wanted) {
      return true;
    }
  }
  return false;
}

std::vector<ConfigIssue> validate_replay(const Config& config) {
  std::vector<ConfigIssue> issues;
  if (config.has("speed")) {
    try {
      (void)parse_speed(config.at("speed"));
    } catch (const std::invalid_argument& error) {
      issues.push_back({"speed", error.what()});
    }
  }
  const std::string start = config.has("start") ? config.string("start") : std::string();
  const std::string end = config.has("end") ? config.string("end") : std::string();
  try {
    TimeWindow check(start, end);
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    issues.push_back({message.starts_with("start") ? "start" : "end", message});
  }
  return issues;
}

}  // namespace flowmind
