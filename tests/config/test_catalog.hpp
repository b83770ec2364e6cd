// In-process plugins whose schemas cover every option type, for config loading tests.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/plugin_catalog.hpp"

namespace flowmind::testing {

// Sources: generator (every scalar type, lists, maps, any; nothing required).
// Filters: match (required list of maps with a field schema; validate() checks ops, warns on
//          many conditions, throws for the field "__throw__"), premium (required int range,
//          list of enums).
// Sinks:   file_writer (required path, size/duration ranges), console (map with a field
//          schema), webhook (allows unknown keys), broken (a default that is not a duration).
class TestCatalog final : public PluginCatalog {
 public:
  TestCatalog();
  [[nodiscard]] const Factory* find(std::string_view name) const override;
  [[nodiscard]] std::vector<std::string> names() const override;

 private:
  std::vector<std::unique_ptr<Factory>> factories_;
};

}  // namespace flowmind::testing
