// Text and JSON reports of pipeline test results.
#include "pipeline_test/test_report.hpp"

#include <string>

namespace flowmind::pipeline_test {
namespace {

// Long payloads are cut in the text report; --json has them whole.
constexpr std::size_t max_shown_chars = 300;

std::string shown(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > max_shown_chars) {
    text.resize(max_shown_chars);
    text += "...";
  }
  return text;
}

std::string place(const FileResult& file, Position at) {
  std::string text = file.file.string();
  if (at.line > 0) {
    text += ':';
    text += std::to_string(at.line);
    text += ':';
    text += std::to_string(at.column);
  }
  return text;
}

const char* status_name(CaseResult::Status status) {
  switch (status) {
    case CaseResult::Status::passed: return "passed";
    case CaseResult::Status::failed: return "failed";
    case CaseResult::Status::error: return "error";
  }
  return "?";
}

void print_failure(const FileResult& file, const Failure& failure, std::ostream& out) {
  out << "      " << place(file, failure.at) << ": " << failure.subject;
  if (!failure.path.empty()) out << " " << failure.path;
  out << ": " << failure.message << '\n';
  if (failure.expected) out << "        - expected: " << shown(*failure.expected) << '\n';
  if (failure.actual) out << "        + actual:   " << shown(*failure.actual) << '\n';
}

void print_case(const FileResult& file, const CaseResult& result, std::ostream& out) {
  const char* mark = result.status == CaseResult::Status::passed   ? "ok   "
                     : result.status == CaseResult::Status::failed ? "FAIL "
                                                                   : "ERROR";
  out << "  " << mark << " " << result.name << '\n';
  if (result.status == CaseResult::Status::passed) return;
  for (const auto& error : result.errors) out << "      " << place(file, result.at) << ": " << error << '\n';
  for (const auto& failure : result.failures) print_failure(file, failure, out);
  if (result.status == CaseResult::Status::error) return;
  for (const auto& drop : result.drops) out << "      " << drop << '\n';
  out << "      actual outputs (" << result.outputs.size() << "):\n";
  for (std::size_t i = 0; i < result.outputs.size(); ++i) {
    out << "        [" << i << "] " << shown(result.outputs[i]) << '\n';
  }
  for (const auto& line : result.log) out << "      logged: " << line << '\n';
}

nlohmann::json diagnostic_json(const Diagnostic& diagnostic) {
  return {{"file", diagnostic.location.file},
          {"line", diagnostic.location.line},
          {"column", diagnostic.location.column},
          {"severity", diagnostic.severity == Diagnostic::Severity::error ? "error" : "warning"},
          {"message", diagnostic.message}};
}

nlohmann::json case_json(const FileResult& file, const CaseResult& result) {
  auto failures = nlohmann::json::array();
  for (const auto& failure : result.failures) {
    nlohmann::json item{{"subject", failure.subject}, {"path", failure.path},    {"message", failure.message},
                        {"file", file.file.string()}, {"line", failure.at.line}, {"column", failure.at.column}};
    if (failure.expected) item["expected"] = *failure.expected;
    if (failure.actual) item["actual"] = *failure.actual;
    failures.push_back(std::move(item));
  }
  return {{"name", result.name},
          {"status", status_name(result.status)},
          {"line", result.at.line},
          {"column", result.at.column},
          {"failures", std::move(failures)},
          {"errors", result.errors},
          {"drops", result.drops},
          {"log", result.log},
          {"outputs", result.outputs}};
}

}  // namespace

int Summary::exit_code() const {
  if (bad_files > 0 || bad_paths > 0 || errors > 0) return 2;
  return failed > 0 ? 1 : 0;
}

Summary summarize(const std::vector<FileResult>& results, const std::vector<Diagnostic>& path_errors) {
  Summary summary;
  summary.bad_paths = path_errors.size();
  for (const auto& file : results) {
    if (!file.ran()) ++summary.bad_files;
    for (const auto& result : file.cases) {
      switch (result.status) {
        case CaseResult::Status::passed: ++summary.passed; break;
        case CaseResult::Status::failed: ++summary.failed; break;
        case CaseResult::Status::error: ++summary.errors; break;
      }
    }
  }
  return summary;
}

void print_text(const std::vector<FileResult>& results, const std::vector<Diagnostic>& path_errors, std::ostream& out,
                std::ostream& err) {
  for (const auto& diagnostic : path_errors) err << diagnostic.format() << '\n';
  for (const auto& file : results) {
    for (const auto& diagnostic : file.diagnostics) err << diagnostic.format() << '\n';
    if (!file.ran()) {
      out << file.file.string() << ": not run (errors above)\n";
      continue;
    }
    out << file.file.string() << " (pipeline " << file.pipeline << ")\n";
    for (const auto& result : file.cases) print_case(file, result, out);
    if (file.cases.empty()) out << "  (no case selected)\n";
  }
  const Summary summary = summarize(results, path_errors);
  out << summary.passed << " passed, " << summary.failed << " failed";
  if (summary.errors > 0) out << ", " << summary.errors << " could not run";
  if (summary.bad_files > 0)
    out << ", " << summary.bad_files << (summary.bad_files == 1 ? " file" : " files") << " with errors";
  out << " (" << results.size() << (results.size() == 1 ? " test file" : " test files") << ")\n";
}

nlohmann::json report_json(const std::vector<FileResult>& results, const std::vector<Diagnostic>& path_errors) {
  auto files = nlohmann::json::array();
  for (const auto& file : results) {
    auto errors = nlohmann::json::array();
    for (const auto& diagnostic : file.diagnostics) errors.push_back(diagnostic_json(diagnostic));
    auto cases = nlohmann::json::array();
    for (const auto& result : file.cases) cases.push_back(case_json(file, result));
    files.push_back({{"file", file.file.string()},
                     {"pipeline", file.pipeline},
                     {"ran", file.ran()},
                     {"errors", std::move(errors)},
                     {"cases", std::move(cases)}});
  }
  auto errors = nlohmann::json::array();
  for (const auto& diagnostic : path_errors) errors.push_back(diagnostic_json(diagnostic));
  const Summary summary = summarize(results, path_errors);
  return {{"files", std::move(files)},
          {"errors", std::move(errors)},
          {"summary",
           {{"passed", summary.passed},
            {"failed", summary.failed},
            {"errors", summary.errors},
            {"bad_files", summary.bad_files}}},
          {"exit_code", summary.exit_code()}};
}

}  // namespace flowmind::pipeline_test
