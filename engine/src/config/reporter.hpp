// Collects the diagnostics of one file while it is validated, each at a 1-based line:column.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "config/diagnostic.hpp"

namespace flowmind {

// A 1-based place in the current file (0 = unknown).
struct Position {
  int line = 0;
  int column = 0;
};

class Reporter {
 public:
  explicit Reporter(std::string file) : file_(std::move(file)) {}

  void error(Position at, std::string message) { add(Diagnostic::Severity::error, at, std::move(message)); }
  void warning(Position at, std::string message) { add(Diagnostic::Severity::warning, at, std::move(message)); }

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] SourceLocation location(Position at) const { return {file_, at.line, at.column}; }
  // Everything reported, in file order (findings at one place keep the order they were found in).
  [[nodiscard]] std::vector<Diagnostic> take();

 private:
  void add(Diagnostic::Severity severity, Position at, std::string message);

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

}  // namespace flowmind
