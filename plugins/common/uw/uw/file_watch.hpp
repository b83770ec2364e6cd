// Notices that a file changed (modification time or size), looking at most once per interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace flowmind::uw {

// No thread: the owner asks due() from its process() and reloads when it says so.
class FileWatch {
 public:
  using Clock = std::chrono::steady_clock;

  FileWatch(std::filesystem::path path, std::chrono::nanoseconds interval);

  // Remembers the file's current state (call after loading it).
  void mark_loaded();
  // True when `interval` has passed since the last look and the file's state differs from the
  // last one seen, once per new state (a file that fails to load is retried only after it changes
  // again). A file that disappeared is not a change: the owner keeps what it has.
  bool due(Clock::time_point now);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  struct State {
    std::filesystem::file_time_type mtime{};
    std::uintmax_t size = 0;
    bool exists = false;
    bool operator==(const State&) const = default;
  };
  [[nodiscard]] State current() const;

  std::filesystem::path path_;
  std::chrono::nanoseconds interval_;
  Clock::time_point last_look_;
  State seen_;
};

}  // namespace flowmind::uw
