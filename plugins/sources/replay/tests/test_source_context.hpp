// A SourceContext for replay tests: collects events with the steady time of each emit, stops on request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config/units.hpp"
#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "flowmind/context.hpp"

namespace flowmind::testing {

class TestLogger final : public Logger {
 public:
  void log(LogLevel /*level*/, const std::string& message) override {
    std::lock_guard lock(mutex_);
    text_ += message + "\n";
  }
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
  [[nodiscard]] std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

class TestSourceContext final : public SourceContext {
 public:
  // With stop_after > 0 the context asks to stop once it holds that many events.
  explicit TestSourceContext(std::size_t stop_after = 0) : stop_after_(stop_after) {}

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
      emitted_at_.push_back(std::chrono::steady_clock::now());
      if (stop_after_ == 0 || events_.size() < stop_after_) return true;
      stopping_ = true;
    }
    changed_.notify_all();
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
    changed_.wait_for(lock, timeout, [this] { return stopping_; });
    return stopping_;
  }
  void request_stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
  }

  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  // Call once run() returned.
  [[nodiscard]] const std::vector<Event>& events() const { return events_; }
  [[nodiscard]] const std::vector<std::chrono::steady_clock::time_point>& emitted_at() const { return emitted_at_; }
  std::uint64_t value(const std::string& name) { return counter(name).load(); }
  [[nodiscard]] std::string log_text() const { return logger_.text(); }

 private:
  std::string pipeline_ = "test";
  std::string stage_ = "source";
  TestLogger logger_;
  boost::asio::io_context io_context_;
  std::size_t stop_after_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::vector<Event> events_;
  std::vector<std::chrono::steady_clock::time_point> emitted_at_;
  std::map<std::string, Counter> counters_;
};

// What the engine hands a plugin: `values` plus every schema default, durations and sizes normalized.
inline Config with_defaults(const Schema& schema, nlohmann::json values) {
  for (const auto& option : schema.options()) {
    if (!values.contains(option.key()) && !option.default_value().is_null()) {
      values[option.key()] = option.default_value();
    }
    if (!values.contains(option.key()) || !values[option.key()].is_string()) continue;
    const auto text = values[option.key()].get<std::string>();
    if (option.type() == OptionType::duration) values[option.key()] = parse_duration_ns(text).value();
    if (option.type() == OptionType::size) values[option.key()] = parse_size_bytes(text).value();
  }
  return Config(std::move(values));
}

}  // namespace flowmind::testing
