// Engine logging on stderr through spdlog.
#include "log/logging.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace flowmind {
namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger>& logger_instance() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_color_mt("flowmind");
    created->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    created->set_level(spdlog::level::info);
    return created;
  }();
  return logger;
}

}  // namespace

void init_logging(LogLevel level) { logger_instance()->set_level(to_spdlog(level)); }

std::optional<LogLevel> parse_log_level(const std::string& text) {
  if (text == "trace") return LogLevel::trace;
  if (text == "debug") return LogLevel::debug;
  if (text == "info") return LogLevel::info;
  if (text == "warn" || text == "warning") return LogLevel::warn;
  if (text == "error") return LogLevel::error;
  return std::nullopt;
}

spdlog::logger& engine_log() { return *logger_instance(); }

void StageLogger::log(LogLevel level, const std::string& message) {
  engine_log().log(to_spdlog(level), "[{}] {}", prefix_, message);
}

bool StageLogger::enabled(LogLevel level) const { return engine_log().should_log(to_spdlog(level)); }

}  // namespace flowmind
