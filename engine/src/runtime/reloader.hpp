// Reload of the pipeline files: re-read, validate everything, then apply the difference.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_loader.hpp"
#include "config/plugin_catalog.hpp"
#include "runtime/runtime.hpp"

namespace flowmind {

class Reloader {
 public:
  Reloader(Runtime& runtime, const PluginCatalog& catalog, std::vector<std::filesystem::path> paths,
           EnvLookup env = process_environment());

  // Re-reads the paths given to `run`. Any error in any file: nothing changes, the errors are
  // logged and kept as the result. Otherwise Runtime::apply_files. Returns the result (see
  // status()). Thread-safe; reloads run one at a time. `trigger`: "signal", "watch", "api".
  nlohmann::json reload(const std::string& trigger);
  // {"reloads": count, "failed": count, "last": result or null}; a result is {"trigger", "time"
  // (UTC, ISO 8601), "ok", "errors": [{"file", "line", "column", "message"}], "added",
  // "removed", "changed", "unchanged", "failed"}.
  [[nodiscard]] nlohmann::json status() const;

 private:
  Runtime& runtime_;
  const PluginCatalog& catalog_;
  const std::vector<std::filesystem::path> paths_;
  const EnvLookup env_;
  std::mutex reload_mutex_;  // one reload at a time
  mutable std::mutex status_mutex_;
  std::uint64_t reloads_ = 0;
  std::uint64_t failures_ = 0;
  nlohmann::json last_;
};

// A diagnostic as the admin API shows it: {"file", "line", "column", "severity", "message"}.
nlohmann::json diagnostic_json(const Diagnostic& diagnostic);

// The current time as "2026-11-27T00:12:34.567Z".
std::string utc_timestamp_now();

}  // namespace flowmind
