// ${VAR} / ${VAR:-default} substitution in YAML scalar values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/pipeline_loader.hpp"

namespace flowmind {

struct Interpolated {
  std::string text;
  bool substituted = false;          // at least one ${...} was replaced (the text holds environment data)
  std::optional<std::string> error;  // set when the text is unusable
};

// Replaces ${NAME} with the variable's value (an error when unset) and ${NAME:-default} with the
// value, or `default` when the variable is unset or empty. "$${" writes a literal "${".
// NAME is [A-Za-z_][A-Za-z0-9_]*; the default cannot contain "${" or "}".
[[nodiscard]] Interpolated interpolate(std::string_view text, const EnvLookup& env);

}  // namespace flowmind
