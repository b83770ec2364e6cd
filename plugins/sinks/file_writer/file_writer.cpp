// The file_writer sink: routes events to files, rotates them, batches writes and applies the fsync policy.
#include "file_writer.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <set>

namespace flowmind {
namespace fs = std::filesystem;

namespace {

constexpr auto first_backoff = std::chrono::milliseconds(100);
constexpr auto max_backoff = std::chrono::seconds(5);
constexpr auto report_interval = std::chrono::seconds(10);
constexpr auto status_interval = std::chrono::milliseconds(100);
// How long flush() at shutdown keeps retrying a failing write before giving the batch up.
constexpr auto flush_patience = std::chrono::seconds(5);

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  const std::int64_t quotient = value / divisor;
  return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
}

std::optional<CsvFormat> make_csv(const FileWriterOptions& options) {
  if (options.format != FileFormat::csv) return std::nullopt;
  return CsvFormat(options.columns);
}

}  // namespace

FileWriter::FileWriter(const Config& config) : FileWriter(FileWriterOptions::from_config(config)) {}

FileWriter::FileWriter(FileWriterOptions options)
    : options_(std::move(options)), template_(options_.path), csv_(make_csv(options_)) {}

FileWriter::~FileWriter() { stop(); }

void FileWriter::start(StageContext& ctx) {
  ctx_ = &ctx;
  pipeline_ = ctx.pipeline_name();
  counters_ = {&ctx.counter("events_written"), &ctx.counter("bytes_written"), &ctx.counter("events_synced"),
               &ctx.counter("fsyncs"),         &ctx.counter("rotations"),     &ctx.counter("write_errors"),
               &ctx.counter("repaired_bytes"), &ctx.counter("events_lost")};
  housekeeper_ = std::make_unique<Housekeeper>(
      options_.compress, RetentionPolicy{options_.retain_files, options_.retain_age},
      [this] { return template_.existing_files(pipeline_); },
      [this] {
        std::lock_guard lock(mutex_);
        std::set<fs::path> open;
        for (const auto& [key, slot] : slots_) {
          if (!slot.path.empty()) open.insert(slot.path);
        }
        return open;
      },
      ctx.log(),
      Housekeeper::Counters{&ctx.counter("files_compressed"), &ctx.counter("files_removed"),
                            &ctx.counter("housekeeping_errors")});
  housekeeper_->recover();
  ticker_ = std::thread([this] { tick(); });
}

std::int64_t FileWriter::segment_of(std::chrono::system_clock::time_point time) const {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
  return floor_div(since_epoch, options_.rotate_interval.count());
}

std::uint64_t FileWriter::header_size() const { return csv_ && options_.csv_header ? csv_->header().size() : 0; }

void FileWriter::consume(const EventPtr& event) {
  Lock lock(mutex_);
  if (stop_requested_) {
    ++*counters_.lost;
    return;
  }
  const Event& ev = *event;
  const auto time = ev.received_at();
  std::string path = template_.expand(time, options_.utc, pipeline_, ev.channel());
  Slot& slot = slot_for(template_.uses_channel() ? ev.channel() : std::string(), lock);
  if (!slot.path.empty() && slot.path != path) finish(slot, lock);
  slot.path = std::move(path);
  if (!ensure_open(slot, lock)) {
    ++*counters_.lost;
    return;
  }

  line_.clear();
  if (csv_) {
    csv_->append_row(ev, line_);
  } else {
    append_jsonl_line(ev, line_);
  }

  const std::uint64_t content = slot.file.size() + slot.pending.size();
  const bool has_lines = content > header_size();
  if (options_.rotate_interval.count() > 0) {
    const auto segment = segment_of(time);
    if (has_lines && slot.segment && segment > *slot.segment) {
      rotate(slot, lock, time);
    }
    if (!slot.segment || segment > *slot.segment || !has_lines) slot.segment = segment;
  }
  if (options_.rotate_size > 0 && has_lines && slot.file.is_open() &&
      slot.file.size() + slot.pending.size() + line_.size() > options_.rotate_size) {
    rotate(slot, lock, time);
  }
  if (!slot.file.is_open() && !ensure_open(slot, lock)) {
    ++*counters_.lost;
    return;
  }
  if (csv_ && options_.csv_header && slot.file.size() + slot.pending.size() == 0) slot.pending += csv_->header();
  slot.pending += line_;
  ++slot.pending_events;
  ++accepted_unsynced_;

  if (slot.pending.size() >= options_.batch_size) write_slot(slot, lock, true);
  if (options_.fsync == FsyncPolicy::every && accepted_unsynced_ >= options_.fsync_every) {
    if (write_all(lock, true)) sync_all();
  }
  publish_status(false);
}

FileWriter::Slot& FileWriter::slot_for(const std::string& key, Lock& lock) {
  auto it = slots_.find(key);
  if (it == slots_.end()) it = slots_.emplace(key, Slot{}).first;
  it->second.last_use = ++use_clock_;
  (void)lock;
  return it->second;
}

bool FileWriter::ensure_open(Slot& slot, Lock& lock) {
  while (!slot.file.is_open()) {
    std::size_t open_count = 0;
    for (const auto& [key, other] : slots_) open_count += other.file.is_open() ? 1 : 0;
    if (open_count >= options_.max_open_files) evict_one(slot, lock);

    std::uint64_t repaired = 0;
    if (const auto error = slot.file.open(slot.path, repaired)) {
      report("cannot open", slot.path, error);
      if (!backoff(lock, std::nullopt)) return false;
      continue;
    }
    backoff_ = {};
    if (repaired > 0) {
      *counters_.repaired += repaired;
      ctx_->log().warn("cut a partial last line (" + std::to_string(repaired) + " bytes) off " + slot.path +
                       ", left by an interrupted write");
    }
    // An existing file's content belongs to the interval it was last written in.
    slot.segment.reset();
    if (options_.rotate_interval.count() > 0 && slot.file.size() > header_size()) {
      struct stat info {};
      if (::stat(slot.path.c_str(), &info) == 0) {
        const auto modified =
            std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::seconds(info.st_mtim.tv_sec) + std::chrono::nanoseconds(info.st_mtim.tv_nsec)));
        slot.segment = segment_of(modified);
      }
    }
  }
  return true;
}

bool FileWriter::write_slot(Slot& slot, Lock& lock, bool retry, Deadline deadline) {
  while (!slot.pending.empty()) {
    std::error_code error;
    if (!slot.file.is_open()) {
      std::uint64_t repaired = 0;
      error = slot.file.open(slot.path, repaired);
      if (!error && repaired > 0) *counters_.repaired += repaired;
    }
    if (!error) error = slot.file.append(slot.pending);
    if (!error) {
      *counters_.written += slot.pending_events;
      *counters_.bytes += slot.pending.size();
      written_unsynced_ += slot.pending_events;
      slot.pending.clear();
      slot.pending_events = 0;
      slot.dirty = true;
      backoff_ = {};
      return true;
    }
    report("cannot write", slot.path, error);
    if (!retry) return false;
    if (!backoff(lock, deadline)) {
      *counters_.lost += slot.pending_events;
      ctx_->log().error("gave up " + std::to_string(slot.pending_events) + " events for " + slot.path +
                        " (stopping while the write still fails)");
      accepted_unsynced_ -= std::min(accepted_unsynced_, slot.pending_events);
      slot.pending.clear();
      slot.pending_events = 0;
      return false;
    }
  }
  return true;
}

bool FileWriter::write_all(Lock& lock, bool retry, Deadline deadline) {
  bool ok = true;
  for (auto& [key, slot] : slots_) ok = write_slot(slot, lock, retry, deadline) && ok;
  return ok;
}

void FileWriter::sync_all() {
  bool ok = true;
  std::uint64_t pending = 0;
  for (auto& [key, slot] : slots_) {
    pending += slot.pending_events;
    if (!slot.dirty || !slot.file.is_open()) continue;
    ++*counters_.fsyncs;
    if (const auto error = slot.file.sync()) {
      report("cannot fsync", slot.path, error);
      ok = false;
    } else {
      slot.dirty = false;
    }
  }
  if (ok) {
    *counters_.synced += written_unsynced_;
    written_unsynced_ = 0;
    accepted_unsynced_ = pending;
  }
}

void FileWriter::rotate(Slot& slot, Lock& lock, std::chrono::system_clock::time_point now) {
  if (!write_slot(slot, lock, true)) return;
  if (options_.fsync != FsyncPolicy::never && slot.dirty) {
    ++*counters_.fsyncs;
    if (const auto error = slot.file.sync()) report("cannot fsync", slot.path, error);
  }
  slot.file.close();
  const fs::path target = rotated_path(slot.path, now);
  std::error_code error;
  fs::rename(slot.path, target, error);
  if (error) {
    report("cannot rotate", slot.path, error);  // writing goes on in the same file
    return;
  }
  ++*counters_.rotations;
  slot.segment.reset();
  housekeeper_->finished(target);
}

void FileWriter::finish(Slot& slot, Lock& lock) {
  write_slot(slot, lock, true);
  if (slot.file.is_open()) {
    if (options_.fsync != FsyncPolicy::never && slot.dirty) {
      ++*counters_.fsyncs;
      if (const auto error = slot.file.sync()) report("cannot fsync", slot.path, error);
    }
    slot.file.close();
  }
  slot.segment.reset();
  const fs::path done = slot.path;
  slot.path.clear();  // not open any more: retention may consider it
  housekeeper_->finished(done);
}

void FileWriter::evict_one(const Slot& keep, Lock& lock) {
  auto victim = slots_.end();
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    if (&it->second == &keep || !it->second.file.is_open()) continue;
    if (victim == slots_.end() || it->second.last_use < victim->second.last_use) victim = it;
  }
  if (victim == slots_.end()) return;
  Slot& slot = victim->second;
  write_slot(slot, lock, true);
  if (options_.fsync != FsyncPolicy::never && slot.dirty) {
    ++*counters_.fsyncs;
    if (const auto error = slot.file.sync()) report("cannot fsync", slot.path, error);
  }
  slot.file.close();
  // A channel that comes back reopens (and re-reads the interval of) its file.
  if (slot.pending.empty() && !slot.dirty) slots_.erase(victim);
}

bool FileWriter::backoff(Lock& lock, Deadline deadline) {
  backoff_ = backoff_.count() == 0 ? std::chrono::steady_clock::duration(first_backoff)
                                   : std::min<std::chrono::steady_clock::duration>(backoff_ * 2, max_backoff);
  auto until = std::chrono::steady_clock::now() + backoff_;
  if (deadline) {
    if (std::chrono::steady_clock::now() >= *deadline) return false;
    until = std::min(until, *deadline);
  }
  wake_.wait_until(lock, until, [this] { return stop_requested_; });
  return !stop_requested_;
}

void FileWriter::report(const std::string& what, const std::string& path, std::error_code error) {
  ++*counters_.errors;
  last_error_ = what + " " + path + ": " + error.message();
  publish_status(true);
  const auto now = std::chrono::steady_clock::now();
  if (last_report_ != std::chrono::steady_clock::time_point{} && now - last_report_ < report_interval) {
    ++suppressed_reports_;
    return;
  }
  std::string message = last_error_ + " (retrying; events wait in the sink's queue)";
  if (suppressed_reports_ > 0) message += "; " + std::to_string(suppressed_reports_) + " similar errors not shown";
  ctx_->log().error(message);
  last_report_ = now;
  suppressed_reports_ = 0;
}

void FileWriter::tick() {
  Lock lock(mutex_);
  while (!stop_requested_) {
    wake_.wait_for(lock, options_.fsync_interval, [this] { return stop_requested_; });
    if (stop_requested_) break;
    write_all(lock, false);
    if (options_.fsync != FsyncPolicy::never) sync_all();
    publish_status(true);
  }
}

void FileWriter::flush() {
  if (ctx_ == nullptr) return;
  Lock lock(mutex_);
  write_all(lock, true, std::chrono::steady_clock::now() + flush_patience);
  sync_all();  // even with `never`: shutdown is the moment to make it durable
  publish_status(true);
}

void FileWriter::cancel() {
  // The engine gave up waiting: a write being retried gives up (its events count as lost).
  {
    Lock lock(mutex_);
    stop_requested_ = true;
  }
  wake_.notify_all();
}

void FileWriter::stop() {
  if (ctx_ == nullptr) return;
  {
    Lock lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stop_requested_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (housekeeper_) housekeeper_->stop();
  Lock lock(mutex_);
  write_all(lock, false);  // one last attempt for an engine that stops without flush()
  std::uint64_t lost = 0;
  for (auto& [key, slot] : slots_) {
    lost += slot.pending_events;
    // Counted here once: a consume() still retrying (stop() from another thread) finds nothing.
    slot.pending.clear();
    slot.pending_events = 0;
    if (slot.dirty && slot.file.is_open()) (void)slot.file.sync();
    slot.file.close();
  }
  if (lost > 0) {
    *counters_.lost += lost;
    ctx_->log().error(std::to_string(lost) + " events could not be written before the stop");
  }
  publish_status(true);
}

bool FileWriter::wait_housekeeping(std::chrono::milliseconds timeout) {
  return housekeeper_ == nullptr || housekeeper_->wait_idle(timeout);
}

void FileWriter::publish_status(bool now) {
  const auto time = std::chrono::steady_clock::now();
  if (!now && time - published_ < status_interval) return;
  published_ = time;
  nlohmann::json files = nlohmann::json::array();
  std::uint64_t pending = 0;
  for (const auto& [key, slot] : slots_) {
    if (slot.file.is_open()) files.push_back({{"path", slot.path}, {"size", slot.file.size()}});
    pending += slot.pending.size();
  }
  nlohmann::json out = {{"files", std::move(files)}, {"pending_bytes", pending}};
  if (!last_error_.empty()) out["last_error"] = last_error_;
  std::lock_guard lock(status_mutex_);
  status_ = std::move(out);
}

nlohmann::json FileWriter::status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

}  // namespace flowmind
