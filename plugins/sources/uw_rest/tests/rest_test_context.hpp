// Test doubles for the uw_rest tests: a SourceContext that collects events and log lines, and schema defaults.
#pragma once

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

namespace flowmind::uw_rest::testing {

class RestTestContext final : public SourceContext {
 public:
  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_context_; }

  bool emit(Event event) override {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    payloads_.push_back(event.payload());
    channels_.push_back(event.channel());
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
    return payloads_.size();
  }
  [[nodiscard]] std::vector<nlohmann::json> payloads() const {
    std::lock_guard lock(mutex_);
    return payloads_;
  }
  [[nodiscard]] std::vector<std::string> channels() const {
    std::lock_guard lock(mutex_);
    return channels_;
  }
  [[nodiscard]] std::string log_text() const {
    std::lock_guard lock(logger_.mutex);
    return logger_.text;
  }

 private:
  struct TextLogger final : Logger {
    void log(LogLevel /*level*/, const std::string& message) override {
      std::lock_guard lock(mutex);
      text += message + "\n";
    }
    [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
    mutable std::mutex mutex;
    std::string text;
  };

  std::string pipeline_ = "test";
  std::string stage_ = "source";
  TextLogger logger_;
  boost::asio::io_context io_context_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::vector<nlohmann::json> payloads_;
  std::vector<std::string> channels_;
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

}  // namespace flowmind::uw_rest::testing
