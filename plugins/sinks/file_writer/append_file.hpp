// A file opened for appending whole lines: crash repair on open, all-or-nothing appends, fdatasync.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace flowmind {

class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile() { close(); }
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Opens (creating the file and its folders) for appending. A previous writer killed in the
  // middle of a write() may have left a partial last line: it is cut off (the file is truncated
  // after its last '\n') so appends start on a line boundary. `repaired_bytes` says how much went.
  std::error_code open(const std::filesystem::path& path, std::uint64_t& repaired_bytes);

  // Appends `lines` (complete lines) with one write() when the kernel takes it all. A short write
  // (disk full) is undone by truncating back, so the file never keeps part of a batch.
  std::error_code append(std::string_view lines);

  std::error_code sync();
  void close();

  [[nodiscard]] bool is_open() const { return fd_ >= 0; }
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::filesystem::path path_;
};

// Cuts a trailing partial line off an open file descriptor; returns the number of bytes removed.
std::error_code truncate_partial_line(int fd, std::uint64_t& size, std::uint64_t& removed);

}  // namespace flowmind
