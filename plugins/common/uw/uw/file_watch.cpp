// File change detection by modification time and size.
#include "uw/file_watch.hpp"

#include <system_error>
#include <utility>

namespace flowmind::uw {

FileWatch::FileWatch(std::filesystem::path path, std::chrono::nanoseconds interval)
    : path_(std::move(path)), interval_(interval), last_look_(Clock::now()) {}

FileWatch::State FileWatch::current() const {
  State state;
  std::error_code error;
  state.mtime = std::filesystem::last_write_time(path_, error);
  if (error) return {};
  state.size = std::filesystem::file_size(path_, error);
  if (error) return {};
  state.exists = true;
  return state;
}

void FileWatch::mark_loaded() {
  seen_ = current();
  last_look_ = Clock::now();
}

bool FileWatch::due(Clock::time_point now) {
  if (now - last_look_ < interval_) return false;
  last_look_ = now;
  const State state = current();
  if (!state.exists || state == seen_) return false;
  seen_ = state;
  return true;
}

}  // namespace flowmind::uw
