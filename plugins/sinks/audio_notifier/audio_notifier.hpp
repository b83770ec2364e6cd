// The audio_notifier sink: plays a sound, speaks a phrase or runs a command per alert, rate limited.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "alert.hpp"
#include "audio_options.hpp"
#include "flowmind/plugin.hpp"
#include "rate_limit.hpp"

namespace flowmind {

// Non-blocking: consume() runs on the engine's strand and only checks `when` and the cooldown and
// queues the alert (bounded, the oldest dropped and counted). A worker thread of its own gathers
// bursts (coalesce), applies the per-minute budget and runs the player, espeak-ng or the command.
class AudioNotifier final : public Sink {
 public:
  explicit AudioNotifier(const Config& config);
  explicit AudioNotifier(AudioOptions options);
  ~AudioNotifier() override;
  AudioNotifier(const AudioNotifier&) = delete;
  AudioNotifier& operator=(const AudioNotifier&) = delete;

  // Throws PluginError when a program the mode needs is missing.
  void start(StageContext& ctx) override;
  void consume(const EventPtr& event) override;
  void stop() override;
  [[nodiscard]] nlohmann::json status() const override;

 private:
  void work();
  void sound(const Alert& alert, std::uint64_t more);
  bool run(const std::vector<std::string>& argv, const std::string& input);
  void report(const std::string& message);

  const AudioOptions options_;
  SymbolCooldown cooldown_;  // consume() only
  MinuteBudget budget_;      // worker only

  StageContext* ctx_ = nullptr;
  struct Counters {
    Counter* queued = nullptr;
    Counter* not_matching = nullptr;
    Counter* cooldown = nullptr;
    Counter* dropped = nullptr;
    Counter* coalesced = nullptr;
    Counter* rate_limited = nullptr;
    Counter* played = nullptr;
    Counter* failures = nullptr;
  } counters_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Alert> queue_;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
  std::filesystem::path speech_dir_;
  std::chrono::steady_clock::time_point last_report_{};
  std::string last_error_;
};

}  // namespace flowmind
