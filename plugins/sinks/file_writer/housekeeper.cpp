// Gzip and retention for the file_writer, on a thread of their own so writes never wait for them.
#include "housekeeper.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>

#include "path_template.hpp"

namespace flowmind {
namespace fs = std::filesystem;

namespace {

// Bound of the chore queue (each entry is one finished file).
constexpr std::size_t max_jobs = 256;

bool ends_with(const std::string& text, std::string_view suffix) { return text.ends_with(suffix); }

}  // namespace

std::error_code gzip_file(const fs::path& file, int level) {
  const fs::path part = file.string() + ".gz.part";
  const fs::path target = file.string() + ".gz";
  const int in = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return {errno, std::generic_category()};
  const int out = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    const std::error_code error(errno, std::generic_category());
    ::close(in);
    return error;
  }
  // gzclose() closes the descriptor it was given: keep our own for fsync.
  const int gz_fd = ::dup(out);
  const std::string mode = "wb" + std::to_string(std::clamp(level, 1, 9));
  gzFile gz = gz_fd >= 0 ? gzdopen(gz_fd, mode.c_str()) : nullptr;
  std::error_code error;
  if (gz == nullptr) {
    if (gz_fd >= 0) ::close(gz_fd);
    error = std::make_error_code(std::errc::not_enough_memory);
  } else {
    std::array<char, 128 * 1024> buffer{};
    while (!error) {
      const auto got = ::read(in, buffer.data(), buffer.size());
      if (got < 0) {
        if (errno == EINTR) continue;
        error = {errno, std::generic_category()};
      } else if (got == 0) {
        break;
      } else if (gzwrite(gz, buffer.data(), static_cast<unsigned>(got)) != static_cast<int>(got)) {
        error = std::make_error_code(std::errc::io_error);
      }
    }
    if (gzclose(gz) != Z_OK && !error) error = std::make_error_code(std::errc::io_error);
  }
  ::close(in);
  if (!error && ::fsync(out) != 0) error = {errno, std::generic_category()};
  ::close(out);
  if (!error) fs::rename(part, target, error);
  if (error) {
    std::error_code ignored;
    fs::remove(part, ignored);
    return error;
  }
  fs::remove(file, error);
  return error;
}

std::vector<fs::path> files_to_remove(const std::vector<fs::path>& candidates, const RetentionPolicy& policy,
                                      fs::file_time_type now) {
  struct Entry {
    fs::path path;
    fs::file_time_type modified;
  };
  std::vector<Entry> entries;
  for (const auto& path : candidates) {
    std::error_code error;
    const auto modified = fs::last_write_time(path, error);
    if (!error) entries.push_back({path, modified});
  }
  // Newest first; the name breaks ties so the order is stable.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.modified != b.modified ? a.modified > b.modified : a.path > b.path;
  });
  std::vector<fs::path> remove;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const bool too_many = policy.keep_files > 0 && i >= policy.keep_files;
    const bool too_old =
        policy.max_age.count() > 0 &&
        entries[i].modified < now - std::chrono::duration_cast<fs::file_time_type::duration>(policy.max_age);
    if (too_many || too_old) remove.push_back(entries[i].path);
  }
  return remove;
}

Housekeeper::Housekeeper(bool compress, RetentionPolicy retention, Lister lister, OpenFiles open_files, Logger& log,
                         Counters counters)
    : compress_(compress),
      retention_(retention),
      lister_(std::move(lister)),
      open_files_(std::move(open_files)),
      log_(log),
      counters_(counters) {
  if (compress_ || retention_.enabled()) thread_ = std::thread([this] { run(); });
}

Housekeeper::~Housekeeper() { stop(); }

void Housekeeper::finished(fs::path file) {
  if (!compress_ && !retention_.enabled()) return;
  Job job{compress_ ? std::move(file) : fs::path(), false};
  std::unique_lock lock(mutex_);
  if (stopping_) return;
  if (jobs_.size() >= max_jobs) {
    // Files rotate faster than they compress: this one stays as it is until recover() at the
    // next start; the next chore still applies retention.
    lock.unlock();
    report("too many files waiting for gzip; left uncompressed for now: " + job.compress.string());
    return;
  }
  jobs_.push_back(std::move(job));
  changed_.notify_all();
}

void Housekeeper::recover() {
  if (!compress_ && !retention_.enabled()) return;
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  jobs_.push_back(Job{{}, true});
  changed_.notify_all();
}

void Housekeeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Housekeeper::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return jobs_.empty() && !busy_; });
}

void Housekeeper::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    perform(job);
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

void Housekeeper::perform(const Job& job) {
  if (job.recover) {
    for (const auto& file : lister_()) {
      const std::string name = file.filename().string();
      std::error_code error;
      if (ends_with(name, ".gz.part")) {
        fs::remove(file, error);  // an interrupted compression: its source is still there
      } else if (compress_ && !ends_with(name, ".gz") && is_rotated_name(name)) {
        compress(file);
      }
    }
  } else if (!job.compress.empty()) {
    compress(job.compress);
  }
  if (retention_.enabled()) apply_retention();
}

void Housekeeper::compress(const fs::path& file) {
  if (const auto error = gzip_file(file)) {
    report("cannot compress " + file.string() + ": " + error.message());
  } else if (counters_.compressed != nullptr) {
    ++*counters_.compressed;
  }
}

void Housekeeper::apply_retention() {
  const auto open_files = open_files_();
  std::vector<fs::path> candidates;
  for (auto& file : lister_()) {
    if (open_files.count(file) == 0 && !ends_with(file.filename().string(), ".part"))
      candidates.push_back(std::move(file));
  }
  for (const auto& file : files_to_remove(candidates, retention_, fs::file_time_type::clock::now())) {
    std::error_code error;
    if (fs::remove(file, error)) {
      if (counters_.removed != nullptr) ++*counters_.removed;
      log_.info("retention removed " + file.string());
    } else if (error) {
      report("cannot remove " + file.string() + ": " + error.message());
    }
  }
}

void Housekeeper::report(const std::string& message) {
  if (counters_.errors != nullptr) ++*counters_.errors;
  log_.warn(message);
}

}  // namespace flowmind
