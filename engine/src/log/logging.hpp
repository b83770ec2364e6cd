// Engine logging (spdlog to stderr) and the per-stage Logger handed to plugins.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "flowmind/context.hpp"

namespace flowmind {

// Sets up the process-wide logger on stderr. Safe to call more than once.
void init_logging(LogLevel level);
std::optional<LogLevel> parse_log_level(const std::string& text);  // trace|debug|info|warn|error
spdlog::logger& engine_log();

// Logger for one stage: prefixes messages with "[pipeline/stage]".
class StageLogger final : public Logger {
 public:
  explicit StageLogger(std::string prefix) : prefix_(std::move(prefix)) {}
  void log(LogLevel level, const std::string& message) override;
  [[nodiscard]] bool enabled(LogLevel level) const override;

 private:
  std::string prefix_;
};

}  // namespace flowmind
