// What config validation needs to know about plugins: find a factory by its YAML `type:`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"

namespace flowmind {

class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  [[nodiscard]] virtual const Factory* find(std::string_view name) const = 0;
  [[nodiscard]] virtual std::vector<std::string> names() const = 0;
  // The SDK minor version a plugin was built for: later additions to the interfaces (such as
  // Sink::cancel) are only called on plugins that know them.
  [[nodiscard]] virtual int sdk_minor(std::string_view /*name*/) const { return FLOWMIND_SDK_VERSION_MINOR; }
};

}  // namespace flowmind
