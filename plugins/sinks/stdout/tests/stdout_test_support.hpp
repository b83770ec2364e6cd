// Test helpers for the stdout sink: standard output redirected to a file or pipe, a recording context.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "flowmind/context.hpp"

namespace flowmind::testing {

// Points file descriptor 1 at `fd` until destroyed (gtest must not print meanwhile: no
// assertions while the redirection is active).
class StdoutRedirect {
 public:
  explicit StdoutRedirect(int fd) {
    std::fflush(stdout);
    saved_ = ::dup(STDOUT_FILENO);
    if (saved_ < 0 || ::dup2(fd, STDOUT_FILENO) < 0) throw std::runtime_error("cannot redirect stdout");
  }
  ~StdoutRedirect() {
    std::fflush(stdout);
    std::clearerr(stdout);
    ::dup2(saved_, STDOUT_FILENO);
    ::close(saved_);
  }
  StdoutRedirect(const StdoutRedirect&) = delete;
  StdoutRedirect& operator=(const StdoutRedirect&) = delete;

 private:
  int saved_ = -1;
};

// Standard output written to a file for the lifetime of the object.
class StdoutToFile {
 public:
  explicit StdoutToFile(const std::filesystem::path& file)
      : fd_(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)), redirect_(checked(fd_)) {}
  ~StdoutToFile() { ::close(fd_); }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  static int checked(int fd) {
    if (fd < 0) throw std::runtime_error("cannot open the capture file");
    return fd;
  }
  int fd_;
  StdoutRedirect redirect_;
};

class RecordingLogger final : public Logger {
 public:
  void log(LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex_);
    messages_.emplace_back(level, message);
  }
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
  [[nodiscard]] std::vector<std::pair<LogLevel, std::string>> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> messages_;
};

class RecordingStageContext final : public StageContext {
 public:
  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_context_; }

  std::uint64_t value(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = counters_.find(name);
    return it == counters_.end() ? 0 : it->second.load();
  }
  [[nodiscard]] const RecordingLogger& logger() const { return logger_; }

 private:
  std::string pipeline_ = "test";
  std::string stage_ = "sink[0]";
  RecordingLogger logger_;
  boost::asio::io_context io_context_;
  std::mutex mutex_;
  std::map<std::string, Counter> counters_;
};

}  // namespace flowmind::testing
