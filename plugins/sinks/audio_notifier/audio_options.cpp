// The audio_notifier's config table, bundled sounds and program checks.
#include "audio_options.hpp"

#include <dlfcn.h>

#include <stdexcept>

#include "process_runner.hpp"

namespace flowmind {
namespace fs = std::filesystem;

namespace {

std::string mode_name(AudioMode mode) {
  switch (mode) {
    case AudioMode::sound: return "sound";
    case AudioMode::speak: return "speak";
    case AudioMode::command: return "command";
  }
  return "?";
}

std::map<std::string, std::string> string_map(const Config& config, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!config.has(key)) return out;
  for (const auto& [name, value] : config.at(key).items()) {
    if (value.is_string()) out[name] = value.get<std::string>();
  }
  return out;
}

}  // namespace

const Schema& audio_notifier_schema() {
  static const Schema schema = [] {
    Schema s;
    s.option("mode", OptionType::enumeration,
             "sound: play a WAV per alert kind; speak: say `template` (espeak-ng); command: run `command`")
        .values({"sound", "speak", "command"})
        .def("sound");
    s.option("player", OptionType::list,
             "Command that plays a WAV file: {file} is replaced by its path (else appended)")
        .items(OptionType::string)
        .def(nlohmann::json::array({"aplay", "-q"}))
        .min(1);
    s.option("sounds", OptionType::map, "WAV file per alert kind (whale, sweep, dark_pool, flow, ..., default)");
    s.option("sounds_dir", OptionType::string, "Folder of KIND.wav files").default_doc("the bundled sounds");
    s.option("template", OptionType::string, "What speak mode says (placeholders: README)")
        .def("{symbol} {kind}, {contract}, {premium_short}");
    s.option("templates", OptionType::map, "Phrase template per alert kind, instead of `template`");
    s.option("espeak", OptionType::string, "The espeak-ng program (speak mode)").def("espeak-ng");
    s.option("voice", OptionType::string, "espeak-ng voice").def("en-us");
    s.option("words_per_minute", OptionType::integer, "Speaking rate").def(170).range(80, 450);
    s.option("command", OptionType::list,
             "command mode: the program and arguments, placeholders as in `template`; the alert JSON on stdin")
        .items(OptionType::string);
    s.option("when", OptionType::list, "Sound only events matching every condition").fields(alert_condition_schema());
    s.option("kind", OptionType::string, "Alert kind for every event (picks the sound and template)")
        .default_doc("from the event");
    s.option("cooldown", OptionType::duration, "Quiet time per symbol after an alert, 0 = none").def("30s");
    s.option("max_per_minute", OptionType::integer, "Most alerts sounded in any 60 s, 0 = no limit").def(6).min(0);
    s.option("coalesce", OptionType::duration,
             "Alerts within this time of the first make one (\"and 4 more\"), 0 = none")
        .def("1s");
    s.option("queue_size", OptionType::integer, "Alerts waiting to sound; when full the oldest is dropped (counted)")
        .def(16)
        .range(1, 10000);
    s.option("timeout", OptionType::duration, "A player or command still running after this is killed")
        .def("15s")
        .min("100ms");
    return s;
  }();
  return schema;
}

AudioOptions AudioOptions::from_config(const Config& config) {
  AudioOptions options;
  const auto mode = config.string("mode");
  options.mode = mode == "speak" ? AudioMode::speak : mode == "command" ? AudioMode::command : AudioMode::sound;
  options.player = config.get<std::vector<std::string>>("player");
  options.sounds_dir = config.has("sounds_dir") ? fs::path(config.string("sounds_dir")) : bundled_sounds_dir();
  options.sounds = string_map(config, "sounds");
  options.template_text = config.string("template");
  options.templates = string_map(config, "templates");
  options.espeak = config.string("espeak");
  options.voice = config.string("voice");
  options.words_per_minute = config.integer("words_per_minute");
  if (config.has("command")) options.command = config.get<std::vector<std::string>>("command");
  if (config.has("when")) {
    for (const auto& item : config.at("when")) options.when.push_back(AlertCondition::from_json(item));
  }
  if (config.has("kind")) options.kind = config.string("kind");
  options.cooldown = config.duration("cooldown");
  options.max_per_minute = static_cast<std::uint64_t>(config.integer("max_per_minute"));
  options.coalesce = config.duration("coalesce");
  options.queue_size = static_cast<std::size_t>(config.integer("queue_size"));
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.duration("timeout"));
  return options;
}

fs::path bundled_sounds_dir() {
  // Installed and built modules have their sounds copied beside them; unit tests link the logic
  // into the test executable and use the source tree's.
  static const char anchor = 0;  // an address inside this library
  Dl_info info{};
  if (::dladdr(&anchor, &info) != 0 && info.dli_fname != nullptr) {
    const auto beside = fs::path(info.dli_fname).parent_path() / "audio_notifier-sounds";
    std::error_code error;
    if (fs::is_directory(beside, error)) return beside;
  }
  return FLOWMIND_AUDIO_SOURCE_SOUNDS;
}

fs::path sound_for(const AudioOptions& options, const std::string& kind) {
  for (const auto& key : {kind, std::string("default")}) {
    if (const auto it = options.sounds.find(key); it != options.sounds.end()) return it->second;
  }
  std::error_code error;
  const auto own = options.sounds_dir / (kind + ".wav");
  if (fs::is_regular_file(own, error)) return own;
  return options.sounds_dir / "alert.wav";
}

std::vector<ConfigIssue> missing_programs(const AudioOptions& options) {
  std::vector<ConfigIssue> issues;
  const auto need = [&](const std::string& path, const std::string& program, const std::string& hint) {
    if (!find_program(program)) {
      issues.push_back(
          {path, "'" + program + "' (needed by mode: " + mode_name(options.mode) + ") was not found in PATH; " + hint});
    }
  };
  if (options.mode == AudioMode::command) {
    if (options.command.empty()) {
      issues.push_back({"command", "mode: command needs `command` (e.g. [notify-send, FlowMind, \"{text}\"])"});
    } else {
      need("command/0", options.command[0], "install it or give its full path");
    }
    return issues;
  }
  need("player/0", options.player.empty() ? std::string() : options.player[0],
       "install alsa-utils (aplay) or pulseaudio-utils (paplay), or set `player:` (afplay on macOS)");
  if (options.mode == AudioMode::speak)
    need("espeak", options.espeak, "install espeak-ng, or set `espeak:` to its path");
  if (options.mode == AudioMode::sound) {
    std::error_code error;
    const auto fallback = sound_for(options, "alert");
    if (options.sounds.count("default") == 0 && !fs::is_regular_file(fallback, error)) {
      issues.push_back(
          {"sounds_dir", "no default sound " + fallback.string() + " (set `sounds_dir:` or `sounds: {default: ...}`)"});
    }
    for (const auto& [kind, file] : options.sounds) {
      if (!fs::is_regular_file(file, error)) issues.push_back({"sounds/" + kind, "no such sound file: " + file});
    }
  }
  return issues;
}

std::vector<ConfigIssue> validate_audio_notifier(const Config& config) {
  std::vector<ConfigIssue> issues;
  for (const auto* key : {"sounds", "templates"}) {
    if (!config.has(key)) continue;
    for (const auto& [kind, value] : config.at(key).items()) {
      if (!value.is_string()) issues.push_back({std::string(key) + "/" + kind, "expected text, got " + value.dump()});
    }
  }
  try {
    auto missing = missing_programs(AudioOptions::from_config(config));
    issues.insert(issues.end(), missing.begin(), missing.end());
  } catch (const std::invalid_argument& error) {
    issues.push_back({"when", error.what()});
  }
  return issues;
}

}  // namespace flowmind
