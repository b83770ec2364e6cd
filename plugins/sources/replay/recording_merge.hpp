// The files of a recording (a file, a folder or a glob) and their records merged in time order.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "line_reader.hpp"
#include "record.hpp"

namespace flowmind {

// A file, every *.jsonl / *.ndjson (optionally .gz) directly inside a folder, or the matches of
// a glob pattern (*, ?, [...]). Sorted by name; empty when nothing matches.
std::vector<std::filesystem::path> recording_files(const std::string& path);

// Reads several files as one stream ordered by record time: files written side by side (one per
// channel) interleave, rotated segments follow each other. A file is opened only once the merge
// reaches its first record, so a folder of many rotated segments keeps few files open. A record
// without a time takes the time of the record before it in its file.
class RecordingMerge {
 public:
  struct Options {
    std::vector<std::string> time_fields;
    std::size_t max_line = 16 * 1024 * 1024;
  };
  // Told about every line that is not a record: bad ones (with the reason) and control ones.
  using Skipped = std::function<void(LineKind kind, const std::filesystem::path& file, std::size_t line,
                                     const std::string& problem)>;

  RecordingMerge(const std::vector<std::filesystem::path>& files, Options options, Skipped skipped);
  ~RecordingMerge();
  RecordingMerge(const RecordingMerge&) = delete;
  RecordingMerge& operator=(const RecordingMerge&) = delete;

  std::optional<Record> next();
  // The file of the record next() returned last.
  [[nodiscard]] const std::filesystem::path& current_file() const { return current_file_; }

 private:
  struct Cursor;
  using Time = Record::Clock::time_point;

  bool advance(Cursor& cursor);
  void activate_due();

  Options options_;
  Skipped skipped_;
  std::vector<std::unique_ptr<Cursor>> waiting_;  // not opened yet, by first record time
  std::size_t next_waiting_ = 0;
  std::vector<Cursor*> active_;  // a heap on (head time, file order)
  std::filesystem::path current_file_;
};

}  // namespace flowmind
