// The file_writer's config table and the options it reads from a validated config.
#include "file_writer_options.hpp"

#include <stdexcept>

#include "path_template.hpp"

namespace flowmind {

const Schema& file_writer_schema() {
  static const Schema schema = [] {
    Schema s;
    s.option("path", OptionType::string,
             "File to write: strftime fields (%Y-%m-%d, %H...) and {pipeline} / {channel} placeholders")
        .required()
        .min(1);
    s.option("format", OptionType::enumeration, "jsonl: the envelope the browser gets (replayable); csv: `columns`")
        .values({"jsonl", "csv"})
        .def("jsonl");
    s.option("columns", OptionType::list,
             "CSV columns: channel, timestamp, sequence, data, annotations, data.PATH, annotations.PATH, or a "
             "payload field path")
        .items(OptionType::string);
    s.option("csv_header", OptionType::boolean, "Write the column names as the first line of each new CSV file")
        .def(true);
    s.option("timezone", OptionType::enumeration, "Time zone of the strftime fields in `path`")
        .values({"utc", "local"})
        .def("utc");
    s.option("rotate_size", OptionType::size, "Start a new file before one would grow past this size, 0 = never")
        .def("0B");
    s.option("rotate_interval", OptionType::duration,
             "Start a new file at each multiple of this interval since the epoch (1h: on the hour, UTC), 0 = never")
        .def("0s");
    s.option("compress", OptionType::boolean, "gzip each finished (rotated or renamed-by-date) file, in the background")
        .def(false);
    s.option("retain_files", OptionType::integer, "Keep at most this many finished files (newest first), 0 = all")
        .def(0)
        .min(0);
    s.option("retain_age", OptionType::duration, "Remove finished files last written longer ago than this, 0 = never")
        .def("0s");
    s.option("fsync", OptionType::enumeration,
             "Durability: fsync every `fsync_interval`, every `fsync_every` events, or never (see README)")
        .values({"interval", "every", "never"})
        .def("interval");
    s.option("fsync_interval", OptionType::duration,
             "How often batched lines are written and (fsync: interval) synced; the longest a line waits in memory")
        .def("1s")
        .range("1ms", "1h");
    s.option("fsync_every", OptionType::integer, "With fsync: every, sync after this many events")
        .def(100)
        .range(1, 1000000);
    s.option("batch_size", OptionType::size, "Write a file's batch as soon as it holds this much")
        .def("64KiB")
        .range("1B", "64MiB");
    s.option("max_open_files", OptionType::integer,
             "Files kept open at once with {channel} (least recently used closes)")
        .def(64)
        .range(1, 4096);
    return s;
  }();
  return schema;
}

FileWriterOptions FileWriterOptions::from_config(const Config& config) {
  FileWriterOptions options;
  options.path = config.string("path");
  options.format = config.string("format") == "csv" ? FileFormat::csv : FileFormat::jsonl;
  if (config.has("columns")) options.columns = config.get<std::vector<std::string>>("columns");
  options.csv_header = config.boolean("csv_header");
  options.utc = config.string("timezone") == "utc";
  options.rotate_size = config.size("rotate_size");
  options.rotate_interval = config.duration("rotate_interval");
  options.compress = config.boolean("compress");
  options.retain_files = static_cast<std::uint64_t>(config.integer("retain_files"));
  options.retain_age = config.duration("retain_age");
  const auto fsync = config.string("fsync");
  options.fsync = fsync == "every" ? FsyncPolicy::every : fsync == "never" ? FsyncPolicy::never : FsyncPolicy::interval;
  options.fsync_interval = config.duration("fsync_interval");
  options.fsync_every = static_cast<std::uint64_t>(config.integer("fsync_every"));
  options.batch_size = config.size("batch_size");
  options.max_open_files = static_cast<std::size_t>(config.integer("max_open_files"));
  return options;
}

std::vector<ConfigIssue> validate_file_writer(const Config& config) {
  std::vector<ConfigIssue> issues;
  if (config.has("path") && config.at("path").is_string()) {
    try {
      PathTemplate check(config.string("path"));
    } catch (const std::invalid_argument& error) {
      issues.push_back({"path", error.what()});
    }
  }
  const bool csv = config.has("format") && config.at("format") == "csv";
  const bool has_columns = config.has("columns") && config.at("columns").is_array() && !config.at("columns").empty();
  if (csv && !has_columns) {
    issues.push_back({"format", "format: csv needs `columns` (e.g. [timestamp, channel, ticker, total_premium])"});
  }
  if (!csv && config.has("columns")) {
    issues.push_back({"columns", "columns are only used with format: csv", ConfigIssue::Severity::warning});
  }
  return issues;
}

}  // namespace flowmind
