// `run --watch`: polls the pipeline files and folders and calls back once per settled change.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace flowmind::cli {

// Polling instead of inotify: it sees files replaced by rename (editors' atomic saves), files
// that appear in a watched folder and folders on network file systems the same way, and the
// cost of stat()ing a few pipeline files twice a second is nil.
class FileWatcher {
 public:
  struct Options {
    std::chrono::milliseconds poll{250};
    // A change is reported once nothing changed for this long, so an editor's save in several
    // steps (truncate, write, rename, chmod) is one reload.
    std::chrono::milliseconds settle{400};
  };

  FileWatcher(std::vector<std::filesystem::path> paths, std::function<void()> on_change);
  FileWatcher(std::vector<std::filesystem::path> paths, std::function<void()> on_change, Options options);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

 private:
  // path -> (modification time, size); a folder contributes its *.yaml/*.yml files.
  using Snapshot = std::map<std::filesystem::path, std::pair<std::filesystem::file_time_type, std::uintmax_t>>;
  [[nodiscard]] Snapshot take_snapshot() const;
  void watch();

  const std::vector<std::filesystem::path> paths_;
  const std::function<void()> on_change_;
  const Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace flowmind::cli
