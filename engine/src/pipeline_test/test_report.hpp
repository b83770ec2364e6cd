// Prints the results of pipeline test files: a line per case with explanations, or one JSON document.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline_test/test_session.hpp"

namespace flowmind::pipeline_test {

struct Summary {
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t errors = 0;     // cases whose filters could not be created
  std::size_t bad_files = 0;  // test files (or their pipelines) with errors: nothing of them ran
  std::size_t bad_paths = 0;  // command-line paths that gave no test file

  // 0 every case passed; 1 a case failed; 2 bad input (a file, a pipeline or a filter could not be used).
  [[nodiscard]] int exit_code() const;
};

[[nodiscard]] Summary summarize(const std::vector<FileResult>& results, const std::vector<Diagnostic>& path_errors);

// Human-readable: `ok`/`FAIL`/`ERROR` and the case name per line; under a failure each unmet
// expectation at file:line:col with the JSON pointer, expected and actual values, the outputs
// and where events were dropped; then a summary line. Diagnostics go to `err`.
void print_text(const std::vector<FileResult>& results, const std::vector<Diagnostic>& path_errors, std::ostream& out,
                std::ostream& err);

// {"files": [{"file", "pipeline", "errors": [...], "cases": [{"name", "status", "line", "failures", ...}]}],
//  "errors": [...], "summary": {"passed", "failed", "errors", "bad_files"}, "ok"}
[[nodiscard]] nlohmann::json report_json(const std::vector<FileResult>& results,
                                         const std::vector<Diagnostic>& path_errors);

}  // namespace flowmind::pipeline_test
