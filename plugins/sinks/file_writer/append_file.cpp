// Crash-safe appends of whole lines with POSIX calls (O_APPEND, write, ftruncate, fdatasync).
#include "append_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <vector>

namespace flowmind {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

}  // namespace

AppendFile::AppendFile(AppendFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), path_(std::move(other.path_)) {}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    path_ = std::move(other.path_);
  }
  return *this;
}

std::error_code truncate_partial_line(int fd, std::uint64_t& size, std::uint64_t& removed) {
  removed = 0;
  if (size == 0) return {};
  char last = 0;
  if (::pread(fd, &last, 1, static_cast<off_t>(size - 1)) != 1) return last_error();
  if (last == '\n') return {};
  // Scan backwards in blocks for the last complete line.
  std::vector<char> block(64 * 1024);
  std::uint64_t end = size;
  std::uint64_t keep = 0;
  while (end > 0) {
    const std::uint64_t start = end > block.size() ? end - block.size() : 0;
    const auto length = static_cast<std::size_t>(end - start);
    const auto got = ::pread(fd, block.data(), length, static_cast<off_t>(start));
    if (got != static_cast<ssize_t>(length)) return got < 0 ? last_error() : std::make_error_code(std::errc::io_error);
    bool found = false;
    for (std::size_t i = length; i-- > 0;) {
      if (block[i] == '\n') {
        keep = start + i + 1;
        found = true;
        break;
      }
    }
    if (found) break;
    end = start;
  }
  if (::ftruncate(fd, static_cast<off_t>(keep)) != 0) return last_error();
  removed = size - keep;
  size = keep;
  return {};
}

std::error_code AppendFile::open(const std::filesystem::path& path, std::uint64_t& repaired_bytes) {
  close();
  repaired_bytes = 0;
  std::error_code error;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) return error;
  }
  // Read access too: the repair looks for the last '\n' with pread().
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return last_error();
  struct stat info {};
  std::uint64_t size = 0;
  if (::fstat(fd, &info) != 0) {
    error = last_error();
  } else {
    size = static_cast<std::uint64_t>(info.st_size);
    error = truncate_partial_line(fd, size, repaired_bytes);
  }
  if (error) {
    ::close(fd);
    return error;
  }
  fd_ = fd;
  size_ = size;
  path_ = path;
  return {};
}

std::error_code AppendFile::append(std::string_view lines) {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  std::size_t done = 0;
  while (done < lines.size()) {
    const auto written = ::write(fd_, lines.data() + done, lines.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      const auto error = last_error();
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) close();  // reopening repairs it
      return error;
    }
    done += static_cast<std::size_t>(written);
  }
  size_ += lines.size();
  return {};
}

std::error_code AppendFile::sync() {
  if (fd_ < 0) return {};
  if (::fdatasync(fd_) != 0) return last_error();
  return {};
}

void AppendFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  size_ = 0;
}

}  // namespace flowmind
