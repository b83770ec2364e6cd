// Reload of the pipeline files: re-read, validate everything, then apply the difference.
#include "runtime/reloader.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>

#include "log/logging.hpp"

namespace flowmind {

nlohmann::json diagnostic_json(const Diagnostic& diagnostic) {
  return {{"file", diagnostic.location.file},
          {"line", diagnostic.location.line},
          {"column", diagnostic.location.column},
          {"severity", diagnostic.severity == Diagnostic::Severity::error ? "error" : "warning"},
          {"message", diagnostic.message}};
}

std::string utc_timestamp_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char result[48];
  std::snprintf(result, sizeof result, "%.*s.%03dZ", static_cast<int>(length), text, static_cast<int>(millis));
  return result;
}

Reloader::Reloader(Runtime& runtime, const PluginCatalog& catalog, std::vector<std::filesystem::path> paths,
                   EnvLookup env)
    : runtime_(runtime), catalog_(catalog), paths_(std::move(paths)), env_(std::move(env)) {}

nlohmann::json Reloader::reload(const std::string& trigger) {
  std::lock_guard serial(reload_mutex_);
  engine_log().info("reloading the pipeline files ({})", trigger);
  nlohmann::json result = {{"trigger", trigger},
                           {"time", utc_timestamp_now()},
                           {"ok", false},
                           {"errors", nlohmann::json::array()},
                           {"added", nlohmann::json::array()},
                           {"removed", nlohmann::json::array()},
                           {"changed", nlohmann::json::array()},
                           {"unchanged", nlohmann::json::array()},
                           {"failed", nlohmann::json::array()}};
  auto loaded = load_pipelines(paths_, catalog_, env_);
  for (const auto& diagnostic : loaded.diagnostics) {
    if (diagnostic.severity == Diagnostic::Severity::error) {
      engine_log().error("reload: {}", diagnostic.format());
      result["errors"].push_back(diagnostic_json(diagnostic));
    } else {
      engine_log().warn("reload: {}", diagnostic.format());
    }
  }
  if (loaded.ok()) {
    const auto applied = runtime_.apply_files(std::move(loaded.pipelines));
    for (const auto& error : applied.errors) {
      engine_log().error("reload: {}", error);
      result["errors"].push_back({{"message", error}});
    }
    result["ok"] = applied.ok;
    result["added"] = applied.added;
    result["removed"] = applied.removed;
    result["changed"] = applied.changed;
    result["unchanged"] = applied.unchanged;
    result["failed"] = applied.failed;
    if (applied.ok) {
      engine_log().info(
          "reload done: {} added, {} removed, {} changed, {} unchanged{}", applied.added.size(), applied.removed.size(),
          applied.changed.size(), applied.unchanged.size(),
          applied.failed.empty() ? "" : " (" + std::to_string(applied.failed.size()) + " failed to start)");
    }
  }
  if (!result["ok"].get<bool>()) engine_log().error("reload refused: nothing was changed");
  std::lock_guard lock(status_mutex_);
  ++reloads_;
  if (!result["ok"].get<bool>()) ++failures_;
  last_ = result;
  return result;
}

nlohmann::json Reloader::status() const {
  std::lock_guard lock(status_mutex_);
  return {{"reloads", reloads_}, {"failed", failures_}, {"last", last_}};
}

}  // namespace flowmind
