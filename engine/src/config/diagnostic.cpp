// Printing of validation findings in the compiler-style form editors understand.
#include "config/diagnostic.hpp"

#include <algorithm>

namespace flowmind {

std::string Diagnostic::format() const {
  std::string text = location.file;
  if (!text.empty() && location.line > 0) {
    text += ':' + std::to_string(location.line);
    if (location.column > 0) text += ':' + std::to_string(location.column);
  }
  if (!text.empty()) text += ": ";
  text += severity == Severity::error ? "error: " : "warning: ";
  text += message;
  return text;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& diagnostic) { return diagnostic.severity == Diagnostic::Severity::error; });
}

}  // namespace flowmind
