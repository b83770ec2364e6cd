// What config validation needs to know about plugins: find a factory by its YAML `type:`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flowmind/plugin.hpp"

namespace flowmind {

class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  [[nodiscard]] virtual const Factory* find(std::string_view name) const = 0;
  [[nodiscard]] virtual std::vector<std::string> names() const = 0;
};

}  // namespace flowmind
