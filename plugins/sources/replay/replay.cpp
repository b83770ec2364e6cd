// The replay source: merge the recording's files, filter by channel and window, pace, emit.
#include "replay.hpp"

#include <stdexcept>

#include "pacer.hpp"
#include "recording_merge.hpp"

namespace flowmind {
namespace {

// Bad lines are all counted; only the first few are logged one by one.
constexpr std::uint64_t logged_bad_lines = 10;

ReplayOptions checked(const Config& config) {
  try {
    return ReplayOptions::from_config(config);
  } catch (const std::invalid_argument& error) {
    throw PluginError(std::string("replay: ") + error.what());
  }
}

}  // namespace

ReplaySource::ReplaySource(const Config& config) : ReplaySource(checked(config)) {}

ReplaySource::ReplaySource(ReplayOptions options)
    : options_(std::move(options)), window_(options_.start, options_.end) {
  if (recording_files(options_.path).empty()) {
    throw PluginError("replay: no recording at '" + options_.path +
                      "' (a .jsonl or .jsonl.gz file, a folder holding some, or a glob)");
  }
}

void ReplaySource::run(SourceContext& ctx) {
  counters_ = {&ctx.counter("bad_lines"), &ctx.counter("control_lines"), &ctx.counter("outside_window"),
               &ctx.counter("other_channels")};
  do {
    const auto emitted = play(ctx);
    if (!emitted) return;
    ++passes_;
    if (*emitted == 0) {
      ctx.log().warn("replay: nothing to play in " + options_.path + " (check the channels and the start/end window)");
      return;
    }
  } while (options_.loop && !ctx.stopping());
  ctx.log().info("replay: finished " + options_.path + " after " + std::to_string(emitted_.load()) + " events");
}

std::optional<std::uint64_t> ReplaySource::play(SourceContext& ctx) {
  const auto files = recording_files(options_.path);
  if (files.empty()) throw PluginError("replay: no recording at '" + options_.path + "' any more");
  RecordingMerge merge(
      files, {options_.time_fields, options_.max_line},
      [&](LineKind kind, const std::filesystem::path& file, std::size_t line, const std::string& problem) {
        if (kind == LineKind::control) {
          ++*counters_.control_lines;
          return;
        }
        ++*counters_.bad_lines;
        if (++bad_reports_ <= logged_bad_lines) {
          ctx.log().warn("replay: skipped " + file.string() + ":" + std::to_string(line) + ": " + problem +
                         (bad_reports_ == logged_bad_lines ? " (further bad lines are only counted)" : ""));
        }
      });
  Pacer pacer(options_.speed, options_.max_gap);
  std::uint64_t emitted = 0;
  while (auto record = merge.next()) {
    if (ctx.stopping()) return std::nullopt;
    if (!options_.channel_wanted(record->channel)) {
      ++*counters_.other_channels;
      continue;
    }
    if (window_.past_end(record->time)) break;  // records come in time order
    if (!window_.contains(record->time)) {
      ++*counters_.outside_window;
      continue;
    }
    if (const auto due = pacer.due(record->time, std::chrono::steady_clock::now())) {
      const auto wait = *due - std::chrono::steady_clock::now();
      if (wait.count() > 0 && ctx.wait_for_stop(wait)) return std::nullopt;
    }
    const auto received = options_.original_timestamps && record->time ? *record->time : Event::Clock::now();
    Event event(std::move(record->channel), std::move(record->payload), received);
    if (record->annotations.is_object()) {
      for (const auto& [key, value] : record->annotations.items()) event.annotate(key, nlohmann::json(value));
    }
    {
      std::lock_guard lock(status_mutex_);
      current_file_ = merge.current_file().string();
      if (record->time) position_ = Event::iso8601_ms(*record->time);
    }
    if (!ctx.emit(std::move(event))) return std::nullopt;
    ++emitted;
    ++emitted_;
  }
  return emitted;
}

nlohmann::json ReplaySource::status() const {
  std::lock_guard lock(status_mutex_);
  return {{"path", options_.path},
          {"file", current_file_},
          {"position", position_},
          {"events", emitted_.load()},
          {"passes", passes_.load()}};
}

}  // namespace flowmind
