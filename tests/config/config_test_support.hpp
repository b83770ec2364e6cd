// Helpers of the config tests: a fake environment, loading text, diagnostics as printed lines.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/pipeline_loader.hpp"
#include "test_catalog.hpp"

namespace flowmind::testing {

inline EnvLookup fake_env(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline const TestCatalog& test_catalog() {
  static const TestCatalog catalog;
  return catalog;
}

// Loads `yaml` as the file "p.yaml" against the test plugins.
inline LoadResult load_text(const std::string& yaml, std::map<std::string, std::string> vars = {}) {
  return load_pipelines_from_string(yaml, "p.yaml", test_catalog(), fake_env(std::move(vars)));
}

// Every diagnostic as `flowmind validate` prints it.
inline std::vector<std::string> printed(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const auto& diagnostic : result.diagnostics) lines.push_back(diagnostic.format());
  return lines;
}

}  // namespace flowmind::testing
