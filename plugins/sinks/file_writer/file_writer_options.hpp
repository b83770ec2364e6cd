// The file_writer's config table, its checks beyond the table, and the options read from a validated config.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind {

enum class FileFormat { jsonl, csv };
enum class FsyncPolicy { interval, every, never };

struct FileWriterOptions {
  std::string path;  // template: strftime fields, {pipeline}, {channel}
  FileFormat format = FileFormat::jsonl;
  std::vector<std::string> columns;
  bool csv_header = true;
  bool utc = true;
  std::uint64_t rotate_size = 0;                // 0 = no size rotation
  std::chrono::nanoseconds rotate_interval{0};  // 0 = no time rotation
  bool compress = false;
  std::uint64_t retain_files = 0;          // 0 = keep all
  std::chrono::nanoseconds retain_age{0};  // 0 = keep forever
  FsyncPolicy fsync = FsyncPolicy::interval;
  std::chrono::nanoseconds fsync_interval{std::chrono::seconds(1)};
  std::uint64_t fsync_every = 100;
  std::uint64_t batch_size = 64 * 1024;
  std::size_t max_open_files = 64;

  // Reads a config validated against file_writer_schema() (every key present).
  static FileWriterOptions from_config(const Config& config);
};

// The table behind validation, `flowmind plugins file_writer` and the README.
const Schema& file_writer_schema();

// Checks the table cannot express: CSV needs columns, the path template's placeholders.
std::vector<ConfigIssue> validate_file_writer(const Config& config);

}  // namespace flowmind
