// The file_writer sink: events to JSONL or CSV files, with rotation, gzip, retention and an fsync policy.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "append_file.hpp"
#include "file_writer_options.hpp"
#include "flowmind/plugin.hpp"
#include "housekeeper.hpp"
#include "line_format.hpp"
#include "path_template.hpp"

namespace flowmind {

// A blocking sink: the engine gives it a thread of its own and its queue (`buffer:`, `block` by
// default) applies backpressure while a write is retried. consume() adds lines to a batch per
// file; a batch goes to the kernel with one write() when it reaches batch_size, at each fsync, or
// every fsync_interval (a thread of the writer's own does the timed writes and syncs).
class FileWriter final : public Sink {
 public:
  explicit FileWriter(const Config& config);
  explicit FileWriter(FileWriterOptions options);
  ~FileWriter() override;
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void start(StageContext& ctx) override;
  void consume(const EventPtr& event) override;
  void flush() override;
  void stop() override;
  void cancel() override;
  [[nodiscard]] bool blocking() const override { return true; }
  [[nodiscard]] nlohmann::json status() const override;

  // Waits until background gzip and retention have nothing left to do (tests, tools).
  bool wait_housekeeping(std::chrono::milliseconds timeout);

 private:
  // One file being written: per channel with {channel} in the path, else a single one.
  struct Slot {
    std::string path;
    AppendFile file;
    std::string pending;  // complete lines not yet written
    std::uint64_t pending_events = 0;
    bool dirty = false;                   // written since the last fsync
    std::optional<std::int64_t> segment;  // rotate_interval bucket of the file's content
    std::uint64_t last_use = 0;
  };
  using Lock = std::unique_lock<std::mutex>;
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  Slot& slot_for(const std::string& key, Lock& lock);
  bool ensure_open(Slot& slot, Lock& lock);
  bool write_slot(Slot& slot, Lock& lock, bool retry, Deadline deadline = {});
  bool write_all(Lock& lock, bool retry, Deadline deadline = {});
  void sync_all();
  void rotate(Slot& slot, Lock& lock, std::chrono::system_clock::time_point now);
  void finish(Slot& slot, Lock& lock);
  void evict_one(const Slot& keep, Lock& lock);
  bool backoff(Lock& lock, Deadline deadline);
  void report(const std::string& what, const std::string& path, std::error_code error);
  void tick();
  [[nodiscard]] std::int64_t segment_of(std::chrono::system_clock::time_point time) const;
  [[nodiscard]] std::uint64_t header_size() const;
  // Copies what status() shows, so that status() never waits behind a slow write or fsync.
  void publish_status(bool now);

  const FileWriterOptions options_;
  const PathTemplate template_;
  const std::optional<CsvFormat> csv_;

  StageContext* ctx_ = nullptr;
  std::string pipeline_;
  struct Counters {
    Counter* written = nullptr;
    Counter* bytes = nullptr;
    Counter* synced = nullptr;
    Counter* fsyncs = nullptr;
    Counter* rotations = nullptr;
    Counter* errors = nullptr;
    Counter* repaired = nullptr;
    Counter* lost = nullptr;
  } counters_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Slot> slots_;
  std::uint64_t use_clock_ = 0;
  std::uint64_t accepted_unsynced_ = 0;  // events taken since the last complete fsync
  std::uint64_t written_unsynced_ = 0;   // of those, events already written
  std::chrono::steady_clock::duration backoff_{};
  std::chrono::steady_clock::time_point last_report_{};
  std::uint64_t suppressed_reports_ = 0;
  std::string last_error_;
  bool stop_requested_ = false;
  bool stopped_ = false;
  std::string line_;  // scratch for the line being formatted
  std::chrono::steady_clock::time_point published_{};

  mutable std::mutex status_mutex_;  // guards status_ only
  nlohmann::json status_ = nlohmann::json::object();

  std::unique_ptr<Housekeeper> housekeeper_;
  std::thread ticker_;
};

}  // namespace flowmind
