// The real process environment as the lookup used for ${VAR} interpolation.
#include <cstdlib>

#include "config/pipeline_loader.hpp"

namespace flowmind {

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace flowmind
