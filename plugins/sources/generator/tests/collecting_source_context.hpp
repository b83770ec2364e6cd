// A SourceContext for tests: collects emitted events, can stop by itself, wakes sleepers on stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "flowmind/context.hpp"

namespace flowmind::testing {

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

class CollectingSourceContext final : public SourceContext {
 public:
  // With stop_after > 0 the context asks to stop once it holds that many events.
  explicit CollectingSourceContext(std::size_t stop_after = 0) : stop_after_(stop_after) {}

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_context_; }

  bool emit(Event event) override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
      events_.push_back(std::move(event));
      if (stop_after_ == 0 || events_.size() < stop_after_) return true;
      stopping_ = true;
    }
    stopped_.notify_all();
    return true;
  }
  EmitResult try_emit(Event& event) override {
    return emit(std::move(event)) ? EmitResult::accepted : EmitResult::stopping;
  }
  [[nodiscard]] bool stopping() const override {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  bool wait_for_stop(std::chrono::nanoseconds timeout) override {
    std::unique_lock lock(mutex_);
    stopped_.wait_for(lock, timeout, [this] { return stopping_; });
    return stopping_;
  }

  void request_stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    stopped_.notify_all();
  }
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  // The events collected so far (call once the source's run() returned).
  std::vector<Event> take() {
    std::lock_guard lock(mutex_);
    return std::move(events_);
  }

 private:
  std::string pipeline_ = "test";
  std::string stage_ = "source";
  RecordingLogger logger_;
  boost::asio::io_context io_context_;
  std::size_t stop_after_;
  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::vector<Event> events_;
  std::map<std::string, Counter> counters_;
};

}  // namespace flowmind::testing
