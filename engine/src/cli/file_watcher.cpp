// `run --watch`: polls the pipeline files and folders and calls back once per settled change.
#include "cli/file_watcher.hpp"

#include <utility>

#include "log/logging.hpp"

namespace flowmind::cli {
namespace fs = std::filesystem;

FileWatcher::FileWatcher(std::vector<fs::path> paths, std::function<void()> on_change)
    : FileWatcher(std::move(paths), std::move(on_change), Options{}) {}

FileWatcher::FileWatcher(std::vector<fs::path> paths, std::function<void()> on_change, Options options)
    : paths_(std::move(paths)), on_change_(std::move(on_change)), options_(options), thread_([this] { watch(); }) {}

FileWatcher::~FileWatcher() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

FileWatcher::Snapshot FileWatcher::take_snapshot() const {
  Snapshot snapshot;
  const auto add = [&](const fs::path& file) {
    std::error_code error;
    const auto time = fs::last_write_time(file, error);
    if (error) return;
    const auto size = fs::file_size(file, error);
    if (error) return;
    snapshot[file] = {time, size};
  };
  for (const auto& path : paths_) {
    std::error_code error;
    if (!fs::is_directory(path, error)) {
      add(path);
      continue;
    }
    for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
      const auto extension = it->path().extension().string();
      const auto name = it->path().filename().string();
      if (name.empty() || name.front() == '.' || (extension != ".yaml" && extension != ".yml")) continue;
      add(it->path());
    }
  }
  return snapshot;
}

void FileWatcher::watch() {
  auto seen = take_snapshot();
  // A plain flag and time (not std::optional): GCC 12 warns falsely about an optional time_point.
  bool pending = false;
  auto changed_at = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!done_) {
    wake_.wait_for(lock, options_.poll, [this] { return done_; });
    if (done_) break;
    lock.unlock();
    auto now = take_snapshot();
    if (now != seen) {
      seen = std::move(now);
      pending = true;
      changed_at = std::chrono::steady_clock::now();
    } else if (pending && std::chrono::steady_clock::now() - changed_at >= options_.settle) {
      pending = false;
      try {
        on_change_();
      } catch (const std::exception& error) {
        engine_log().error("reload after a file change failed: {}", error.what());
      }
    }
    lock.lock();
  }
}

}  // namespace flowmind::cli
