// `flowmind test`: runs pipeline test files (inputs through a pipeline's filters, outputs checked).
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/plugin_discovery.hpp"
#include "pipeline_test/test_report.hpp"
#include "pipeline_test/test_session.hpp"

namespace flowmind::cli {

int test_command(const GlobalOptions& global, const TestOptions& options) {
  PluginRegistry registry;
  load_plugins(registry, global);
  std::vector<Diagnostic> path_errors;
  const auto files = pipeline_test::find_test_files(options.paths, path_errors);
  std::vector<pipeline_test::FileResult> results;
  for (const auto& file : files) {
    try {
      results.push_back(pipeline_test::run_test_file(file, registry, options.case_filter));
    } catch (const std::exception& error) {
      // A bug or an unusable folder (working_directory), never a reason to skip the other files.
      pipeline_test::FileResult failed;
      failed.file = file;
      failed.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, SourceLocation{file.string(), 0, 0},
                                              std::string("cannot run: ") + error.what()});
      results.push_back(std::move(failed));
    }
  }
  if (options.json) {
    std::cout << pipeline_test::report_json(results, path_errors).dump(2) << '\n';
  } else {
    pipeline_test::print_text(results, path_errors, std::cout, std::cerr);
  }
  return pipeline_test::summarize(results, path_errors).exit_code();
}

}  // namespace flowmind::cli
