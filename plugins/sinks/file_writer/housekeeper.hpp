// The file_writer's background chores: gzip of finished files and retention, off the write path.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "flowmind/context.hpp"

namespace flowmind {

// Compresses `file` to `file.gz` with zlib (through `file.gz.part`, renamed when complete and
// synced), then removes `file`.
std::error_code gzip_file(const std::filesystem::path& file, int level = 6);

// Which finished files retention removes: all but the newest `keep_files` (0 = no limit) and
// those last modified before `now - max_age` (0 = no limit). Newest = latest modification time.
struct RetentionPolicy {
  std::uint64_t keep_files = 0;
  std::chrono::nanoseconds max_age{0};
  [[nodiscard]] bool enabled() const { return keep_files > 0 || max_age.count() > 0; }
};

std::vector<std::filesystem::path> files_to_remove(const std::vector<std::filesystem::path>& candidates,
                                                   const RetentionPolicy& policy, std::filesystem::file_time_type now);

class Housekeeper {
 public:
  struct Counters {
    Counter* compressed = nullptr;
    Counter* removed = nullptr;
    Counter* errors = nullptr;
  };
  // Lists the files a retention pass may consider (every file the writer's template produced).
  using Lister = std::function<std::vector<std::filesystem::path>()>;
  // The files the writer has open right now: retention never removes them.
  using OpenFiles = std::function<std::set<std::filesystem::path>()>;

  Housekeeper(bool compress, RetentionPolicy retention, Lister lister, OpenFiles open_files, Logger& log,
              Counters counters);
  ~Housekeeper();
  Housekeeper(const Housekeeper&) = delete;
  Housekeeper& operator=(const Housekeeper&) = delete;

  // A file the writer finished with (rotated or left for a new name): compressed if configured,
  // then retention runs.
  void finished(std::filesystem::path file);
  // At start: leftovers of an interrupted run (stale .gz.part, rotated files not yet compressed),
  // then retention.
  void recover();
  // Finishes the chore in progress and drops the queued ones (recover() picks them up next time).
  void stop();
  // For tests and shutdown: waits until nothing is queued or running; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  struct Job {
    std::filesystem::path compress;  // empty = nothing to compress
    bool recover = false;
  };

  void run();
  void perform(const Job& job);
  void compress(const std::filesystem::path& file);
  void apply_retention();
  void report(const std::string& message);

  const bool compress_;
  const RetentionPolicy retention_;
  Lister lister_;
  OpenFiles open_files_;
  Logger& log_;
  Counters counters_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> jobs_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace flowmind
