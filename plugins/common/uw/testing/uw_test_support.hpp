// Test doubles for UW filter unit tests: a StageContext with real counters and a collecting Emitter.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "flowmind/context.hpp"
#include "flowmind/event.hpp"

namespace flowmind::uw::testing {

class TestLogger final : public Logger {
 public:
  void log(LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(level, message);
  }
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
  [[nodiscard]] std::vector<std::pair<LogLevel, std::string>> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  [[nodiscard]] bool contains(const std::string& text) const {
    for (const auto& [level, line] : lines()) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> lines_;
};

class TestStageContext final : public StageContext {
 public:
  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_[name];  // std::map nodes never move: the reference stays valid
  }
  boost::asio::io_context& io_context() override { return io_; }

  // The value of a counter, 0 when it was never created.
  [[nodiscard]] std::uint64_t value(const std::string& name) const {
    std::lock_guard lock(mutex_);
    const auto it = counters_.find(name);
    return it == counters_.end() ? 0 : it->second.load();
  }
  [[nodiscard]] bool has_counter(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return counters_.count(name) != 0;
  }
  [[nodiscard]] TestLogger& logger() { return logger_; }

 private:
  std::string pipeline_ = "test";
  std::string stage_ = "filter[0]";
  TestLogger logger_;
  mutable std::mutex mutex_;
  std::map<std::string, Counter> counters_;
  boost::asio::io_context io_;
};

class CollectingEmitter final : public Emitter {
 public:
  void emit(Event event) override { events.push_back(std::move(event)); }
  std::vector<Event> events;
};

}  // namespace flowmind::uw::testing
