// The audio_notifier's config table, its checks (players present?), and the options read from a validated config.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "alert_condition.hpp"
#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind {

enum class AudioMode { sound, speak, command };

struct AudioOptions {
  AudioMode mode = AudioMode::sound;
  std::vector<std::string> player;            // the WAV path replaces "{file}" or is appended
  std::filesystem::path sounds_dir;           // bundled sounds unless set
  std::map<std::string, std::string> sounds;  // kind -> WAV file ("default" for the rest)
  std::string template_text;
  std::map<std::string, std::string> templates;  // kind -> phrase template
  std::string espeak;
  std::string voice;
  std::int64_t words_per_minute = 170;
  std::vector<std::string> command;
  std::vector<AlertCondition> when;
  std::string kind;  // fixed kind, "" = from the event
  std::chrono::nanoseconds cooldown{0};
  std::uint64_t max_per_minute = 0;
  std::chrono::nanoseconds coalesce{0};
  std::size_t queue_size = 32;
  std::chrono::milliseconds timeout{15000};

  // Throws std::invalid_argument on a bad `when` item.
  static AudioOptions from_config(const Config& config);
};

// Where the bundled WAVs are: beside the loaded module (audio_notifier-sounds/), else the source tree.
std::filesystem::path bundled_sounds_dir();

// The WAV for an alert kind: sounds[kind], sounds["default"], <sounds_dir>/<kind>.wav, <sounds_dir>/alert.wav.
std::filesystem::path sound_for(const AudioOptions& options, const std::string& kind);

// Programs the mode needs that cannot be found, as ConfigIssues with a hint what to install or set.
std::vector<ConfigIssue> missing_programs(const AudioOptions& options);

const Schema& audio_notifier_schema();
std::vector<ConfigIssue> validate_audio_notifier(const Config& config);

}  // namespace flowmind
