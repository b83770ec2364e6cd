// Runs pipeline test files: one validated pipeline per file, fresh filters per case, checked outputs.
#include "pipeline_test/test_session.hpp"

#include <algorithm>
#include <optional>
#include <system_error>

#include "pipeline_test/case_runner.hpp"
#include "pipeline_test/test_file_loader.hpp"

namespace flowmind::pipeline_test {
namespace {

namespace fs = std::filesystem;

bool is_test_file_name(const fs::path& path) {
  const std::string name = path.filename().string();
  const auto ends_with = [&name](const std::string& suffix) {
    return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return name.front() != '.' && (ends_with(".test.yaml") || ends_with(".test.yml"));
}

Diagnostic error_at(const fs::path& file, Position at, std::string message) {
  return Diagnostic{Diagnostic::Severity::error, SourceLocation{file.string(), at.line, at.column}, std::move(message)};
}

// Runs the filters from the test's working directory, and returns to where we were afterwards.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const fs::path& directory) {
    if (directory.empty()) return;
    previous_ = fs::current_path();
    fs::current_path(directory);
  }
  ~WorkingDirectory() {
    std::error_code ignored;
    if (previous_) fs::current_path(*previous_, ignored);
  }
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

 private:
  std::optional<fs::path> previous_;
};

const PipelineSpec* select_pipeline(const TestFile& test, const std::vector<PipelineSpec>& pipelines,
                                    FileResult& result) {
  if (test.pipeline.empty()) {
    if (pipelines.size() == 1) return &pipelines.front();
    std::string names;
    for (const auto& spec : pipelines) names += (names.empty() ? "" : ", ") + spec.name;
    result.diagnostics.push_back(error_at(test.file, test.pipeline_file_at,
                                          "pipeline_file holds " + std::to_string(pipelines.size()) + " pipelines (" +
                                              names + "): name one with 'pipeline:'"));
    return nullptr;
  }
  const auto found = std::find_if(pipelines.begin(), pipelines.end(),
                                  [&test](const PipelineSpec& spec) { return spec.name == test.pipeline; });
  if (found != pipelines.end()) return &*found;
  std::string names;
  for (const auto& spec : pipelines) names += (names.empty() ? "" : ", ") + spec.name;
  result.diagnostics.push_back(error_at(test.file, test.pipeline_at,
                                        "pipeline: no pipeline named '" + test.pipeline + "' in " +
                                            test.pipeline_file.string() + " (it has: " + names + ")"));
  return nullptr;
}

CaseResult run_and_check(const PipelineSpec& pipeline, const PluginCatalog& catalog, const TestCase& test_case) {
  CaseResult result;
  result.name = test_case.name;
  result.at = test_case.at;
  const CaseRun run = run_case(pipeline, catalog, test_case);
  result.log = run.log;
  if (!run.setup_error.empty()) {
    result.status = CaseResult::Status::error;
    result.errors.push_back(run.setup_error);
    return result;
  }
  for (std::size_t i = 0; i < run.inputs.size(); ++i) {
    const auto& outcome = run.inputs[i];
    const std::string subject = "input[" + std::to_string(i) + "] ";
    for (const auto& drop : outcome.drops) result.drops.push_back(subject + drop);
    for (const auto& error : outcome.errors) result.errors.push_back(subject + error);
    if (test_case.inputs[i].expect)
      check_outputs(*test_case.inputs[i].expect, outcome.outputs, subject, result.failures);
    result.outputs.insert(result.outputs.end(), outcome.outputs.begin(), outcome.outputs.end());
  }
  if (test_case.expect) check_outputs(*test_case.expect, result.outputs, "", result.failures);
  // A filter that throws fails the case even when the outputs look right: the engine would count
  // the event as failed and log an error.
  if (!result.failures.empty() || !result.errors.empty()) result.status = CaseResult::Status::failed;
  return result;
}

}  // namespace

std::vector<fs::path> find_test_files(const std::vector<fs::path>& paths, std::vector<Diagnostic>& diagnostics) {
  std::vector<fs::path> files;
  if (paths.empty()) diagnostics.push_back(error_at({}, {}, "no test files given"));
  for (const auto& path : paths) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) {
      diagnostics.push_back(error_at(path, {}, "cannot read: No such file or directory"));
    } else if (error) {
      diagnostics.push_back(error_at(path, {}, "cannot read: " + error.message()));
    } else if (fs::is_regular_file(status)) {
      files.push_back(path);
    } else if (fs::is_directory(status)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
        std::error_code type_error;
        if (it->is_regular_file(type_error) && is_test_file_name(it->path())) found.push_back(it->path());
      }
      if (error) {
        diagnostics.push_back(error_at(path, {}, "cannot read directory: " + error.message()));
      } else if (found.empty()) {
        diagnostics.push_back(
            error_at(path, {}, "no test found: the directory has no *.test.yaml or *.test.yml files"));
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      diagnostics.push_back(error_at(path, {}, "cannot read: not a regular file or directory"));
    }
  }
  return files;
}

FileResult run_test_file(const fs::path& file, const PluginCatalog& catalog, const std::string& case_filter,
                         const EnvLookup& env) {
  FileResult result;
  result.file = file;
  auto loaded = load_test_file(file, env);
  result.diagnostics = std::move(loaded.diagnostics);
  if (!loaded.test) return result;
  TestFile& test = *loaded.test;
  test.pipeline_file = test.pipeline_file.lexically_normal();

  std::error_code error;
  if (!fs::is_regular_file(test.pipeline_file, error)) {
    result.diagnostics.push_back(
        error_at(file, test.pipeline_file_at,
                 "pipeline_file: cannot read " + test.pipeline_file.string() + ": " +
                     (fs::exists(test.pipeline_file, error) ? "not a regular file" : "No such file or directory")));
    return result;
  }
  if (!test.working_directory.empty() && !fs::is_directory(test.working_directory, error)) {
    result.diagnostics.push_back(
        error_at(file, test.working_directory_at,
                 "working_directory: " + test.working_directory.string() + " is not a directory"));
    return result;
  }
  // The test's env: entries first, then the real environment (the same lookup `run` would use).
  const EnvLookup lookup = [&test, &env](const std::string& name) -> std::optional<std::string> {
    if (const auto it = test.env.find(name); it != test.env.end()) return it->second;
    return env(name);
  };
  // Validation runs where the filters will run: a plugin may check a relative path. The pipeline
  // file is then named relative to that folder, as a user standing there would name it.
  std::optional<WorkingDirectory> directory;
  fs::path pipeline_path = test.pipeline_file;
  if (!test.working_directory.empty()) {
    const fs::path absolute_pipeline = fs::absolute(test.pipeline_file).lexically_normal();
    directory.emplace(test.working_directory);
    pipeline_path = absolute_pipeline.lexically_relative(fs::current_path());
    if (pipeline_path.empty()) pipeline_path = absolute_pipeline;
  }
  auto pipelines = load_pipelines({pipeline_path}, catalog, lookup);
  result.diagnostics.insert(result.diagnostics.end(), pipelines.diagnostics.begin(), pipelines.diagnostics.end());
  if (!pipelines.ok()) {
    result.diagnostics.push_back(error_at(file, test.pipeline_file_at,
                                          "pipeline_file: " + test.pipeline_file.string() +
                                              " is not a valid pipeline file (see above); no case was run"));
    return result;
  }
  const PipelineSpec* pipeline = select_pipeline(test, pipelines.pipelines, result);
  if (pipeline == nullptr) return result;
  result.pipeline = pipeline->name;

  for (const auto& test_case : test.cases) {
    if (!case_filter.empty() && test_case.name.find(case_filter) == std::string::npos) continue;
    result.cases.push_back(run_and_check(*pipeline, catalog, test_case));
  }
  return result;
}

}  // namespace flowmind::pipeline_test
