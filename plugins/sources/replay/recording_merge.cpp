// Finds a recording's files and merges their records by time (a k-way merge that opens files lazily).
#include "recording_merge.hpp"

#include <glob.h>

#include <algorithm>

namespace flowmind {
namespace fs = std::filesystem;

namespace {

bool is_recording_name(const std::string& name) {
  for (const auto* suffix : {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}) {
    if (name.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace

std::vector<fs::path> recording_files(const std::string& path) {
  std::vector<fs::path> files;
  if (path.find_first_of("*?[") != std::string::npos) {
    glob_t matches{};
    if (::glob(path.c_str(), 0, nullptr, &matches) == 0) {
      for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
        std::error_code error;
        if (fs::is_regular_file(matches.gl_pathv[i], error)) files.emplace_back(matches.gl_pathv[i]);
      }
    }
    ::globfree(&matches);
  } else if (std::error_code error; fs::is_directory(path, error)) {
    for (const auto& entry : fs::directory_iterator(path, error)) {
      std::error_code type_error;
      if (entry.is_regular_file(type_error) && is_recording_name(entry.path().filename().string())) {
        files.push_back(entry.path());
      }
    }
  } else if (fs::is_regular_file(path, error)) {
    files.emplace_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct RecordingMerge::Cursor {
  fs::path path;
  std::size_t order = 0;
  Time first_time = Time::min();
  std::unique_ptr<LineReader> reader;
  std::optional<Record> head;
  Time head_time = Time::min();
};

RecordingMerge::RecordingMerge(const std::vector<fs::path>& files, Options options, Skipped skipped)
    : options_(std::move(options)), skipped_(std::move(skipped)) {
  // The time of each file's first record decides when the merge opens it.
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto cursor = std::make_unique<Cursor>();
    cursor->path = files[i];
    cursor->order = i;
    LineReader probe(files[i], options_.max_line);
    std::string line;
    for (int lines = 0; lines < 1000; ++lines) {
      const auto result = probe.next(line);
      if (result == LineReader::Result::end || result == LineReader::Result::error) break;
      if (result == LineReader::Result::too_long) continue;
      const auto parsed = parse_line(line, options_.time_fields);
      if (parsed.kind != LineKind::record) continue;
      if (parsed.record.time) cursor->first_time = *parsed.record.time;
      break;
    }
    waiting_.push_back(std::move(cursor));
  }
  std::stable_sort(waiting_.begin(), waiting_.end(),
                   [](const auto& a, const auto& b) { return a->first_time < b->first_time; });
}

RecordingMerge::~RecordingMerge() = default;

namespace {

// std heap functions build a max-heap: "less" means "later".
bool later(const auto* a, const auto* b) {
  return a->head_time != b->head_time ? a->head_time > b->head_time : a->order > b->order;
}

}  // namespace

bool RecordingMerge::advance(Cursor& cursor) {
  std::string line;
  while (true) {
    const auto result = cursor.reader->next(line);
    if (result == LineReader::Result::end) return false;
    if (result == LineReader::Result::error) {
      skipped_(LineKind::bad, cursor.path, cursor.reader->line_number(),
               "cannot read further: " + cursor.reader->error());
      return false;
    }
    if (result == LineReader::Result::too_long) {
      skipped_(LineKind::bad, cursor.path, cursor.reader->line_number(),
               "longer than " + std::to_string(options_.max_line) + " bytes");
      continue;
    }
    auto parsed = parse_line(line, options_.time_fields);
    if (parsed.kind == LineKind::blank) continue;
    if (parsed.kind != LineKind::record) {
      skipped_(parsed.kind, cursor.path, cursor.reader->line_number(), parsed.problem);
      continue;
    }
    if (parsed.record.time) {
      cursor.head_time = *parsed.record.time;
    } else if (cursor.head_time == Time::min()) {
      cursor.head_time = cursor.first_time;
    }
    cursor.head = std::move(parsed.record);
    return true;
  }
}

void RecordingMerge::activate_due() {
  while (next_waiting_ < waiting_.size()) {
    Cursor& candidate = *waiting_[next_waiting_];
    if (!active_.empty() && candidate.first_time > active_.front()->head_time) return;
    ++next_waiting_;
    candidate.reader = std::make_unique<LineReader>(candidate.path, options_.max_line);
    if (!candidate.reader->is_open()) {
      skipped_(LineKind::bad, candidate.path, 0, "cannot open: " + candidate.reader->error());
      continue;
    }
    if (!advance(candidate)) {
      candidate.reader.reset();
      continue;
    }
    active_.push_back(&candidate);
    std::push_heap(active_.begin(), active_.end(), [](auto* a, auto* b) { return later(a, b); });
  }
}

std::optional<Record> RecordingMerge::next() {
  activate_due();
  if (active_.empty()) return std::nullopt;
  const auto order = [](auto* a, auto* b) { return later(a, b); };
  std::pop_heap(active_.begin(), active_.end(), order);
  Cursor* cursor = active_.back();
  active_.pop_back();
  Record record = std::move(*cursor->head);
  if (!record.time && cursor->head_time != Time::min()) record.time = cursor->head_time;
  current_file_ = cursor->path;
  cursor->head.reset();
  if (advance(*cursor)) {
    active_.push_back(cursor);
    std::push_heap(active_.begin(), active_.end(), order);
  } else {
    cursor->reader.reset();  // done: close it
  }
  return record;
}

}  // namespace flowmind
