// Diagnostics of one file, sorted into file order when handed over.
#include "config/reporter.hpp"

#include <algorithm>

namespace flowmind {

void Reporter::add(Diagnostic::Severity severity, Position at, std::string message) {
  if (severity == Diagnostic::Severity::error) ++errors_;
  diagnostics_.push_back(Diagnostic{severity, location(at), std::move(message)});
}

std::vector<Diagnostic> Reporter::take() {
  // Checks run per section (missing keys are found after the keys that are there), so sort.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
  errors_ = 0;
  return std::exchange(diagnostics_, {});
}

}  // namespace flowmind
