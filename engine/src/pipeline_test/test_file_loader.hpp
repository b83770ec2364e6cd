// Reads a pipeline test file (YAML) and checks it, reporting every mistake as file:line:col.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/pipeline_loader.hpp"
#include "pipeline_test/test_spec.hpp"

namespace flowmind::pipeline_test {

struct LoadedTestFile {
  std::optional<TestFile> test;         // only when there is no error
  std::vector<Diagnostic> diagnostics;  // every error, in file order
};

// Test files may hold more data than a pipeline: a few recorded payloads.
inline constexpr std::size_t max_test_file_bytes = 4 * 1024 * 1024;

// Reads and checks `file`. Paths inside it (pipeline_file, data_file, working_directory) are
// relative to the file's folder. ${VAR} is replaced as in pipelines.
[[nodiscard]] LoadedTestFile load_test_file(const std::filesystem::path& file,
                                            const EnvLookup& env = process_environment());

// The same for a YAML text, as if read from `file`.
[[nodiscard]] LoadedTestFile load_test_text(std::string_view yaml, const std::filesystem::path& file,
                                            const EnvLookup& env = process_environment());

}  // namespace flowmind::pipeline_test
