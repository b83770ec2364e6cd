// The replay source: plays recordings back with their recorded spacing scaled by a speed.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "flowmind/plugin.hpp"
#include "replay_options.hpp"
#include "time_window.hpp"

namespace flowmind {

// A finite source (unless `loop`): run() returns after the last record and the pipeline drains.
class ReplaySource final : public Source {
 public:
  // Throws PluginError when the options are unusable or nothing matches `path`.
  explicit ReplaySource(const Config& config);
  explicit ReplaySource(ReplayOptions options);

  void run(SourceContext& ctx) override;
  [[nodiscard]] nlohmann::json status() const override;

 private:
  // One pass over the recording; returns the number of events emitted, or nullopt once stopping.
  std::optional<std::uint64_t> play(SourceContext& ctx);

  const ReplayOptions options_;
  const TimeWindow window_;

  struct Counters {
    Counter* bad_lines = nullptr;
    Counter* control_lines = nullptr;
    Counter* outside_window = nullptr;
    Counter* other_channels = nullptr;
  } counters_;
  std::atomic<std::uint64_t> emitted_{0};
  std::atomic<std::uint64_t> passes_{0};
  mutable std::mutex status_mutex_;
  std::string current_file_;
  std::string position_;
  std::uint64_t bad_reports_ = 0;
};

}  // namespace flowmind
