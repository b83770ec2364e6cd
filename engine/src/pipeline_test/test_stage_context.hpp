// The StageContext a filter gets under `flowmind test`: its counters, and a log kept for the report.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "flowmind/context.hpp"
#include "runtime/stage_metrics.hpp"

namespace flowmind::pipeline_test {

// Keeps the warnings and errors a stage logs (a test run prints them under a failing case
// instead of interleaving them with the results); lower levels are not even formatted.
class CapturingLogger final : public Logger {
 public:
  CapturingLogger(std::string stage, std::vector<std::string>& messages)
      : stage_(std::move(stage)), messages_(messages) {}

  void log(LogLevel level, const std::string& message) override {
    if (!enabled(level)) return;
    messages_.push_back(stage_ + ": " + (level == LogLevel::warn ? "warning: " : "error: ") + message);
  }
  [[nodiscard]] bool enabled(LogLevel level) const override { return level >= LogLevel::warn; }

 private:
  std::string stage_;
  std::vector<std::string>& messages_;
};

class TestStageContext final : public StageContext {
 public:
  TestStageContext(std::string pipeline, std::string stage, StageMetrics& metrics, Logger& logger,
                   boost::asio::io_context& io)
      : pipeline_(std::move(pipeline)), stage_(std::move(stage)), metrics_(metrics), logger_(logger), io_(io) {}

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override { return metrics_.custom(name); }
  boost::asio::io_context& io_context() override { return io_; }

 private:
  std::string pipeline_;
  std::string stage_;
  StageMetrics& metrics_;
  Logger& logger_;
  boost::asio::io_context& io_;
};

}  // namespace flowmind::pipeline_test
