// Runs pipeline test files: finds them, loads the pipeline each one names, runs and checks its cases.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.hpp"
#include "config/pipeline_loader.hpp"
#include "config/plugin_catalog.hpp"
#include "pipeline_test/expectations.hpp"

namespace flowmind::pipeline_test {

struct CaseResult {
  enum class Status { passed, failed, error };
  std::string name;
  Position at;
  Status status = Status::passed;
  std::vector<Failure> failures;        // unmet expectations
  std::vector<std::string> errors;      // filters that threw, or could not be created (status error)
  std::vector<std::string> drops;       // "input[1]: filter[3] (whale) dropped 1 event"
  std::vector<std::string> log;         // warnings and errors the filters logged
  std::vector<nlohmann::json> outputs;  // every output event of the case, in order
};

struct FileResult {
  std::filesystem::path file;
  std::string pipeline;                 // the name of the pipeline under test
  std::vector<Diagnostic> diagnostics;  // test file and pipeline findings; an error means nothing ran
  std::vector<CaseResult> cases;
  [[nodiscard]] bool ran() const { return !has_errors(diagnostics); }
};

// Files are taken as given; folders are searched recursively for *.test.yaml and *.test.yml
// (sorted by path). Problems (a missing path, a folder without tests) become diagnostics.
[[nodiscard]] std::vector<std::filesystem::path> find_test_files(const std::vector<std::filesystem::path>& paths,
                                                                 std::vector<Diagnostic>& diagnostics);

// Loads the test file and its pipeline (validated exactly as `flowmind validate` does), then runs
// each case whose name contains `case_filter` (all when empty).
[[nodiscard]] FileResult run_test_file(const std::filesystem::path& file, const PluginCatalog& catalog,
                                       const std::string& case_filter = {},
                                       const EnvLookup& env = process_environment());

}  // namespace flowmind::pipeline_test
