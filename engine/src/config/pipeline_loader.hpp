// Reads YAML pipeline files, interpolates ${VAR}, validates every stage against its plugin schema.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"

namespace flowmind {

// Looks up an environment variable (tests pass their own).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_environment();

struct LoadResult {
  std::vector<PipelineSpec> pipelines;  // only filled when there is no error at all
  std::vector<Diagnostic> diagnostics;  // every error and warning, in file order
  [[nodiscard]] bool ok() const { return !has_errors(diagnostics); }
};

// Files and directories (every *.yaml / *.yml directly inside, sorted by name). Reports every
// error of every file; pipeline names must be unique across all of them.
LoadResult load_pipelines(const std::vector<std::filesystem::path>& paths, const PluginCatalog& catalog,
                          const EnvLookup& env = process_environment());

// One YAML text, as if read from a file named `file_label`.
LoadResult load_pipelines_from_string(std::string_view yaml, const std::string& file_label,
                                      const PluginCatalog& catalog, const EnvLookup& env = process_environment());

}  // namespace flowmind
