// Builds generator configs the way the engine does: every option present, schema defaults filled in.
#pragma once

#include <nlohmann/json.hpp>

#include "flowmind/config.hpp"
#include "generator.hpp"

namespace flowmind::testing {

// The schema defaults of plugin.cpp (generator_plugin_test checks the module agrees), overridden by `overrides`.
inline Config generator_config(const nlohmann::json& overrides = nlohmann::json::object()) {
  nlohmann::json values = {
      {"shape", "counter"}, {"rate", 10}, {"count", 0}, {"seed", 42}, {"tickers", default_generator_tickers()},
      {"clock", "wall"}};
  values.update(overrides);
  return Config(values);
}

}  // namespace flowmind::testing
