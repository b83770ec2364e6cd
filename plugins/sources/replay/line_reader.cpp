// Line reading through zlib's gz* functions, which pass plain files through unchanged.
#include "line_reader.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace flowmind {
namespace {

constexpr std::size_t chunk = 64 * 1024;

gzFile handle(void* file) { return static_cast<gzFile>(file); }

}  // namespace

LineReader::LineReader(std::filesystem::path path, std::size_t max_line) : path_(std::move(path)), max_line_(max_line) {
  gzFile file = gzopen(path_.c_str(), "rb");
  if (file == nullptr) {
    error_ = std::strerror(errno);
    return;
  }
  gzbuffer(file, 128 * 1024);
  file_ = file;
}

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose(handle(file_));
}

bool LineReader::fill() {
  if (eof_ || file_ == nullptr) return false;
  if (offset_ > 0) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  const std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + chunk);
  const int got = gzread(handle(file_), buffer_.data() + old_size, static_cast<unsigned>(chunk));
  if (got < 0) {
    int code = 0;
    const char* message = gzerror(handle(file_), &code);
    error_ = message != nullptr ? message : "read error";
    buffer_.resize(old_size);
    eof_ = true;
    return false;
  }
  buffer_.resize(old_size + static_cast<std::size_t>(got));
  if (got == 0) {
    eof_ = true;
    // A gzip stream cut short reads as a clean end with an error recorded.
    int code = Z_OK;
    const char* message = gzerror(handle(file_), &code);
    if (code != Z_OK && code != Z_STREAM_END) error_ = message != nullptr ? message : "truncated";
    return false;
  }
  return true;
}

LineReader::Result LineReader::next(std::string& line) {
  if (file_ == nullptr) return Result::error;
  bool skipping = false;     // inside a line longer than max_line
  std::size_t searched = 0;  // bytes after offset_ known to hold no '\n'
  while (true) {
    const char* begin = buffer_.data() + offset_ + searched;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', buffer_.size() - offset_ - searched));
    if (newline != nullptr) {
      const auto end = static_cast<std::size_t>(newline - buffer_.data());
      ++line_number_;
      const bool too_long = skipping || end - offset_ > max_line_;
      if (!too_long) line.assign(buffer_, offset_, end - offset_);
      offset_ = end + 1;
      return too_long ? Result::too_long : Result::line;
    }
    searched = buffer_.size() - offset_;
    if (searched > max_line_) {
      // Forget what is buffered of the overlong line and keep looking for its end.
      skipping = true;
      buffer_.clear();
      offset_ = 0;
      searched = 0;
    }
    if (!fill()) {  // fill() moves the data to offset 0: `searched` stays relative to offset_
      if (!error_.empty()) return Result::error;
      if (buffer_.size() == offset_ && !skipping) return Result::end;
      ++line_number_;
      const bool too_long = skipping || buffer_.size() - offset_ > max_line_;
      if (!too_long) line.assign(buffer_, offset_, buffer_.size() - offset_);
      buffer_.clear();
      offset_ = 0;
      return too_long ? Result::too_long : Result::line;
    }
  }
}

}  // namespace flowmind
