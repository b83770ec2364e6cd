// Reads a recording line by line, plain or gzip (zlib reads both), with a bound on line length.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace flowmind {

class LineReader {
 public:
  enum class Result { line, too_long, end, error };

  LineReader(std::filesystem::path path, std::size_t max_line);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  [[nodiscard]] bool is_open() const { return file_ != nullptr; }
  // The next line without its '\n'. A line longer than max_line is skipped whole and reported
  // as too_long. A last line without '\n' still counts. `error` when the file is unreadable or
  // the gzip stream is corrupt or cut short (error() says why).
  Result next(std::string& line);
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::size_t line_number() const { return line_number_; }

 private:
  bool fill();

  std::filesystem::path path_;
  std::size_t max_line_;
  void* file_ = nullptr;  // gzFile
  std::string buffer_;
  std::size_t offset_ = 0;
  bool eof_ = false;
  std::string error_;
  std::size_t line_number_ = 0;
};

}  // namespace flowmind
