// A validation finding with its place in a file, printed as `file:line:col: error: message`.
#pragma once

#include <string>
#include <vector>

#include "config/pipeline_spec.hpp"

namespace flowmind {

struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  SourceLocation location;
  std::string message;

  // "file:line:col: error: message" (line/col omitted when unknown).
  [[nodiscard]] std::string format() const;
};

[[nodiscard]] bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace flowmind
