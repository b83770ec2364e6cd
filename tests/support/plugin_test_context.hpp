// A StageContext for plugin unit tests (counters, a recording logger) and configs with schema defaults.
#pragma once

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

class RecordingLogger final : public Logger {
 public:
  void log(LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex_);
    messages_.emplace_back(level, message);
  }
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
  [[nodiscard]] std::string text() const {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& [level, message] : messages_) all += message + "\n";
    return all;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> messages_;
};

// What every test context implements alike: its names, a recording logger, counters and an
// io_context. `Interface` is StageContext or SourceContext.
template <class Interface>
class TestContextBase : public Interface {
 public:
  TestContextBase(std::string pipeline, std::string stage) : pipeline_(std::move(pipeline)), stage_(std::move(stage)) {}
  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_context_; }

  std::uint64_t value(const std::string& name) { return counter(name).load(); }
  [[nodiscard]] std::string log_text() const { return logger_.text(); }

 private:
  std::string pipeline_;
  std::string stage_;
  RecordingLogger logger_;
  boost::asio::io_context io_context_;
  std::mutex mutex_;
  std::map<std::string, Counter> counters_;
};

class TestStageContext final : public TestContextBase<StageContext> {
 public:
  explicit TestStageContext(std::string pipeline = "test") : TestContextBase(std::move(pipeline), "sink[0]") {}
};

// What the engine hands a plugin: `values` plus every schema default, durations and sizes
// normalized to nanoseconds and bytes.
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
